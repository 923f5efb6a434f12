import { afterEach, describe, expect, it } from 'vitest';
import { addTask, batonAsync, git, makeProject, read, write } from './helpers/repo.js';
import { modelEnv, startChatServer, type ChatServer } from './helpers/chat-server.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('baton auto --budget-usd', () => {
  it('stops starting tasks once the recorded model cost reaches the budget, and stays stopped on a rerun', async () => {
    const dir = makeProject();
    const config = read(dir, '.agents/config.yaml').replace(/^worktree_dir: .*$/m, `worktree_dir: ../${dir.split('/').pop()}-wt`);
    // $1.50 a call: 1000 prompt and 500 completion tokens at $1000 per million each.
    write(dir, '.agents/config.yaml', `${config}\nprices:\n  gpt-5-mini: {input: 1000, output: 1000}\n`);
    const ids = ['one', 'two', 'three'].map((n) => addTask(dir, `Write ${n}`, '--check', `test -f ${n}.txt`));
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'plan']);
    const answer = (n: string) => ({ content: `\`\`\`file ${n}.txt\n${n}\n\`\`\`\n## Outcome\nsuccess\n## Summary\nWrote ${n}.txt.` });
    server = await startChatServer([answer('one'), answer('two'), answer('three')]);

    const r = await batonAsync(dir, ['auto', '--budget-usd', '2', '--no-review'], { env: modelEnv(server) });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toContain('Stopped: --budget-usd reached.');
    expect(r.stdout).toContain('2 attempts: 2 success (2 merged), 0 partial, 0 failure; model cost $3.0000.');
    expect(r.stdout).toMatch(new RegExp(`${ids[2]}  Write three  — not started`));
    expect(server.requests).toHaveLength(2);
    expect(read(dir, `.agents/memory/${ids[0]}.md`)).toMatch(/ usage implementer gpt-5-mini\n[\s\S]*cost_usd: 1.5\n/);

    // The spend is read back from the usage records: a new run starts nothing.
    const again = await batonAsync(dir, ['auto', '--budget-usd', '2', '--no-review'], { env: modelEnv(server) });
    expect(again.code).toBe(3);
    expect(again.stdout).toContain('0 attempts');
    expect(again.stdout).toContain('model cost $3.0000');
    expect(server.requests).toHaveLength(2);
  });
});
