/** Hooks find baton when they run, repair themselves when stale, and never put a machine path in a tracked file. */
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, git, GIT_ENV, makeProject, ok, PROJECT_ROOT, read, tempDir, write } from './helpers/repo.js';
import { pathWithout } from './helpers/path.js';
import { commitFile, commitRefs, short, taskRepo } from './hooks-util.js';

describe('hooks that find baton', () => {
  it('a tracked .husky/ keeps its hooks for teammates and gets no machine path; uninstall restores it', () => {
    const dir = makeProject();
    const log = join(tempDir(), 'husky.log');
    const huskyHook = `#!/usr/bin/env sh\necho "husky ran" >> '${log}'\n`;
    write(dir, '.husky/pre-commit', huskyHook);
    chmodSync(join(dir, '.husky/pre-commit'), 0o755);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'husky']);
    git(dir, ['config', 'core.hooksPath', '.husky']);
    ok(dir, ['hooks', 'install']);
    const hooked = read(dir, '.husky/pre-commit');
    expect(hooked.startsWith(huskyHook)).toBe(true);
    for (const name of ['pre-commit', 'post-commit', 'commit-msg']) {
      const text = read(dir, `.husky/${name}`);
      expect(text).not.toContain(dir);
      expect(text).not.toContain(PROJECT_ROOT);
      expect(text).not.toContain(process.execPath);
    }
    const id = JSON.parse(ok(dir, ['task', 'add', 'Husky task', '--json'])).id as string;
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Add task and baton hooks']);
    git(dir, ['checkout', '-q', '-b', `task/${id}-husky-task`]);
    const first = commitFile(dir, 'a.txt', 'a\n', 'One');
    commitFile(dir, 'b.txt', 'b\n', 'Two');
    expect(commitRefs(dir, id)).toEqual([short(first)]);
    // Every commit: baton's Plan commit of the task, the hooks, One and Two.
    expect(readFileSync(log, 'utf8').match(/husky ran/g)!.length).toBe(4);

    // A teammate's clone without baton: husky still runs, nothing is printed, the commit is made.
    const mate = tempDir('baton-mate-');
    git(mate, ['clone', '-q', dir, '.']);
    git(mate, ['config', 'core.hooksPath', '.husky']);
    write(mate, 'c.txt', 'c\n');
    git(mate, ['add', 'c.txt']);
    const r = spawnSync('git', ['commit', '-q', '-m', 'Teammate'], { cwd: mate, env: { ...process.env, ...GIT_ENV, PATH: pathWithout('baton') }, encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(readFileSync(log, 'utf8').match(/husky ran/g)!.length).toBe(5);

    ok(dir, ['hooks', 'uninstall']);
    expect(read(dir, '.husky/pre-commit')).toBe(huskyHook);
  });

  it('any command reinstalls hooks whose package moved; the plan.md driver merges with markers when baton is gone', () => {
    const { dir, id, branch } = taskRepo();
    const env = join(dir, '.git/baton/hooks.env');
    const manifest = join(dir, '.git/baton/hooks.json');
    writeFileSync(env, read(dir, '.git/baton/hooks.env').replaceAll(PROJECT_ROOT, '/nonexistent/baton'));
    writeFileSync(manifest, read(dir, '.git/baton/hooks.json').replace(/"pkg": ".*"/, '"pkg": "/nonexistent/baton"'));
    const status = baton(dir, ['status']);
    expect(status.code).toBe(0);
    expect(status.stderr).toContain('baton: reinstalled the git hooks (the package they ran is gone');
    expect(read(dir, '.git/baton/hooks.env')).toContain(`baton_pkg='${PROJECT_ROOT}'`);
    expect(baton(dir, ['status']).stderr).not.toContain('reinstalled');
    const sha = commitFile(dir, 'a.txt', 'a\n', 'After the refresh');
    commitFile(dir, 'b.txt', 'b\n', 'Next');
    expect(commitRefs(dir, id)).toEqual([short(sha)]);

    // plan.md changed on both sides, and no baton anywhere: git's own merge, both sides kept.
    const driver = git(dir, ['config', 'merge.baton-plan.driver']).trim().replaceAll(PROJECT_ROOT, '/nonexistent/baton');
    git(dir, ['config', 'merge.baton-plan.driver', driver]);
    const plan = read(dir, '.agents/plan.md');
    const noBaton = { PATH: pathWithout('baton'), BATON_HOOKS: '0' };
    write(dir, '.agents/plan.md', `${plan}\nOurs: ship on Friday.\n`);
    git(dir, ['commit', '-q', '-am', 'Ours'], noBaton);
    git(dir, ['checkout', '-q', 'main'], noBaton);
    write(dir, '.agents/plan.md', `${plan}\nTheirs: ship on Monday.\n`);
    git(dir, ['commit', '-q', '-am', 'Theirs'], noBaton);
    const merge = spawnSync('git', ['merge', '-m', 'Merge', branch], { cwd: dir, env: { ...process.env, ...GIT_ENV, ...noBaton }, encoding: 'utf8' });
    expect(merge.status).not.toBe(0); // a real conflict in the prose, reported as one
    const merged = read(dir, '.agents/plan.md');
    expect(merged).toContain('Ours: ship on Friday.');
    expect(merged).toContain('Theirs: ship on Monday.');
    expect(merged).toMatch(/^<<<<<<< /m);
  });
});
