/** The hooks on real repositories: every commit of a task branch becomes exactly one memory entry. */
import { describe, expect, it } from 'vitest';
import { git, ok, read, write, tempDir } from './helpers/repo.js';
import { clean, commitFile, commitRefs, expectExact, flush, shas, short, taskRepo } from './hooks-util.js';
import { join } from 'node:path';

describe('recording commits', () => {
  it('adds the Task trailer, records each commit once with the next commit, and leaves the tree clean', () => {
    const { dir, id } = taskRepo();
    const a = commitFile(dir, 'src/a.ts', 'export const a = 1;\n', 'Add a', ['-m', 'Why: the first module.\nSecond line.']);
    expect(clean(dir)).toBe('');
    expect(git(dir, ['log', '-1', '--format=%B'])).toContain(`Task: ${id}`);
    expect(commitRefs(dir, id)).toEqual([]); // a commit cannot hold its own SHA: it waits in the queue
    const b = commitFile(dir, 'src/b.ts', 'b\nb\n', 'Add b', ['-m', `Task: ${id}`]);
    expect(clean(dir)).toBe('');
    expect(git(dir, ['log', '-1', '--format=%B']).match(/^Task: /gm)).toHaveLength(1);
    // The entry for `a` went into commit `b` itself.
    const inB = git(dir, ['show', `${b}:.agents/memory/${id}.md`]);
    const time = git(dir, ['log', '-1', '--format=%ad', '--date=iso-strict', a]).trim();
    expect(new Date(time).toISOString().replace('.000', '')).toBe(inB.match(/^## (\S+) commit/m)![1]);
    expect(inB).toContain(`commit ${short(a)}\nAdd a\n\nWhy: the first module.\nSecond line.\n\n- src/a.ts +1 -0\n`);
    expect(inB).not.toContain('Task:');
    commitFile(dir, 'src/c.ts', 'c\n', 'Add c');
    expect(commitRefs(dir, id)).toEqual([a, b].map(short));
    expect(flush(dir)).toContain('1 memory entry written');
    expectExact(dir, id, ['main..HEAD']);
    expect(read(dir, `.agents/memory/${id}.md`)).not.toContain('.agents/memory/');
  });

  it('amend: one entry per commit, under the amended SHA, none for the commit it replaced', () => {
    const { dir, id } = taskRepo();
    commitFile(dir, 'a.txt', 'a\n', 'First');
    const before = commitFile(dir, 'b.txt', 'b\n', 'Second');
    write(dir, 'b.txt', 'b2\n');
    git(dir, ['commit', '-q', '-a', '--amend', '-m', 'Second, amended']);
    const middle = git(dir, ['rev-parse', 'HEAD']).trim();
    git(dir, ['commit', '-q', '--amend', '-m', 'Second, amended twice']);
    expect(clean(dir)).toBe('');
    commitFile(dir, 'c.txt', 'c\n', 'Third');
    expect(clean(dir)).toBe('');
    const refs = commitRefs(dir, id);
    expect(refs).not.toContain(short(before));
    expect(refs).not.toContain(short(middle));
    expect(refs).toEqual(shas(dir, ['main..HEAD~1']).map(short));
    expect(read(dir, `.agents/memory/${id}.md`)).toContain('Second, amended twice\n\n- b.txt +1 -0');
    flush(dir);
    expectExact(dir, id, ['main..HEAD']);
  });

  it('rebase onto a moved base: entries follow the new SHAs, in place, and the old ones are gone', () => {
    const { dir, id, branch } = taskRepo();
    const old = ['a', 'b', 'c'].map((n) => commitFile(dir, `${n}.txt`, `${n}\n`, `Add ${n}`));
    write(dir, `.agents/memory/${id}.md`, `${read(dir, `.agents/memory/${id}.md`)}\n## 2026-01-01T00:00:00Z note\nA note between commits.\n`);
    git(dir, ['commit', '-q', '-am', 'Note']);
    git(dir, ['checkout', '-q', 'main']);
    commitFile(dir, 'base.txt', 'moved\n', 'Base moves on');
    git(dir, ['checkout', '-q', branch]);
    git(dir, ['rebase', '-q', 'main']);
    expect(clean(dir)).toBe('');
    commitFile(dir, 'd.txt', 'd\n', 'Add d');
    expect(clean(dir)).toBe('');
    const refs = commitRefs(dir, id);
    for (const sha of old) expect(refs).not.toContain(short(sha));
    expect(refs).toEqual(shas(dir, ['main..HEAD~1']).map(short));
    expect(read(dir, `.agents/memory/${id}.md`)).toContain('A note between commits.');
    flush(dir);
    expectExact(dir, id, ['main..HEAD']);
  });

  it('cherry-pick and merge: the picked commit and the merge commit are each recorded once', () => {
    const { dir, id, branch } = taskRepo();
    commitFile(dir, 'a.txt', 'a\n', 'Add a');
    git(dir, ['checkout', '-q', 'main']);
    const picked = commitFile(dir, 'fix.txt', 'fix\n', 'Fix on main');
    commitFile(dir, 'other.txt', 'other\n', 'Other work on main');
    git(dir, ['checkout', '-q', branch]);
    git(dir, ['cherry-pick', picked]);
    git(dir, ['merge', '-q', '--no-edit', 'main']);
    expect(clean(dir)).toBe('');
    // `git merge --no-edit` runs no commit-msg hook: the merge belongs to the task by its branch.
    flush(dir);
    expectExact(dir, id, ['main..HEAD']);
    expect(commitRefs(dir, id)).not.toContain(short(picked));
    const memory = read(dir, `.agents/memory/${id}.md`);
    expect(memory).toContain("Merge branch 'main' into");
    expect(memory).toContain('- other.txt +1 -0');
  });

  it('a commit whose Task trailer names another task is recorded in that task, once', () => {
    const { dir, id } = taskRepo();
    const foreign = commitFile(dir, 'shared.txt', 'shared\n', 'Shared work', ['-m', 'Task: T-beef']);
    expect(git(dir, ['log', '-1', '--format=%B']).match(/^Task: /gm)).toEqual(['Task: ']);
    const own = commitFile(dir, 'own.txt', 'own\n', 'Own work');
    commitFile(dir, 'more.txt', 'more\n', 'More own work');
    expect(commitRefs(dir, 'T-beef')).toEqual([short(foreign)]);
    expect(commitRefs(dir, id)).toEqual([short(own)]);
    expect(clean(dir)).toBe('');
    flush(dir);
    expect(commitRefs(dir, 'T-beef')).toEqual([short(foreign)]);
    expect(commitRefs(dir, id)).toEqual(shas(dir, ['main..HEAD']).filter((s) => s !== foreign).map(short));
    const rebuilt = ok(dir, ['memory', 'rebuild']);
    expect(rebuilt).not.toContain(id);
    expect(rebuilt).not.toContain('T-beef');
  });

  it('commits off task branches go to project.md, unless record_off_task_commits is false', () => {
    const { dir } = taskRepo();
    git(dir, ['checkout', '-q', 'main']);
    const one = commitFile(dir, 'x.txt', 'x\n', 'Off-task work');
    commitFile(dir, 'y.txt', 'y\n', 'More off-task work');
    expect(clean(dir)).toBe('');
    expect(git(dir, ['log', '-1', '--format=%B'])).not.toContain('Task:');
    expect(commitRefs(dir, 'project')).toContain(short(one));
    write(dir, '.agents/config.yaml', `${read(dir, '.agents/config.yaml').replace('record_off_task_commits: true', 'record_off_task_commits: false')}`);
    git(dir, ['commit', '-q', '-am', 'Stop recording off-task commits']);
    const quiet = commitFile(dir, 'z.txt', 'z\n', 'Unrecorded');
    commitFile(dir, 'w.txt', 'w\n', 'Unrecorded too');
    expect(commitRefs(dir, 'project')).not.toContain(short(quiet));
  });

  it('a commit in a worktree is recorded in that worktree; `git commit <path>` leaves it clean too', () => {
    const { dir } = taskRepo();
    git(dir, ['checkout', '-q', 'main']);
    const id = ok(dir, ['task', 'add', 'In a worktree', '--json']).match(/"id": "([^"]+)"/)![1]!;
    git(dir, ['commit', '-q', '-am', 'x', '--allow-empty']); // `task add` committed the task itself
    const wt = join(tempDir(), 'wt');
    git(dir, ['worktree', 'add', '-q', '-b', `task/${id}-in-a-worktree`, wt]);
    commitFile(wt, 'w1.txt', 'one\n', 'Worktree one');
    write(wt, 'w2.txt', 'two\n');
    git(wt, ['add', 'w2.txt']);
    git(wt, ['commit', '-q', '-m', 'Worktree two (only this path)', 'w2.txt']);
    expect(clean(wt)).toBe('');
    expect(git(wt, ['log', '-1', '--format=%B'])).toContain(`Task: ${id}`);
    expect(commitRefs(wt, id)).toHaveLength(1);
    flush(wt);
    expectExact(wt, id, ['main..HEAD']);
    expect(clean(dir)).toBe('');
  });
});
