/**
 * An endpoint is untrusted input (issue 20): a scripted server on 127.0.0.1
 * that trickles, drops the connection mid-body, echoes the key, answers 422 in
 * FastAPI's shape or refuses, driven through the real `openai` client by the
 * built CLI. No call may hang a command, leak a key or go unbilled. Timeouts
 * are configured short (BATON_TIMEOUT_S) so that nothing here waits long.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addTask, baton, batonAsync, git, makeProject, read, snapshotFiles, write } from './helpers/repo.js';
import { modelEnv, startChatServer, type ChatServer, type Step } from './helpers/chat-server.js';
import { GOOD_PLAN, REQUIREMENTS } from './helpers/model-answers.js';
import { planRun } from './helpers/plan-run.js';
import { agentEvents, makeAgentProject, report } from './fixtures/agent-project.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const taskCount = (dir: string) => readdirSync(join(dir, '.agents', 'tasks')).filter((n) => n.startsWith('T-')).length;

async function plan(script: Step[], env: Record<string, string> = {}, args: string[] = []) {
  const run = await planRun(script, env, args);
  server = run.server;
  return run;
}

/** Not one byte of `secret` anywhere a person or a program could read it. */
function expectNowhere(secret: string, ...texts: string[]): void {
  for (const t of texts) expect(t).not.toContain(secret);
}

describe('a stalled endpoint: one deadline for headers and body', () => {
  it('`plan`: 200 then a trickling body is stopped at timeout_s, retried, and nothing is written', async () => {
    const { dir, before, r, server } = await plan([{ trickle: true }], { BATON_TIMEOUT_S: '0.4', BATON_MAX_RETRIES: '1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no answer within 0.4s (timeout)');
    expect(r.stderr).toContain('gave up after 2 attempts');
    expect(server.requests).toHaveLength(2);
    expect(snapshotFiles(dir)).toEqual(before);
  });

  it('`models check`: a trickling body is a failed role, not a hang', async () => {
    server = await startChatServer([{ trickle: true }]);
    const dir = makeProject();
    const r = await batonAsync(dir, ['models', 'check', 'planner', '--json'], { env: modelEnv(server, { BATON_TIMEOUT_S: '0.3' }) });
    expect(r.code).toBe(1);
    const roles = (JSON.parse(r.stdout) as { roles: { ok: boolean; error: string }[] }).roles;
    expect(roles[0]!.ok).toBe(false);
    expect(roles[0]!.error).toContain('no answer within 0.3s (timeout)');
  });

  it('`review`: a trickling body ends in a clear error and no review file', async () => {
    server = await startChatServer([{ trickle: true }]);
    const dir = makeProject();
    addTask(dir, 'Something to review');
    const r = await batonAsync(dir, ['review'], { env: modelEnv(server, { BATON_TIMEOUT_S: '0.3', BATON_MAX_RETRIES: '0' }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no answer within 0.3s (timeout)');
    expect(readdirSync(join(dir, '.agents', 'reviews')).filter((n) => n.startsWith('R-'))).toEqual([]);
  });

  it('`auto`: a stalled review is skipped like a failed one, and the run goes on to the end', async () => {
    const p = makeAgentProject();
    const bad = addTask(p.dir, 'Add broken', '--check', 'test -f never.txt');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    p.setScript({ tasks: [{ match: bad, attempts: [{ write: { 'x.txt': 'x\n' }, commit: 'x', report: report('success', 'Done.') }] }] });
    server = await startChatServer([{ trickle: true }]);
    const r = await batonAsync(p.dir, ['auto'], { env: { ...p.env, ...modelEnv(server, { BATON_TIMEOUT_S: '0.3', BATON_MAX_RETRIES: '0' }) } });
    expect(r.stdout).toContain('review skipped');
    expect(r.stdout).toContain('no answer within 0.3s (timeout)');
    expect(agentEvents(p.state).some((e) => e.task === bad && e.event === 'end')).toBe(true);
    expect(r.stdout).toMatch(/attempts?: /);
  });
});

describe('a connection dropped mid-body', () => {
  it('is retried like any dropped connection (docs/providers.md), and the plan is written', async () => {
    const { dir, r, server } = await plan([{ reset: true }, { content: JSON.stringify(GOOD_PLAN) }]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('the connection dropped before the answer was complete; retrying');
    expect(server.requests).toHaveLength(2);
    expect(taskCount(dir)).toBe(3);
  });
});

describe('an echoing gateway: error texts are redacted', () => {
  const KEY = 'plainkey0123456789abcdef'; // no known token shape: redacted because it is the configured key

  it('a 401 that repeats the key: not on stderr, not in the --json error, not in memory', async () => {
    const { dir, r } = await plan([{ echoKey: true }], { OPENAI_API_KEY: KEY });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the key was refused (401)');
    expect(r.stderr).toContain('[REDACTED]');
    const json = await batonAsync(dir, ['plan', '--from', 'REQUIREMENTS.md', '--json'], { env: modelEnv(server!, { OPENAI_API_KEY: KEY }) });
    expect(json.code).toBe(1);
    const error = (JSON.parse(json.stderr) as { error: { message: string } }).error;
    expect(error.message).toContain('Incorrect API key provided: [REDACTED]');
    expectNowhere(KEY, r.stderr, r.stdout, json.stderr, json.stdout, ...Object.values(snapshotFiles(dir)));
  });

  it('a key of a known shape echoed by a gateway for another variable is redacted by its shape', async () => {
    const other = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123';
    server = await startChatServer([{ status: 502, body: { error: { message: `upstream said: bad key ${other}` } } }]);
    const dir = makeProject();
    write(dir, 'REQUIREMENTS.md', REQUIREMENTS);
    const r = await batonAsync(dir, ['plan', '--from', 'REQUIREMENTS.md'], { env: modelEnv(server, { BATON_MAX_RETRIES: '0' }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('upstream said: bad key [REDACTED]');
    expectNowhere(other, r.stderr);
  });

  it('`run` with the api executor: the echoed key stays out of the attempt recorded in memory', async () => {
    server = await startChatServer([{ echoKey: true }]);
    const dir = makeProject();
    const id = addTask(dir, 'Add a file', '--check', 'true');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'plan']);
    const r = await batonAsync(dir, ['run', id], { env: modelEnv(server, { OPENAI_API_KEY: KEY }) });
    expect(r.code).not.toBe(0);
    const memory = git(dir, ['log', '-p', '--all', '--format=', '--', '.agents/memory']);
    expect(memory).toContain('Incorrect API key provided: [REDACTED]');
    expectNowhere(KEY, r.stdout, r.stderr, memory);
  });
});

describe('what the endpoint says is shown and acted on', () => {
  it('a 422 whose complaint is in FastAPI\'s `detail` about response_format: falls back to JSON in words', async () => {
    const { dir, r, server } = await plan([
      { status: 422, body: { detail: [{ loc: ['body', 'response_format'], msg: 'json_schema is not supported', type: 'value_error' }] } },
      { content: JSON.stringify(GOOD_PLAN) },
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests[0]!.body.response_format?.type).toBe('json_schema');
    expect(server.requests[1]!.body.response_format).toBeUndefined();
    expect(taskCount(dir)).toBe(3);
  });

  it('a 422 with another `detail`: its text is shown, not "(no body)", and it is not called "try again"', async () => {
    const { r, server } = await plan([{ status: 422, body: { detail: 'model `gpt-5` is not served here' } }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HTTP 422: 422 model `gpt-5` is not served here');
    expect(r.stderr).not.toContain('no body');
    expect(server.requests).toHaveLength(1);
  });

  it('a refusal is reported as one, asked once, and its tokens are billed', async () => {
    const { dir, before, r, server } = await plan([{ refusal: "I can't help with that.", usage: { prompt_tokens: 700, completion_tokens: 20 } }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("refused to answer: I can't help with that.");
    expect(r.stderr).not.toContain('no usable answer');
    expect(server.requests).toHaveLength(1);
    expect(taskCount(dir)).toBe(0);
    const project = read(dir, '.agents/memory/project.md');
    expect(project.slice(before['.agents/memory/project.md']!.length)).toMatch(/usage planner gpt-5\nprompt_tokens: 700\ncompletion_tokens: 20\n/);
  });
});

describe('refused answers are billed: `baton cost` and --budget-usd count them', () => {
  it('three truncated answers: the command fails, nothing but usage is written, and cost shows all three', async () => {
    const cut = { content: JSON.stringify(GOOD_PLAN).slice(0, 100), finishReason: 'length' as const };
    const { dir, r } = await plan([cut, cut, cut]);
    expect(r.code).toBe(1);
    expect(taskCount(dir)).toBe(0);
    const cost = baton(dir, ['cost', '--json']);
    expect(cost.code, cost.stderr).toBe(0);
    const text = cost.stdout;
    expect(text).toContain('3000');
    expect(read(dir, '.agents/memory/project.md')).toMatch(/prompt_tokens: 3000\ncompletion_tokens: 1500\ncost_usd: 0.01875\ncalls: 3\nfor: plan \(refused\)/);
  });
});

describe('configuration mistakes name their source', () => {
  it('a key with a non-ASCII character (the README\'s `sk-…`): names the variable, calls nothing', async () => {
    const { dir, before, r, server } = await plan([{ content: JSON.stringify(GOOD_PLAN) }], { OPENAI_API_KEY: 'sk-…' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the key in `OPENAI_API_KEY` has a character that cannot be sent');
    expect(r.stderr).not.toContain('ByteString');
    expect(server.requests).toHaveLength(0);
    expect(snapshotFiles(dir)).toEqual(before);
  });

  it('a malformed base_url: names `base_url` and config.yaml, and never says "try again"', async () => {
    const dir = makeProject();
    write(dir, 'REQUIREMENTS.md', REQUIREMENTS);
    write(dir, '.agents/config.yaml', 'models:\n  planner:\n    model: gpt-5\n    base_url: localhost:11434/v1\n');
    const r = baton(dir, ['plan', '--from', 'REQUIREMENTS.md'], { env: { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('`base_url` is not a valid http(s) URL: "localhost:11434/v1"');
    expect(r.stderr).toContain('.agents/config.yaml');
    expect(r.stderr).not.toMatch(/try again/i);
    const env = baton(dir, ['plan', '--from', 'REQUIREMENTS.md'], { env: { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'http//nowhere' } });
    write(dir, '.agents/config.yaml', 'models:\n  planner:\n    model: gpt-5\n');
    const fromEnv = baton(dir, ['plan', '--from', 'REQUIREMENTS.md'], { env: { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'http//nowhere' } });
    expect(env.code).toBe(1);
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toContain('the environment variable `OPENAI_BASE_URL`');
    expect(fromEnv.stderr).not.toMatch(/try again/i);
  });

  it('a bad BATON_* number is blamed on the variable, not on config.yaml', () => {
    const dir = makeProject();
    write(dir, 'REQUIREMENTS.md', REQUIREMENTS);
    for (const name of ['BATON_TIMEOUT_S', 'BATON_MAX_RETRIES', 'BATON_RETRY_BASE_MS']) {
      const r = baton(dir, ['plan', '--from', 'REQUIREMENTS.md'], { env: { OPENAI_API_KEY: 'k', [name]: 'abc' } });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`the environment variable \`${name}\` must be a number`);
      expect(r.stderr).not.toContain('config.yaml');
    }
  });
});

describe('a runaway plan and plans at once', () => {
  const many = (n: number) => ({ ...GOOD_PLAN, tasks: Array.from({ length: n }, (_, i) => ({ key: `t${i}`, title: `Task ${i}`, description: 'Do it.', success_criteria: ['It is done.'] })) });

  it('more tasks than `max_plan_tasks`: refused at once, nothing but usage written; the import path too', async () => {
    server = await startChatServer([{ content: JSON.stringify(many(6)) }]);
    const dir = makeProject();
    write(dir, 'REQUIREMENTS.md', REQUIREMENTS);
    write(dir, '.agents/config.yaml', `${read(dir, '.agents/config.yaml').replace(/^max_plan_tasks: .*\n/m, '')}\nmax_plan_tasks: 5\n`);
    const r = await batonAsync(dir, ['plan', '--from', 'REQUIREMENTS.md'], { env: modelEnv(server) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the plan has 6 tasks, more than `max_plan_tasks` (5) allows');
    expect(server.requests).toHaveLength(1);
    expect(taskCount(dir)).toBe(0);
    writeFileSync(join(dir, 'answer.json'), JSON.stringify(many(6)));
    const imported = baton(dir, ['plan', '--import', 'answer.json']);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toContain('more than `max_plan_tasks` (5)');
    expect(taskCount(dir)).toBe(0);
  });

  it('two `plan --from` at once: one writes its 3 tasks, the other refuses', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    server = await startChatServer([{ content: JSON.stringify(GOOD_PLAN), gate }]);
    const dir = makeProject();
    write(dir, 'REQUIREMENTS.md', REQUIREMENTS);
    const first = batonAsync(dir, ['plan', '--from', 'REQUIREMENTS.md'], { env: modelEnv(server) });
    await server.arrived(1);
    const second = await batonAsync(dir, ['plan', '--from', 'REQUIREMENTS.md'], { env: modelEnv(server) });
    open();
    const done = await first;
    expect(done.code, done.stderr).toBe(0);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('another `baton plan`');
    expect(taskCount(dir)).toBe(3);
    expect(server.requests).toHaveLength(1);
  });
});

describe('git\'s own words keep the path', () => {
  it('a stale index.lock: the error names the lock file, not only git\'s advice', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Add a file');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'plan']);
    writeFileSync(join(dir, '.git', 'index.lock'), '');
    const r = baton(dir, ['start', id]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(join(dir, '.git', 'index.lock'));
  });
});
