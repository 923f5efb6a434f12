/** Setting up in one step: base branch, agent instruction files, `config get|set`, `models check`, `.env`. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { baton, batonAsync, git, makeProject, makeRepo, ok, read, snapshotFiles, tempDir, write } from './helpers/repo.js';
import { startChatServer, type ChatServer } from './helpers/chat-server.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('baton init', () => {
  it('takes base_branch from origin/HEAD when HEAD is detached, and points agents\' files at AGENTS.md', () => {
    const origin = makeRepo();
    git(origin, ['branch', '-q', '-m', 'main', 'trunk']);
    const dir = tempDir('baton-clone-');
    git(dir, ['clone', '-q', origin, '.']);
    git(dir, ['checkout', '-q', '--detach']);
    write(dir, 'CLAUDE.md', '# Our rules\n\nUse tabs.\n');
    expect(baton(dir, ['init', '--no-hooks', '--agents', 'claude,bogus']).stderr).toContain('unknown agent in --agents: `bogus`');
    expect(existsSync(join(dir, '.agents'))).toBe(false);
    expect(read(dir, 'CLAUDE.md')).toBe('# Our rules\n\nUse tabs.\n');

    const out = ok(dir, ['init', '--no-hooks', '--agents', 'claude,gemini', '--agents', 'cursor,copilot']);
    expect(out).toContain('base_branch: trunk (origin/HEAD');
    expect(read(dir, '.agents/config.yaml')).toMatch(/^base_branch: trunk$/m);
    const claude = read(dir, 'CLAUDE.md');
    expect(claude.startsWith('# Our rules\n\nUse tabs.\n\n<!-- baton:begin -->')).toBe(true);
    expect(claude).toContain('@AGENTS.md');
    expect(read(dir, 'GEMINI.md')).toContain('@AGENTS.md');
    expect(read(dir, '.cursor/rules/baton.mdc')).toMatch(/^---\ndescription: .*\nalwaysApply: true\n---\n/);
    expect(read(dir, '.github/copilot-instructions.md')).toContain('"Working with baton" in AGENTS.md');
    expect(read(dir, 'AGENTS.md')).toContain('## Working with baton');
    expect(ok(dir, ['init', '--no-hooks', '--agents', 'claude,gemini,cursor,copilot'])).toContain('nothing changed');
  });
});

describe('baton config get|set', () => {
  it('changes one value and keeps every comment; a bad value changes nothing', () => {
    const dir = makeProject();
    const before = read(dir, '.agents/config.yaml');
    expect(ok(dir, ['config', 'get', 'models.implementer.model']).trim()).toBe('gpt-5-mini');
    expect(ok(dir, ['config', 'set', 'models.implementer.model', 'qwen2.5-coder:14b'])).toContain('(was gpt-5-mini)');
    expect(read(dir, '.agents/config.yaml')).toBe(before.replace('model: gpt-5-mini', 'model: qwen2.5-coder:14b'));
    ok(dir, ['config', 'set', 'context_budget', '32000']);
    expect(JSON.parse(ok(dir, ['config', 'get', 'context_budget', '--json']))).toMatchObject({ key: 'context_budget', value: 32000 });

    const snapshot = snapshotFiles(dir);
    const bad = baton(dir, ['config', 'set', 'context_budget', 'lots']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/\.agents\/config\.yaml:\d+: `context_budget` must be a number/);
    const typo = baton(dir, ['config', 'set', 'base_brnach', 'dev']);
    expect(typo.stderr).toContain('Did you mean `base_branch`?');
    expect(snapshotFiles(dir)).toEqual(snapshot);
  });
});

describe('baton models check', () => {
  it('one call per role: latency, JSON-schema support, a failure named; the key comes from .env', async () => {
    server = await startChatServer([
      { content: '{"ok": true}' },
      { noStructuredOutput: true, content: '{"ok": true}' },
      { noStructuredOutput: true, content: '{"ok": true}' },
      { status: 404, body: { error: { message: 'The model `nope` does not exist' } } },
    ]);
    const dir = makeProject();
    const role = (model: string) => `    model: ${model}\n    base_url: ${server!.url}\n    api_key_env: BATON_CHECK_TEST_KEY\n`;
    write(dir, '.agents/config.yaml', `models:\n  planner:\n${role('gpt-5')}  reviewer:\n${role('local-model')}  implementer:\n${role('nope')}`);
    write(dir, '.env', '# keys\nBATON_CHECK_TEST_KEY=sk-from-dotenv\n');
    const r = await batonAsync(dir, ['models', 'check', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const roles = (JSON.parse(r.stdout) as { roles: { role: string; model: string; endpoint: string; ok: boolean; jsonSchema?: boolean; latencyMs: number; error?: string }[] }).roles;
    expect(roles.map((x) => [x.role, x.model, x.endpoint, x.ok, x.jsonSchema])).toEqual([
      ['planner', 'gpt-5', server.url, true, true],
      ['reviewer', 'local-model', server.url, true, false],
      ['implementer', 'nope', server.url, false, undefined],
    ]);
    expect(roles[2]!.error).toContain('not found (404)');
    expect(roles.every((x) => typeof x.latencyMs === 'number')).toBe(true);
    expect(server.requests).toHaveLength(4);
    expect(server.requests.every((q) => q.headers.authorization === 'Bearer sk-from-dotenv')).toBe(true);

    // An exported key wins over .env (the server's script is at its last step: 404 again).
    const again = await batonAsync(dir, ['models', 'check', 'planner'], { env: { BATON_CHECK_TEST_KEY: 'sk-exported' } });
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/^planner\s+gpt-5\s+http:\S+\s+\d+ ms\s+-\s+FAILED: .*not found \(404\)/m);
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer sk-exported');
  });
});
