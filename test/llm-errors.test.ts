/**
 * How the model client behaves when the endpoint misbehaves: 429 with
 * Retry-After, repeated 500s, a call that never answers, an endpoint without
 * structured output, a missing key. Real `openai` client, real local server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { baton, batonAsync, BIN, GIT_ENV, makeProject, read, snapshotFiles, write } from './helpers/repo.js';
import { modelEnv, startChatServer, type ChatServer, type Step } from './helpers/chat-server.js';
import { GOOD_PLAN, REQUIREMENTS } from './helpers/model-answers.js';
import { planRun } from './helpers/plan-run.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function plan(script: Step[], env: Record<string, string> = {}, args: string[] = []) {
  const run = await planRun(script, env, args);
  server = run.server;
  return run;
}

const taskCount = (dir: string) => readdirSync(join(dir, '.agents', 'tasks')).filter((n) => n.startsWith('T-')).length;

describe('model calls that fail or wait', () => {
  it('waits as long as Retry-After asks after a 429, then succeeds', async () => {
    const { dir, r, server } = await plan([
      { status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'Rate limit reached', type: 'rate_limit' } } },
      { content: JSON.stringify(GOOD_PLAN) },
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('rate limited (429)');
    expect(r.stderr).toContain('retrying in 1s (attempt 2 of 3)');
    expect(server.requests).toHaveLength(2);
    expect(taskCount(dir)).toBe(3);
  });

  it('gives up after 500 three times with a clear error, and writes nothing', async () => {
    const { dir, before, r, server } = await plan([{ status: 500, body: { error: { message: 'upstream exploded' } } }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HTTP 500');
    expect(r.stderr).toContain('upstream exploded');
    expect(r.stderr).toContain('gave up after 3 attempts');
    expect(r.stderr).toContain('Nothing was written');
    expect(server.requests).toHaveLength(3);
    expect(snapshotFiles(dir)).toEqual(before);
  });

  it('stops a call that never answers at the timeout, and writes nothing', async () => {
    const { dir, before, r, server } = await plan([{ hang: true }], { BATON_TIMEOUT_S: '0.3', BATON_MAX_RETRIES: '1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no answer within 0.3s (timeout)');
    expect(r.stderr).toContain('timeout_s');
    expect(server.requests).toHaveLength(2);
    expect(snapshotFiles(dir)).toEqual(before);
  });

  it('falls back to asking for JSON in words when the endpoint refuses response_format', async () => {
    const { dir, r, server } = await plan([
      { noStructuredOutput: true, content: `I have made the plan.\n\n${JSON.stringify(GOOD_PLAN)}\n\nGood luck!` },
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.body.response_format?.type).toBe('json_schema');
    expect(server.requests[1]!.body.response_format).toBeUndefined();
    // The schema is in the prompt, so the model can follow it without response_format.
    expect(server.requests[1]!.body.messages[0]!.content).toContain('"success_criteria"');
    expect(taskCount(dir)).toBe(3);
    expect(read(dir, '.agents/memory/project.md')).toContain('calls: 2');
  });

  it('never sends response_format when config says the endpoint has no structured output', async () => {
    server = await startChatServer([{ content: JSON.stringify(GOOD_PLAN) }]);
    const dir = makeProject();
    write(dir, 'REQUIREMENTS.md', REQUIREMENTS);
    write(dir, '.agents/config.yaml', `models:\n  planner:\n    model: llama3.1:8b\n    base_url: ${server.url}\n    structured_output: false\n`);
    const r = await batonAsync(dir, ['plan', '--from', 'REQUIREMENTS.md'], { env: { BATON_RETRY_BASE_MS: '10', OPENAI_API_KEY: '' } });
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests[0]!.body.model).toBe('llama3.1:8b');
    expect(server.requests[0]!.body.response_format).toBeUndefined();
    // A local server needs no key; baton sends a placeholder.
    expect(server.requests[0]!.headers.authorization).toBe('Bearer not-needed');
    expect(r.stdout).toContain('cost unknown');
  });

  it('stops cleanly on Ctrl-C while a call is waiting: exit 130, nothing written', async () => {
    server = await startChatServer([{ hang: true }]);
    const dir = makeProject();
    write(dir, 'REQUIREMENTS.md', REQUIREMENTS);
    const before = snapshotFiles(dir);
    const child = spawn(process.execPath, [BIN, 'plan', '--from', 'REQUIREMENTS.md'], { cwd: dir, env: { ...process.env, ...GIT_ENV, ...modelEnv(server) } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    expect(await closed).toBe(130);
    expect(stderr).toContain('interrupted; nothing was written');
    expect(snapshotFiles(dir)).toEqual(before);
  });

  it('keeps stderr free of progress and retry notices with --json', async () => {
    const { r } = await plan([{ status: 503 }, { content: JSON.stringify(GOOD_PLAN) }], {}, ['--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).created).toHaveLength(3);
  });

  it('explains a missing key without calling anything', () => {
    const dir = makeProject();
    write(dir, 'REQUIREMENTS.md', REQUIREMENTS);
    const r = baton(dir, ['plan', '--from', 'REQUIREMENTS.md'], { env: { OPENAI_API_KEY: '', OPENAI_BASE_URL: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('`OPENAI_API_KEY` is not set');
    expect(r.stderr).toContain('--prompt');
  });
});
