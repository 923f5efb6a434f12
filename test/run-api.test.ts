import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addTask, batonAsync, git, makeProject, read, write } from './helpers/repo.js';
import { modelEnv, startChatServer, type ChatServer } from './helpers/chat-server.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function project(): { dir: string; id: string } {
  const dir = makeProject();
  write(dir, '.agents/config.yaml', read(dir, '.agents/config.yaml').replace(/^worktree_dir: .*$/m, `worktree_dir: ../${dir.split('/').pop()}-wt`));
  write(dir, 'src/app.txt', 'line one\nbroken\nline three\n');
  const id = addTask(dir, 'Fix the app', '--file', 'src/app.txt', '--check', 'grep -q fixed src/app.txt', '--check', 'test -f src/notes.md');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'plan']);
  return { dir, id };
}

const REPORT = '## Outcome\nsuccess\n\n## Summary\nFixed the broken line.\n\n## Bugs\n- The second line was broken.';
const GOOD_DIFF = '```diff\n--- a/src/app.txt\n+++ b/src/app.txt\n@@ -1,3 +1,3 @@\n line one\n-broken\n+fixed\n line three\n```';
const NOTES = '```file src/notes.md\n# Notes\n```';

describe('baton run with the api executor', () => {
  it('sends the prompt and the named files, gives files the model asks for, applies its edits and commits them', async () => {
    const { dir, id } = project();
    write(dir, 'src/util.txt', 'a helper\n');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'util']);
    server = await startChatServer([
      { content: '```need\nsrc/util.txt\n```' },
      { content: `${GOOD_DIFF}\n\n${NOTES}\n\n${REPORT}` },
    ]);
    const r = await batonAsync(dir, ['run', id], { env: modelEnv(server) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${id}: success`);
    const first = server.requests[0]!.body.messages;
    expect(first[0]!.content).toContain("`file <path>`");
    expect(first[1]!.content).toContain('Fix the app');
    expect(first[1]!.content).toContain('### src/app.txt\n```\nline one\nbroken\nline three\n```');
    expect(server.requests[1]!.body.messages.at(-1)!.content).toContain('### src/util.txt\n```\na helper\n```');

    const wt = /worktree (\S+)\.$/m.exec(r.stdout)![1]!;
    expect(read(wt, 'src/app.txt')).toBe('line one\nfixed\nline three\n');
    expect(read(wt, 'src/notes.md')).toBe('# Notes\n');
    expect(git(wt, ['status', '--porcelain'])).toBe('');
    expect(git(wt, ['show', '--stat', '--format=%B', 'HEAD~1'])).toMatch(/Fix the app\n\nedits from the model[\s\S]*src\/app.txt[\s\S]*src\/notes.md/);
    const memory = read(wt, `.agents/memory/${id}.md`);
    expect(memory).toMatch(/ usage implementer gpt-5-mini\nprompt_tokens: 2000\ncompletion_tokens: 1000\ncost_usd: 0.0025\ncalls: 2\nfor: run T-/);
    expect(memory).toMatch(/ check pass\n`grep -q fixed src\/app.txt`/);
    expect(memory).toMatch(/ result success\nFixed the broken line./);
    expect(memory).toMatch(/ bug\nThe second line was broken./);
  });

  it('sends edits that do not apply back with the error and the file, then applies the corrected ones', async () => {
    const { dir, id } = project();
    server = await startChatServer([
      { content: '```file ../outside.txt\nx\n```' },
      { content: '```diff\n--- a/src/app.txt\n+++ b/src/app.txt\n@@ -1,2 +1,2 @@\n line one\n-brokn\n+fixed\n```' },
      { content: `${GOOD_DIFF}\n${NOTES}\n${REPORT}` },
    ]);
    const r = await batonAsync(dir, ['run', id], { env: modelEnv(server) });
    expect(r.code).toBe(0);
    expect(server.requests).toHaveLength(3);
    const second = server.requests[1]!.body.messages.at(-1)!.content;
    expect(second).toContain('Your edits were not applied (nothing was changed): refused `../outside.txt`: it is outside the repository');
    const third = server.requests[2]!.body.messages.at(-1)!.content;
    expect(third).toContain('hunk 1 of src/app.txt (`@@ -1,2 +1,2 @@`) does not match the file');
    expect(third).toContain('The file as it is now:\n\n### src/app.txt\n```\nline one\nbroken\nline three\n```');
    expect(existsSync(join(dir, '..', 'outside.txt'))).toBe(false);
    const wt = /worktree (\S+)\.$/m.exec(r.stdout)![1]!;
    expect(read(wt, 'src/app.txt')).toBe('line one\nfixed\nline three\n');
  });

  it('gives up after a bounded number of tries and logs a failure, changing no file', async () => {
    const { dir, id } = project();
    server = await startChatServer([{ content: '```diff\n--- a/src/app.txt\n+++ b/src/app.txt\n@@ -1,2 +1,2 @@\n-nope\n+fixed\n```\n## Outcome\nsuccess' }]);
    const r = await batonAsync(dir, ['run', id], { env: modelEnv(server) });
    expect(r.code).toBe(1);
    expect(server.requests).toHaveLength(3);
    expect(r.stdout).toContain(`${id}: failure (the agent claimed success) — the model's edits did not apply after 3 tries: hunk 1 of src/app.txt`);
    const wt = /worktree (\S+)\.$/m.exec(r.stdout)![1]!;
    expect(read(wt, 'src/app.txt')).toBe('line one\nbroken\nline three\n');
    expect(read(wt, `.agents/memory/${id}.md`)).toMatch(/ result failure\nThe model's edits did not apply after 3 tries/);
  });
});
