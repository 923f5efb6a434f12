/**
 * `baton plan --from` against a real Chat Completions server on 127.0.0.1,
 * through the real `openai` client: good answers, cycles, truncated and malformed answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { batonAsync, makeProject, read, snapshotFiles, write } from './helpers/repo.js';
import { modelEnv, startChatServer, type ChatServer, type Step } from './helpers/chat-server.js';
import { CYCLIC_PLAN, GOOD_PLAN, REQUIREMENTS } from './helpers/model-answers.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function plan(script: Step[], args: string[] = []) {
  server = await startChatServer(script);
  const dir = makeProject();
  write(dir, 'REQUIREMENTS.md', REQUIREMENTS);
  const before = snapshotFiles(dir);
  const r = await batonAsync(dir, ['plan', '--from', 'REQUIREMENTS.md', ...args], { env: modelEnv(server) });
  return { dir, before, r, server };
}

function taskFiles(dir: string): Record<string, string> {
  const tasks = join(dir, '.agents', 'tasks');
  return Object.fromEntries(readdirSync(tasks).filter((n) => n.startsWith('T-')).map((n) => [n, read(dir, `.agents/tasks/${n}`)]));
}

/** Nothing written but the usage of the refused answers (they are billed): one entry in project.md. */
function expectOnlyUsage(dir: string, before: Record<string, string>, calls: number): void {
  const now = snapshotFiles(dir);
  const project = '.agents/memory/project.md';
  expect({ ...now, [project]: '' }).toEqual({ ...before, [project]: '' });
  expect(now[project]!.startsWith(before[project]!)).toBe(true);
  expect(now[project]!.slice(before[project]!.length)).toMatch(new RegExp(`usage planner gpt-5\\n[^]*calls: ${calls}\\nfor: plan \\(refused\\)\\n$`));
}

describe('baton plan by API', () => {
  it('writes plan.md and one task per planned task, with dependencies mapped to ids', async () => {
    const { dir, r, server } = await plan([{ content: JSON.stringify(GOOD_PLAN) }], ['--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { created: { key: string; id: string; dependsOn: string[] }[] };
    const byKey = Object.fromEntries(out.created.map((c) => [c.key, c]));
    expect(Object.keys(byKey)).toEqual(['db', 'login', 'todos']);
    expect(byKey.login!.dependsOn).toEqual([byKey.db!.id]);
    expect(byKey.todos!.dependsOn).toEqual([byKey.db!.id, byKey.login!.id]);

    const files = taskFiles(dir);
    expect(Object.keys(files)).toHaveLength(3);
    const login = Object.entries(files).find(([n]) => n.startsWith(byKey.login!.id))![1];
    expect(login).toContain('title: Add the login endpoint');
    expect(login).toContain('phase: API');
    expect(login).toContain('checks: [npm test -- login]');
    expect(login).toContain('- [ ] POST /login returns a signed session cookie');

    const planMd = read(dir, '.agents/plan.md');
    expect(planMd).toContain('## Goal\n\nA small todo API with login, so a team can share lists.');
    expect(planMd).toContain('- No ORM: plain SQL migrations');
    expect(planMd).toContain('1. Data: schema and migrations');
    expect(planMd).toContain(`| [${byKey.db!.id}]`);
    expect(planMd).not.toContain('What this project is for'); // the template's placeholder is replaced

    // What went over the wire: the model, the key, a JSON schema, the requirements and the repository map.
    const req = server.requests[0]!;
    expect(req.headers.authorization).toBe('Bearer test-key');
    expect(req.body.model).toBe('gpt-5');
    expect(req.body.response_format?.type).toBe('json_schema');
    expect(req.body.response_format?.json_schema?.name).toBe('plan');
    const user = req.body.messages.find((m) => m.role === 'user')!.content;
    expect(user).toContain('Users log in and keep todo lists');
    expect(user).toContain('README.md');

    expect(read(dir, '.agents/memory/project.md')).toMatch(/## \S+ usage planner gpt-5\nprompt_tokens: 1000\ncompletion_tokens: 500\ncost_usd: 0.00625\ncalls: 1\nfor: plan/);
  });

  it('rejects a plan with a cycle after showing the cycle to the model, and writes nothing', async () => {
    const cyclic = { content: JSON.stringify(CYCLIC_PLAN) };
    const { dir, before, r, server } = await plan([cyclic, cyclic, cyclic]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/dependency cycle: `a` → `b` → `a`|dependency cycle: `b` → `a` → `b`/);
    expect(r.stderr).toContain('Nothing was written');
    expectOnlyUsage(dir, before, 3);
    expect(server.requests).toHaveLength(3);
    const retry = server.requests[1]!.body.messages;
    expect(retry.at(-2)!.role).toBe('assistant');
    expect(retry.at(-1)!.content).toContain('dependency cycle');
  });

  it('asks again after a truncated answer and uses the complete one', async () => {
    const { dir, r, server } = await plan([
      { content: JSON.stringify(GOOD_PLAN).slice(0, 120), finishReason: 'length' },
      { content: JSON.stringify(GOOD_PLAN) },
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(taskFiles(dir))).toHaveLength(3);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.body.messages.at(-1)!.content).toContain('cut off');
    // Both calls are paid for, and both are counted.
    expect(read(dir, '.agents/memory/project.md')).toContain('prompt_tokens: 2000\ncompletion_tokens: 1000');
    expect(read(dir, '.agents/memory/project.md')).toContain('calls: 2');
  });

  it('shows the parse error to the model after malformed JSON, then applies the corrected answer', async () => {
    const { dir, r, server } = await plan([
      { content: '{"goal": "A todo API", "tasks": [{"key": "db", "title": "Tables",,]}' },
      { content: `Here you go:\n\n\`\`\`json\n${JSON.stringify(GOOD_PLAN)}\n\`\`\`\n` },
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(taskFiles(dir))).toHaveLength(3);
    const second = server.requests[1]!.body.messages;
    expect(second.at(-2)).toMatchObject({ role: 'assistant', content: expect.stringContaining('"Tables",,') });
    expect(second.at(-1)!.content).toContain('does not parse');
  });

  it('reports an answer that stays invalid by name of the field, and writes nothing', async () => {
    const bad = { content: JSON.stringify({ goal: 'x', tasks: [{ key: 'a' }] }) };
    const { dir, before, r } = await plan([bad, bad, bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('$.tasks[0].title: required but missing');
    expect(r.stderr).toContain('in 3 tries');
    expectOnlyUsage(dir, before, 3);
  });
});
