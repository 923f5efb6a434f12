/**
 * Commits that reach the base by ways baton did not make (issue 21): a plain
 * `git merge --no-ff` of a feature branch (its tip's entry waited in the feature
 * branch's queue, which nothing reads again), commits made on a detached HEAD,
 * in a worktree removed with `--force` (its queue went with it), and a
 * `reset --hard` (the entries of the commits before it were in the commit it
 * dropped). Whatever reaches the history with no entry is found by `doctor`
 * and recorded by the next flush (`baton sync`, `log`, `done`).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, read, tempDir } from './helpers/repo.js';

/** Commits of HEAD's history (not baton's own, not the first) with no entry in any memory file. */
function unrecorded(dir: string): string[] {
  const dirMem = join(dir, '.agents/memory');
  const memory = readdirSync(dirMem).map((n) => readFileSync(join(dirMem, n), 'utf8')).join('\n');
  return git(dir, ['log', '--format=%H %(trailers:key=Baton-Commit,valueonly,separator=%x20)%x1f%s'])
    .split('\n').filter(Boolean)
    .filter((l) => !/^\S+ \S/.test(l.split('\x1f')[0]!) && !l.endsWith('\x1fInitial commit'))
    .map((l) => l.slice(0, 40))
    .filter((sha) => !memory.includes(`commit ${sha.slice(0, 12)}`));
}

/** Doctor sees what is lost (never "All good" with a commit missing); a flush records it all. */
function expectFoundAndRecorded(dir: string): void {
  const lost = unrecorded(dir).length;
  const doctor = baton(dir, ['doctor']);
  // HEAD's own entry waits in the queue (the next commit writes it): pending, not lost.
  if (lost > 1) expect(doctor.stdout).toMatch(/missing from memory/);
  const sync = baton(dir, ['sync']);
  expect(sync.code, sync.stderr).toBe(0);
  expect(unrecorded(dir)).toEqual([]);
  expect(baton(dir, ['doctor']).stdout).not.toMatch(/missing from memory/);
}

function commit(dir: string, name: string, message: string): string {
  writeFileSync(join(dir, name), `${name}\n`);
  git(dir, ['add', name]);
  git(dir, ['commit', '-q', '-m', message]);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

describe('a plain merge of a feature branch', () => {
  it('--no-ff: every feature commit, the tip too, is in project.md once, and doctor finds nothing missing', () => {
    const dir = makeProject({ hooks: true });
    git(dir, ['switch', '-q', '-c', 'feature']);
    const shas = [1, 2, 3].map((i) => commit(dir, `f${i}.txt`, `Feature ${i}`));
    git(dir, ['switch', '-q', 'main']);
    commit(dir, 'm.txt', 'Main work');
    git(dir, ['merge', '-q', '--no-ff', 'feature', '-m', 'Merge feature']);
    commit(dir, 'after.txt', 'After the merge');
    const memory = read(dir, '.agents/memory/project.md');
    for (const sha of shas) expect(memory.match(new RegExp(`^## \\S+ commit ${sha.slice(0, 12)}$`, 'gm'))).toHaveLength(1);
    const doctor = baton(dir, ['doctor']);
    expect(doctor.stdout).not.toMatch(/missing from memory/);
  });
});

describe('commits that reach the base by other ways', () => {
  it('detached-HEAD commits kept on a branch and merged are recorded', () => {
    const dir = makeProject({ hooks: true });
    git(dir, ['switch', '-q', '--detach']);
    const detached = [1, 2].map((i) => commit(dir, `d${i}.txt`, `Detached ${i}`));
    git(dir, ['switch', '-q', '-c', 'kept']);
    commit(dir, 'k.txt', 'Kept');
    git(dir, ['switch', '-q', 'main']);
    git(dir, ['merge', '-q', '--no-ff', 'kept', '-m', 'Merge kept']);
    commit(dir, 'after.txt', 'After');
    expectFoundAndRecorded(dir);
    for (const sha of detached) expect(read(dir, '.agents/memory/project.md')).toContain(`commit ${sha.slice(0, 12)}`);
  });

  it('commits of a worktree removed with --force are recorded once merged', () => {
    const dir = makeProject({ hooks: true });
    const wt = join(tempDir(), 'wt');
    git(dir, ['worktree', 'add', '-q', '-b', 'side', wt]);
    [1, 2, 3].forEach((i) => commit(wt, `w${i}.txt`, `Worktree ${i}`));
    writeFileSync(join(wt, 'dirty.txt'), 'x\n');
    git(dir, ['worktree', 'remove', '--force', wt]);
    git(dir, ['merge', '-q', '--no-ff', 'side', '-m', 'Merge side']);
    commit(dir, 'after.txt', 'After');
    expectFoundAndRecorded(dir);
  });

  it('reset --hard then a commit on main: the commits before the reset keep their entries', () => {
    const dir = makeProject({ hooks: true });
    [1, 2, 3, 4].forEach((i) => commit(dir, `m${i}.txt`, `Main ${i}`));
    git(dir, ['reset', '-q', '--hard', 'HEAD~1']);
    commit(dir, 'n.txt', 'New after reset');
    commit(dir, 'n2.txt', 'Another');
    expectFoundAndRecorded(dir);
  });

  it('reset --hard then a commit on a task branch: the task memory has every commit of the branch', () => {
    const dir = makeProject({ hooks: true });
    const id = addTask(dir, 'Reset work');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Plan']);
    git(dir, ['switch', '-q', '-c', `task/${id}-reset-work`]);
    [1, 2, 3].forEach((i) => commit(dir, `t${i}.txt`, `Task ${i}`));
    git(dir, ['reset', '-q', '--hard', 'HEAD~1']);
    commit(dir, 'n.txt', 'New after reset');
    commit(dir, 'n2.txt', 'Another');
    expectFoundAndRecorded(dir);
    const mine = git(dir, ['rev-list', 'HEAD', '--not', 'main']).split('\n').filter(Boolean);
    for (const sha of mine) expect(read(dir, `.agents/memory/${id}.md`)).toContain(`commit ${sha.slice(0, 12)}`);
  });

  it('project.md after plain merges of several branches, fast-forward and not, has every commit', () => {
    const dir = makeProject({ hooks: true });
    for (const [name, ff] of [['a', false], ['b', true], ['c', false]] as const) {
      git(dir, ['switch', '-q', '-c', name]);
      [1, 2].forEach((i) => commit(dir, `${name}${i}.txt`, `${name} ${i}`));
      git(dir, ['switch', '-q', 'main']);
      if (!ff) commit(dir, `main-${name}.txt`, `Main before ${name}`);
      git(dir, ['merge', '-q', ff ? '--ff' : '--no-ff', name, '-m', `Merge ${name}`]);
    }
    commit(dir, 'after.txt', 'After');
    expectFoundAndRecorded(dir);
  });
});

describe('a branch that reached the base without a merge', () => {
  it('fast-forwarded by `git rebase` and deleted: doctor reports its tip, the next flush records it', () => {
    const dir = makeProject({ hooks: true });
    git(dir, ['switch', '-q', '-c', 'feature']);
    const shas = [1, 2, 3].map((i) => commit(dir, `f${i}.txt`, `Feature ${i}`));
    git(dir, ['switch', '-q', 'main']);
    git(dir, ['rebase', '-q', 'feature']); // a fast-forward: no hook runs
    git(dir, ['branch', '-q', '-D', 'feature']); // its queue, holding the tip, is never read again
    const tip = shas[2]!.slice(0, 12);
    expect(read(dir, '.agents/memory/project.md')).not.toContain(`commit ${tip}`);
    const doctor = baton(dir, ['doctor']);
    expect(doctor.stdout).toMatch(new RegExp(`missing from memory: .*${tip}`));
    expect(doctor.stdout).not.toMatch(/All good/);
    expect(baton(dir, ['sync']).code).toBe(0);
    expect(read(dir, '.agents/memory/project.md')).toContain(`commit ${tip}`);
    expect(baton(dir, ['doctor']).stdout).not.toMatch(/missing from memory/);
  });
});

describe('an octopus merge of task branches that added tasks of their own', () => {
  it('merges with no conflict on plan.md (task branches never write it), records every commit, and the table shows every task', () => {
    const dir = makeProject({ hooks: true });
    const [left, right] = ['Left', 'Right'].map((t) => addTask(dir, t));
    const branches: string[] = [];
    const subs: string[] = [];
    for (const id of [left!, right!]) {
      git(dir, ['switch', '-q', 'main']);
      // main's plan moves on between the two starts: plan.md differs on every side.
      if (id === right) addTask(dir, 'Added on main meanwhile');
      branches.push((JSON.parse(ok(dir, ['start', id!, '--json'])) as { branch: string }).branch);
      subs.push(addTask(dir, `Found while doing ${id}`));
      commit(dir, `${id}.txt`, `Work of ${id}`);
    }
    git(dir, ['switch', '-q', 'main']);
    for (const b of branches) expect(git(dir, ['diff', '--name-only', `main...${b}`])).not.toContain('.agents/plan.md');
    git(dir, ['merge', '-q', '--no-edit', ...branches]); // throws on "Should not be doing an octopus"
    expect(git(dir, ['log', '-1', '--format=%P']).trim().split(' ').length).toBeGreaterThanOrEqual(2);
    expect(baton(dir, ['sync']).code).toBe(0);
    const plan = read(dir, '.agents/plan.md');
    for (const id of subs) expect(plan).toContain(id);
    expect(unrecorded(dir)).toEqual([]);
    expect(baton(dir, ['doctor']).stdout).not.toMatch(/missing from memory|stale entry/);
  });
});

describe('a cherry-pick across task branches', () => {
  it('after the next flush the other task\'s file holds the picked commit once and none of its own branch\'s entries; doctor finds nothing stale', () => {
    const dir = makeProject({ hooks: true });
    const [left, right] = ['Left', 'Right'].map((t) => addTask(dir, t));
    ok(dir, ['start', left!]);
    const leftShas = [1, 2, 3, 4].map((i) => commit(dir, `a${i}.txt`, `Left ${i}`));
    git(dir, ['switch', '-q', 'main']);
    ok(dir, ['start', right!]);
    commit(dir, 'r.txt', 'Right 1');
    git(dir, ['cherry-pick', leftShas[3]!]);
    const picked = git(dir, ['rev-parse', 'HEAD']).trim();
    expect(baton(dir, ['sync']).code).toBe(0);
    const memory = read(dir, `.agents/memory/${left}.md`);
    expect(memory.match(/^## \S+ commit /gm)).toHaveLength(1);
    expect(memory).toContain(`commit ${picked.slice(0, 12)}`);
    for (const sha of leftShas) expect(memory).not.toContain(`commit ${sha.slice(0, 12)}`);
    expect(baton(dir, ['doctor']).stdout).not.toMatch(/stale entry|not in the history of HEAD|missing from memory/);
    // The left branch keeps its own entries: merged, main has every commit of both.
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Right 2']);
    git(dir, ['switch', '-q', 'main']);
    ok(dir, ['done', right!, '--merge', '--skip-checks']);
    ok(dir, ['done', left!, '--merge', '--skip-checks']);
    const merged = read(dir, `.agents/memory/${left}.md`);
    for (const sha of leftShas.slice(0, 3)) expect(merged).toContain(`commit ${sha.slice(0, 12)}`);
  });
});
