/**
 * `done --merge` while a `git commit` waits in its editor (issue 21): it used to
 * switch and merge under it (exit 0), and the waiting commit then failed. It now
 * refuses, changing nothing, and the commit goes through.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, GIT_ENV, makeProject, ok, tempDir } from './helpers/repo.js';

describe('a commit waiting in its editor', () => {
  it('done --merge refuses and changes nothing; once the commit is made, done --merge works', async () => {
    const dir = makeProject({ hooks: true });
    const id = addTask(dir, 'Editor open');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Plan']);
    ok(dir, ['start', id]);
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    git(dir, ['add', 'a.txt']);
    git(dir, ['commit', '-q', '-m', 'First work']);
    ok(dir, ['log', id, '--outcome', 'success', '--summary', 'Works']);

    // An editor that holds the commit until the test lets it go.
    const tmp = tempDir();
    const release = join(tmp, 'release');
    const opened = join(tmp, 'opened');
    const editor = join(tmp, 'editor.sh');
    writeFileSync(editor, `#!/bin/sh\n: > '${opened}'\nwhile [ ! -e '${release}' ]; do sleep 0.05; done\necho "Second work" > "$1"\n`, { mode: 0o755 });
    // Rewording the last commit: nothing staged, so nothing else tells that a commit is under way.
    const commit = spawn('git', ['commit', '-q', '--amend'], { cwd: dir, env: { ...process.env, ...GIT_ENV, GIT_EDITOR: editor } });
    const exited = new Promise<number>((resolve) => commit.on('close', (code) => resolve(code ?? 1)));
    while (!existsSync(opened)) await new Promise((r) => setTimeout(r, 20));
    const head = git(dir, ['rev-parse', 'HEAD']);

    const refused = baton(dir, ['done', id, '--merge', '--skip-checks']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/a `git commit` is under way in .*its message editor may be open/);
    expect(git(dir, ['rev-parse', 'HEAD'])).toBe(head);
    expect(git(dir, ['branch', '--show-current']).trim()).toMatch(/^task\//);

    writeFileSync(release, '');
    expect(await exited).toBe(0);
    expect(git(dir, ['log', '-1', '--format=%s'])).toBe('Second work\n');
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    const done = baton(dir, ['done', id, '--merge', '--skip-checks']);
    expect(done.code, done.stderr).toBe(0);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('a\n');
    expect(git(dir, ['log', '--format=%s', 'main'])).toContain('Second work');
    expect(git(dir, ['status', '--porcelain'])).toBe('');
  });
});
