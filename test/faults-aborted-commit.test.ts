/**
 * A commit that git stops after baton's pre-commit hook ran (nothing to commit, an
 * empty message, a commit-msg hook that says no) leaves memory and the index as
 * they were: `git status` shows only what the user had, and no entry is lost.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, GIT_ENV, ok, read, write } from './helpers/repo.js';
import { clean, commitFile, expectExact, flush, taskRepo } from './hooks-util.js';

/** `git commit …` that git refuses; its status and what it said. */
function refused(dir: string, args: string[], env: Record<string, string> = {}): { code: number | null; stderr: string } {
  const r = spawnSync('git', ['commit', ...args], { cwd: dir, env: { ...process.env, ...GIT_ENV, ...env }, encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr + r.stdout };
}

describe('a commit that does not happen', () => {
  it('leaves memory and the index as they were, and the next commit still records every commit once', () => {
    const { dir, id } = taskRepo();
    // A hand-written commit-msg hook that rejects WIP commits, which baton's stub runs.
    writeFileSync(join(dir, '.git/hooks/commit-msg'), '#!/bin/sh\nif grep -q WIP "$1"; then echo "no WIP commits" >&2; exit 1; fi\n', { mode: 0o755 });
    ok(dir, ['hooks', 'install']);
    commitFile(dir, 'a.txt', 'a\n', 'First'); // its entry waits for the next commit's pre-commit
    const memory = `.agents/memory/${id}.md`;
    const before = read(dir, memory);

    // Nothing staged: "nothing to commit", and nothing left behind.
    expect(refused(dir, ['-m', 'Nothing']).stderr).toContain('nothing to commit');
    expect([clean(dir), read(dir, memory)]).toEqual(['', before]);

    // An empty message, with a file staged: only that file stays staged.
    write(dir, 'b.txt', 'b\n');
    git(dir, ['add', 'b.txt']);
    expect(refused(dir, ['-m', '']).stderr).toContain('empty commit message');
    expect([clean(dir), read(dir, memory)]).toEqual(['A  b.txt\n', before]);

    // The user's commit-msg hook says no.
    expect(refused(dir, ['-m', 'WIP: b']).stderr).toContain('no WIP commits');
    expect([clean(dir), read(dir, memory)]).toEqual(['A  b.txt\n', before]);

    // An editor that leaves only git's comments.
    expect(refused(dir, [], { GIT_EDITOR: 'true' }).code).not.toBe(0);
    expect([clean(dir), read(dir, memory)]).toEqual(['A  b.txt\n', before]);

    // `commit -a` (git's temporary index) with an empty message: the tracked change stays unstaged.
    git(dir, ['commit', '-q', '-m', 'Second']);
    write(dir, 'b.txt', 'b2\n');
    const second = read(dir, memory);
    expect(refused(dir, ['-a', '-m', '']).code).not.toBe(0);
    expect([clean(dir), read(dir, memory)]).toEqual([' M b.txt\n', second]);

    // A message git keeps (`#` lines stay without an editor) is a commit like any other.
    git(dir, ['commit', '-q', '-a', '-m', '# not a comment here']);
    expect(clean(dir)).toBe('');
    commitFile(dir, 'c.txt', 'c\n', 'Third');
    expect(clean(dir)).toBe('');
    flush(dir);
    expectExact(dir, id, ['main..HEAD']);
  });

  it('`git add -A` with no change, then `git commit`: nothing to commit, nothing staged, and the next empty commit fails too', () => {
    const { dir, id } = taskRepo();
    commitFile(dir, 'a.txt', 'a\n', 'First'); // its entry waits for the next commit's pre-commit
    const memory = `.agents/memory/${id}.md`;
    const before = read(dir, memory);
    const head = git(dir, ['rev-parse', 'HEAD']).trim();
    // `git add -A` rewrites the index even when nothing changed (its time moves past the mark).
    for (let i = 0; i < 2; i++) {
      write(dir, 'a.txt', 'a\n');
      git(dir, ['add', '-A']);
      expect(refused(dir, ['-m', 'Nothing']).stderr).toContain('nothing to commit');
      expect([clean(dir), read(dir, memory)]).toEqual(['', before]);
      expect(git(dir, ['rev-parse', 'HEAD']).trim()).toBe(head);
    }
    expect(refused(dir, ['-m', 'Still nothing']).stderr).toContain('nothing to commit');
    expect(git(dir, ['rev-parse', 'HEAD']).trim()).toBe(head);
    expect(clean(dir)).toBe('');
    commitFile(dir, 'c.txt', 'c\n', 'Second');
    expect(clean(dir)).toBe('');
    flush(dir);
    expectExact(dir, id, ['main..HEAD']);
  });

  it('an editor that fails stops the commit where no hook runs after: the next commit puts memory right', () => {
    const { dir, id } = taskRepo();
    commitFile(dir, 'a.txt', 'a\n', 'First');
    write(dir, 'b.txt', 'b\n');
    git(dir, ['add', 'b.txt']);
    expect(refused(dir, [], { GIT_EDITOR: 'false' }).code).not.toBe(0);
    git(dir, ['commit', '-q', '-m', 'Second']);
    expect(clean(dir)).toBe('');
    commitFile(dir, 'c.txt', 'c\n', 'Third');
    expect(clean(dir)).toBe('');
    flush(dir);
    expectExact(dir, id, ['main..HEAD']);
  });
});
