/**
 * What the loop refuses, and that a refusal changes nothing: no file, no
 * branch, no commit.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, copied, git, makeProject, ok, read, snapshotFiles, taskFile, tempDir, write } from './helpers/repo.js';

/** Everything a refusal must leave alone. */
function state(dir: string) {
  return {
    files: snapshotFiles(dir),
    readme: read(dir, 'README.md'),
    branch: git(dir, ['branch', '--show-current']),
    refs: git(dir, ['for-each-ref', '--format=%(refname) %(objectname)']),
    status: git(dir, ['status', '--porcelain']),
  };
}

/** Two tasks, the second waiting on the first, committed: planned once, copied for each test. */
const planned = copied((): { dir: string; a: string; b: string } => {
  const dir = makeProject();
  const a = addTask(dir, 'Readme intro', '--check', 'grep -q Intro README.md');
  const b = addTask(dir, 'Readme usage', '-d', a);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-qm', 'plan']);
  return { dir, a, b };
});

describe('refusals leave everything as it was', () => {
  it('an unknown id, for every loop command', () => {
    const { dir } = planned();
    const before = state(dir);
    for (const args of [['prompt', 'T-ffff'], ['start', 'T-ffff'], ['log', 'T-ffff', '--outcome', 'success'], ['done', 'T-ffff', '--merge'], ['pr', 'T-ffff']]) {
      const r = baton(dir, args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain('no task `T-ffff`');
      expect(r.stderr).toContain('baton task list');
    }
    expect(state(dir)).toEqual(before);
  });

  it('a task that is not ready, or done; --force overrides', () => {
    const { dir, a, b } = planned();
    const before = state(dir);
    const r = baton(dir, ['start', b]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${taskFile(dir, b)}:5: \`${b}\` is not ready: it waits on \`${a}\` (todo)`);
    expect(r.stderr).toContain(`baton start ${b} --force`);
    expect(state(dir)).toEqual(before);

    ok(dir, ['task', 'set', a, '--status', 'done']);
    git(dir, ['commit', '-qam', 'a done']);
    const again = baton(dir, ['start', a]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`\`${a}\` is done; there is nothing to start`);

    expect(ok(dir, ['start', a, '--force'])).toContain(`created task/${a}-readme-intro`);
  });

  it('uncommitted changes that would be carried to the task branch', () => {
    const { dir, a } = planned();
    write(dir, 'README.md', '# sample\nwork in progress\n');
    const before = state(dir);
    const r = baton(dir, ['start', a]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`uncommitted changes (\`README.md\`) would be carried to \`task/${a}-readme-intro\``);
    expect(r.stderr).toContain('--worktree');
    expect(state(dir)).toEqual(before);
    // Untracked files and the prompt baton wrote do not count.
    ok(dir, ['prompt', a]);
    git(dir, ['checkout', '--', 'README.md']);
    write(dir, 'notes.txt', 'scratch\n');
    expect(ok(dir, ['start', a])).toContain(`created task/${a}-readme-intro`);
    expect(read(dir, 'notes.txt')).toBe('scratch\n');
  });

  it('a worktree leaves uncommitted changes in this checkout where they are', () => {
    const { dir, a } = planned();
    const trees = tempDir('baton-trees-');
    write(dir, '.agents/config.yaml', read(dir, '.agents/config.yaml').replace(/^worktree_dir: .*$/m, `worktree_dir: ${trees}`));
    git(dir, ['commit', '-qam', 'config']);
    write(dir, 'README.md', '# sample\nwork in progress\n');
    const r = JSON.parse(ok(dir, ['start', a, '--worktree', '--json']));
    expect(r.dir).toBe(join(trees, `${a}-readme-intro`));
    expect(read(dir, 'README.md')).toBe('# sample\nwork in progress\n');
    expect(read(r.dir, 'README.md')).toBe('# sample\n');
    expect(git(dir, ['branch', '--show-current']).trim()).toBe('main');
  });

  it('a merge that would conflict: nothing is written, nothing switched', () => {
    const { dir, a } = planned();
    ok(dir, ['start', a]);
    write(dir, 'README.md', '# sample\n\nIntro from the task.\n');
    git(dir, ['commit', '-qam', 'Intro']);
    ok(dir, ['log', a, '--outcome', 'success', '--summary', 'Intro written']);
    git(dir, ['switch', '-q', 'main']);
    write(dir, 'README.md', '# sample\n\nA different intro on main.\n');
    git(dir, ['commit', '-qam', 'Other intro']);
    git(dir, ['switch', '-q', `task/${a}-readme-intro`]);

    const before = state(dir);
    const r = baton(dir, ['done', a, '--merge']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`\`task/${a}-readme-intro\` cannot be merged into \`main\`: \`README.md\` would conflict`);
    expect(r.stderr).toContain('Nothing was changed.');
    expect(r.stderr).toContain(`git switch task/${a}-readme-intro && git merge main`);
    expect(state(dir)).toEqual(before);
    expect(read(dir, taskFile(dir, a))).toContain('status: review');
  });

  it('a failing check refuses the merge; --skip-checks merges anyway', () => {
    const { dir, a } = planned();
    ok(dir, ['start', a]);
    write(dir, 'other.txt', 'no intro here\n');
    git(dir, ['add', 'other.txt']);
    git(dir, ['commit', '-qm', 'Other']);
    git(dir, ['switch', '-q', 'main']); // done works from the base branch too
    const before = state(dir);
    const r = baton(dir, ['done', a, '--merge']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the check \`grep -q Intro README.md\` failed on \`task/${a}-readme-intro\` (exit 1); not merged`);
    // Nothing changed here; the failure is recorded on the task's branch, where the next attempt reads it.
    const after = state(dir);
    expect({ ...after, refs: '' }).toEqual({ ...before, refs: '' });
    expect(after.refs).toContain(before.refs.split('\n').find((l) => l.startsWith('refs/heads/main '))!);
    expect(git(dir, ['log', '-1', '--format=%s', `task/${a}-readme-intro`]).trim()).toBe(`Check failed ${a}: \`grep -q Intro README.md\``);
    expect(git(dir, ['show', `task/${a}-readme-intro:.agents/memory/${a}.md`])).toMatch(/ check fail\n`grep -q Intro README.md` exited 1/);

    const merged = ok(dir, ['done', a, '--merge', '--skip-checks']);
    expect(merged).toContain('Merged into main');
    expect(read(dir, 'other.txt')).toBe('no intro here\n');
    expect(read(dir, taskFile(dir, a))).toContain('status: done');
  });

  it('done on a task that was never started, from another task\'s branch', () => {
    const { dir, a, b } = planned();
    ok(dir, ['start', a]);
    const before = state(dir);
    const r = baton(dir, ['done', b]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`\`${b}\` was never started`);
    expect(r.stderr).toContain(`baton start ${b}`);
    expect(state(dir)).toEqual(before);
  });

  it('log from another branch while the task branch is not checked out', () => {
    const { dir, a } = planned();
    ok(dir, ['start', a]);
    git(dir, ['switch', '-q', 'main']);
    const before = state(dir);
    const r = baton(dir, ['log', a, '--outcome', 'success']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`\`task/${a}-readme-intro\` is not checked out, and the record of \`${a}\` belongs on it`);
    expect(r.stderr).toContain(`git switch task/${a}-readme-intro`);
    expect(state(dir)).toEqual(before);
  });

  it('log with nothing to record', () => {
    const { dir, a } = planned();
    const before = state(dir);
    const r = baton(dir, ['log', a]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`nothing to log for \`${a}\``);
    expect(state(dir)).toEqual(before);
  });
});
