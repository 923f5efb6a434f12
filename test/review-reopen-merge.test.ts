/**
 * A review reopens a merged task: the next `start` brings the base into the
 * old branch, and `done --merge` merges without a conflict in baton's own
 * front matter. Task files have a merge driver that decides baton's fields.
 */
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, read, taskFile, write } from './helpers/repo.js';

/** Commit whatever a command left (commands that commit their own files leave nothing). */
function commitAll(dir: string, message: string): void {
  git(dir, ['add', '-A']);
  if (git(dir, ['status', '--porcelain'])) git(dir, ['commit', '-q', '-m', message]);
}

/** A merged task, then a review (a hand-written answer) that reopens it and files a follow-up. */
function reopened(): { dir: string; id: string; follow: string } {
  const dir = makeProject({ hooks: true });
  const id = addTask(dir, 'Write the notes', '--check', 'test -f notes.md');
  commitAll(dir, 'plan');
  ok(dir, ['start', id]);
  write(dir, 'notes.md', 'First notes\n');
  git(dir, ['add', 'notes.md']);
  git(dir, ['commit', '-q', '-m', 'First notes']);
  ok(dir, ['log', id, '--outcome', 'success', '--summary', 'Notes written']);
  ok(dir, ['done', id, '--merge']);
  const answer = `## Summary\n\nThe notes miss the usage.\n\n## Follow-up tasks\n\n### usage: Document the usage\n\n- Follows: ${id}\n- Reason: nobody knows how to run it\n\n## Reopen\n\n- ${id}: the usage section is missing\n`;
  const r = baton(dir, ['review', '--import', '-'], { input: answer });
  expect(r.code, r.stderr).toBe(0);
  commitAll(dir, 'Review R-001');
  expect(read(dir, taskFile(dir, id))).toContain('status: todo');
  const follow = (JSON.parse(ok(dir, ['task', 'list', '--json'])).tasks as { id: string; title: string }[]).find((t) => t.title === 'Document the usage')!.id;
  return { dir, id, follow };
}

describe('a task reopened by a review', () => {
  it('is not closed before it is started again', () => {
    const { dir, id } = reopened();
    const r = baton(dir, ['done', id, '--merge']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`\`${id}\` was never started`);
  });

  for (const where of ['on its branch', 'in a worktree'] as const) {
    it(`start (${where}) brings the base in; done --merge merges without a conflict and leaves git status clean`, () => {
      const { dir, id, follow } = reopened();
      const started = JSON.parse(ok(dir, ['start', id, '--json', ...(where === 'in a worktree' ? ['--worktree'] : [])]));
      expect(started).toMatchObject({ created: false, attempt: 2, baseBroughtIn: 'fast-forward' });
      const wt = started.dir as string;
      // On the branch, the plan is the current one: the review's follow-up is there, the task in progress.
      const onBranch = JSON.parse(ok(wt, ['status', '--json']));
      expect(onBranch.inProgress.map((t: { id: string }) => t.id)).toEqual([id]);
      expect(onBranch.total).toBe(2);
      expect([...onBranch.ready, ...onBranch.blocked].map((t: { id: string }) => t.id)).toEqual([follow]);
      expect(read(wt, '.agents/reviews/R-001.md')).toContain('The notes miss the usage.');

      write(wt, 'notes.md', 'First notes\n\n## Usage\n\nRun it.\n');
      git(wt, ['commit', '-q', '-am', 'Usage section']);
      ok(wt, ['log', id, '--outcome', 'success', '--summary', 'Usage documented']);
      const done = baton(wt, ['done', id, '--merge']);
      expect(done.code, done.stderr).toBe(0);
      expect(done.stdout).toContain('Merged into main');

      expect(git(dir, ['status', '--porcelain'])).toBe('');
      expect(git(dir, ['show', `main:${taskFile(dir, id)}`])).toContain('status: done');
      expect(git(dir, ['show', 'main:notes.md'])).toContain('## Usage');
      expect(git(dir, ['show', `main:${taskFile(dir, follow)}`])).toContain('status: todo');
      expect(JSON.parse(ok(dir, ['status', '--json'])).headline).toBe('1/2 done · 1 ready');
    });
  }
});

describe('the task files\' merge driver', () => {
  it('a reopened task resumed by hand on its stale branch still merges, and is done on the base', () => {
    const { dir, id } = reopened();
    git(dir, ['switch', '-q', `task/${id}-write-the-notes`]); // the old branch, without the review
    ok(dir, ['task', 'set', id, '--status', 'in-progress']);
    commitAll(dir, 'Resume by hand');
    write(dir, 'notes.md', 'First notes\n\n## Usage\n');
    git(dir, ['commit', '-q', '-am', 'Usage section']);
    ok(dir, ['log', id, '--outcome', 'success', '--summary', 'Usage documented']);
    const done = baton(dir, ['done', id, '--merge']);
    expect(done.code, done.stderr).toBe(0);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    expect(read(dir, taskFile(dir, id))).toContain('status: done');
    expect(read(dir, '.agents/reviews/R-001.md')).toContain('The notes miss the usage.');
  });


  it('decides status and branch when both sides changed them; a person\'s own lines still conflict', () => {
    const dir = makeProject({ hooks: true });
    const id = addTask(dir, 'Parse the config', '--context', 'Read config.yaml.', '--requirement', 'One', '--requirement', 'Two');
    commitAll(dir, 'plan');
    const path = taskFile(dir, id);
    git(dir, ['switch', '-q', '-c', 'side']);
    ok(dir, ['task', 'set', id, '--status', 'review']);
    write(dir, path, read(dir, path).replace('- One', '- One, from side'));
    git(dir, ['commit', '-q', '-am', 'side: review']);
    git(dir, ['switch', '-q', 'main']);
    ok(dir, ['task', 'set', id, '--status', 'blocked']);
    write(dir, path, read(dir, path).replace('Read config.yaml.', 'Read config.yaml, from main.'));
    git(dir, ['commit', '-q', '-am', 'main: blocked']);

    git(dir, ['merge', '-q', '--no-edit', 'side']);
    const merged = read(dir, path);
    expect(merged).toContain('status: review'); // further along than blocked
    expect(merged).toContain('- One, from side');
    expect(merged).toContain('Read config.yaml, from main.');
    expect(git(dir, ['status', '--porcelain'])).toBe('');

    // Both sides rewrite the same requirement: that is a person's conflict, and git says so.
    git(dir, ['switch', '-q', '-c', 'other']);
    write(dir, path, read(dir, path).replace('- Two', '- Two, other'));
    git(dir, ['commit', '-q', '-am', 'other']);
    git(dir, ['switch', '-q', 'main']);
    write(dir, path, read(dir, path).replace('- Two', '- Two, main'));
    git(dir, ['commit', '-q', '-am', 'main']);
    const r = (() => {
      try {
        git(dir, ['merge', '-q', '--no-edit', 'other']);
        return 0;
      } catch {
        return 1;
      }
    })();
    expect(r).toBe(1);
    expect(read(dir, path)).toMatch(/<<<<<<< ours\n- Two, main\n=======\n- Two, other\n>>>>>>> theirs/);
  });
});
