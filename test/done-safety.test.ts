/**
 * `baton done` never destroys a person's work: a worktree with files in it
 * stays (and the output says why), a task with no work is not closed, a
 * blocked or partial task is not merged, and a failed check is remembered.
 */
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, copied, git, makeProject, ok, read, repoState, taskFile, write } from './helpers/repo.js';

const state = repoState;

function plan(...args: string[]): { dir: string; id: string } {
  const dir = makeProject();
  const id = addTask(dir, 'Write notes', ...args);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-qm', 'plan']);
  return { dir, id };
}

/** `plan()`, made once and copied for each test that starts from it. */
const planned = copied(() => plan());

/** Start in a worktree, commit work there, log a success; returns the worktree's path. */
function workedInWorktree(dir: string, id: string): string {
  const wt = resolve(dir, `../${basename(dir)}.baton-worktrees`, `${id}-write-notes`);
  ok(dir, ['start', id, '--worktree']);
  write(wt, 'notes.md', '# Notes\n');
  git(wt, ['add', 'notes.md']);
  git(wt, ['commit', '-qm', 'Add notes']);
  ok(wt, ['log', id, '--outcome', 'success', '--summary', 'Notes written.']);
  return wt;
}

describe('done --merge and the task worktree', () => {
  it('keeps a worktree that has untracked files, and says why', () => {
    const { dir, id } = planned();
    const wt = workedInWorktree(dir, id);
    write(wt, 'draft-ideas.txt', 'not committed, not ignored\n');
    const r = baton(dir, ['done', id, '--merge']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Merged into main');
    expect(r.stdout).toContain(`Kept the worktree ${wt}: it has untracked files (\`draft-ideas.txt\`), which removing it would delete.`);
    expect(read(wt, 'draft-ideas.txt')).toBe('not committed, not ignored\n');
    expect(read(dir, 'notes.md')).toBe('# Notes\n');
  });

  it('run from inside the worktree: merged, the worktree kept, and it says so', () => {
    const { dir, id } = planned();
    const wt = workedInWorktree(dir, id);
    const r = baton(wt, ['done', id, '--merge']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Merged into main');
    expect(r.stdout).toContain(`Kept the worktree ${wt}: you ran \`baton done\` from inside it.`);
    expect(existsSync(join(wt, 'notes.md'))).toBe(true);
  });
});

describe('done refuses what is not finished', () => {
  it('a task that was started but shows no work; --force closes it', () => {
    const { dir, id } = planned();
    ok(dir, ['start', id]);
    const before = state(dir);
    const r = baton(dir, ['done', id]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`\`${id}\` shows no work: no commits of its own, no result and no checks; not closed`);
    expect(r.stderr).toContain(`baton done ${id} --force`);
    expect(state(dir)).toEqual(before);
    expect(ok(dir, ['done', id, '--force'])).toContain(`${id}: done on task/${id}-write-notes`);
  });

  it('--merge of a partial or blocked task; --force merges it', () => {
    const { dir, id } = planned();
    ok(dir, ['start', id]);
    write(dir, 'notes.md', '# Half the notes\n');
    git(dir, ['add', 'notes.md']);
    git(dir, ['commit', '-qm', 'Half the notes']);
    ok(dir, ['log', id, '--outcome', 'partial', '--summary', 'Half done.']);
    const before = state(dir);
    const partial = baton(dir, ['done', id, '--merge']);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain(`\`${id}\` has a partial result as its last; not merged`);
    expect(state(dir)).toEqual(before);

    ok(dir, ['log', id, '--blocker', 'Waiting for the API key']);
    const blocked = baton(dir, ['done', id, '--merge']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain(`\`${id}\` is blocked (its last result: partial); not merged`);
    expect(blocked.stderr).toContain(`baton done ${id} --merge --force`);

    expect(ok(dir, ['done', id, '--merge', '--force'])).toContain('Merged into main');
    expect(read(dir, 'notes.md')).toBe('# Half the notes\n');
  });

  it('a failed check is written to memory: its failing lines, redacted', () => {
    const check = 'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do echo "ok $i passing"; done; echo "FAIL notes: expected 2 got 3 (OPENAI_API_KEY=sk-proj-""abcdefghijklmnopqrstuvwxyz123456)"; exit 1';
    const { dir, id } = plan('--check', check);
    ok(dir, ['start', id]);
    write(dir, 'notes.md', '# Notes\n');
    git(dir, ['add', 'notes.md']);
    git(dir, ['commit', '-qm', 'Add notes']);
    const r = baton(dir, ['done', id, '--merge']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not merged');
    expect(r.stderr).not.toContain('sk-proj-abcdefghijklmnopqrstuvwxyz123456');
    const memory = read(dir, `.agents/memory/${id}.md`);
    expect(memory).toMatch(/ check fail\n`for i in/);
    expect(memory).toContain('FAIL notes: expected 2 got 3');
    expect(memory).toContain('[REDACTED]');
    expect(memory).not.toContain('sk-proj-abcdefghijklmnopqrstuvwxyz123456');
    // Cut to what failed: the passing tests before it are left out (core/check-output.ts).
    expect(memory).not.toContain('ok 15 passing');
    expect(memory).not.toContain('ok 3 passing');
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    expect(read(dir, taskFile(dir, id))).toContain('status: in-progress');
  });
});

describe('a done that fails late', () => {
  it('leaves the task open and its files as they were when its commit is refused', () => {
    const { dir, id } = planned();
    ok(dir, ['start', id]);
    write(dir, 'notes.md', '# Notes\n');
    git(dir, ['add', 'notes.md']);
    git(dir, ['commit', '-qm', 'Add notes']);
    ok(dir, ['log', id, '--outcome', 'success', '--summary', 'Notes written.']);
    // The person's own hook refuses the next commit: baton's Done commit.
    writeFileSync(join(dir, '.git/hooks/pre-commit'), '#!/bin/sh\necho "pre-commit: not now" >&2\nexit 1\n');
    chmodSync(join(dir, '.git/hooks/pre-commit'), 0o755);
    const before = state(dir);
    const r = baton(dir, ['done', id]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`\`${id}\` was not closed`);
    const after = state(dir);
    const memory = `.agents/memory/${id}.md`;
    // Everything as it was, except that the memory may have gained the commits it was missing (never lose one).
    expect({ ...after.files, [memory]: '' }).toEqual({ ...before.files, [memory]: '' });
    expect({ ...after, files: {}, status: '' }).toEqual({ ...before, files: {}, status: '' });
    const added = after.files[memory]!.slice(before.files[memory]!.length);
    expect(after.files[memory]!.startsWith(before.files[memory]!)).toBe(true);
    expect(added.match(/^## \S+ (\w+)/gm)?.every((h) => h.endsWith(' commit')) ?? true).toBe(true);
    expect(read(dir, taskFile(dir, id))).toContain('status: review');
    expect(git(dir, ['diff', '--cached', '--name-only'])).toBe('');
  });
});

describe('baton pr', () => {
  it('redacts a key in the title', () => {
    const { dir, id } = planned();
    ok(dir, ['task', 'set', id, '--title', 'Rotate ghp_abcdefghijklmnopqrstuvwxyz0123456789']);
    const draft = JSON.parse(ok(dir, ['pr', id, '--json'])) as { title: string; body: string };
    expect(draft.title).toBe(`Rotate [REDACTED] (${id})`);
    expect(ok(dir, ['pr', id])).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
  });
});
