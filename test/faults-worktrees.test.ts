/**
 * Worktrees of one repository share its git hooks, and each may run its own build
 * of baton (a task branch with newer or older hooks/ scripts than main): they must
 * not take turns reinstalling them, and the hooks must keep working from each.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, GIT_ENV, ok, PROJECT_ROOT, read, tempDir, type RunResult } from './helpers/repo.js';
import { clean, commitFile, commitRefs, short, taskRepo } from './hooks-util.js';

const STAMP = /^# baton-hook-stamp: (\d+)/m;
const ourStamp = Number(STAMP.exec(readFileSync(join(PROJECT_ROOT, 'hooks/stub'), 'utf8'))![1]);

/**
 * Another build of baton, as in another checkout: this package's dist/ with its own
 * hooks/ (the stub edited by `stub`), whose baton.sh notes in the git dir that it ran.
 */
function otherBuild(name: string, stub: (text: string) => string): string {
  const pkg = tempDir(`baton-build-${name}-`);
  cpSync(join(PROJECT_ROOT, 'dist'), join(pkg, 'dist'), { recursive: true, filter: (src) => !src.endsWith('/dist/tokenizer') });
  cpSync(join(PROJECT_ROOT, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(pkg, 'node_modules'));
  cpSync(join(PROJECT_ROOT, 'hooks'), join(pkg, 'hooks'), { recursive: true });
  writeFileSync(join(pkg, 'hooks/stub'), stub(readFileSync(join(PROJECT_ROOT, 'hooks/stub'), 'utf8')), { mode: 0o755 });
  const sh = readFileSync(join(PROJECT_ROOT, 'hooks/baton.sh'), 'utf8');
  writeFileSync(join(pkg, 'hooks/baton.sh'), `${sh}\necho ${name} >> "$baton_gc/baton/ran-by"\n`);
  return pkg;
}

function run(pkg: string, cwd: string, args: string[]): RunResult {
  const r = spawnSync(process.execPath, [join(pkg, 'dist/bin.js'), ...args], { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

const reinstalls = (stderr: string) => stderr.split('\n').filter((l) => l.includes('reinstalled the git hooks')).length;

/** The main checkout on one task's branch, a worktree on another's. */
function twoWorktrees(): { dir: string; wt: string; ids: [string, string] } {
  const { dir, id } = taskRepo();
  git(dir, ['checkout', '-q', 'main']);
  const other = addTask(dir, 'Second task');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'Second task']);
  git(dir, ['checkout', '-q', `task/${id}-record-commits`]);
  git(dir, ['merge', '-q', 'main']);
  const wt = join(tempDir('baton-wt-'), 'wt');
  git(dir, ['worktree', 'add', '-q', '-b', `task/${other}-second-task`, wt, 'main']);
  return { dir, wt, ids: [id, other] };
}

describe('hooks shared by worktrees that run different builds of baton', () => {
  it('builds with different hooks/ scripts and the same stamp: no reinstall from either, and commits are recorded in both', () => {
    const { dir, wt, ids } = twoWorktrees();
    const other = otherBuild('other', (s) => s.replace('#!/bin/sh\n', '#!/bin/sh\n# this checkout edited its stub\n'));
    const hooks = () => [read(dir, '.git/hooks/pre-commit'), read(dir, '.git/baton/hooks.env'), read(dir, '.git/baton/pkg/hooks/baton.sh')];
    const before = hooks();
    for (let i = 0; i < 2; i++) {
      expect(reinstalls(baton(dir, ['status']).stderr)).toBe(0);
      expect(reinstalls(run(other, wt, ['status']).stderr)).toBe(0);
    }
    expect(hooks()).toEqual(before);

    const first = [commitFile(dir, 'a.txt', 'a\n', 'Main one'), commitFile(wt, 'b.txt', 'b\n', 'Worktree one')];
    commitFile(dir, 'c.txt', 'c\n', 'Main two');
    commitFile(wt, 'd.txt', 'd\n', 'Worktree two');
    expect([commitRefs(dir, ids[0]), commitRefs(wt, ids[1])]).toEqual([[short(first[0]!)], [short(first[1]!)]]);
    expect([clean(dir), clean(wt)]).toEqual(['', '']);
    expect(reinstalls(run(other, wt, ['status']).stderr)).toBe(0);
    expect(hooks()).toEqual(before);
  });

  it('a build with a higher stamp upgrades them once; an older build then leaves them, and takes over only when that build is gone', () => {
    const { dir, wt, ids } = twoWorktrees();
    const newer = otherBuild('newer', (s) => s.replace(STAMP, `# baton-hook-stamp: ${ourStamp + 1}`));
    const env = () => read(dir, '.git/baton/hooks.env');

    const upgrade = run(newer, wt, ['status']);
    expect(reinstalls(upgrade.stderr)).toBe(1);
    expect(upgrade.stderr).toContain('they were from an older baton');
    expect(env()).toContain(`baton_pkg='${newer}'`);
    expect(reinstalls(run(newer, wt, ['status']).stderr)).toBe(0);
    // This (older) build neither downgrades them nor calls them stale.
    expect(reinstalls(baton(dir, ['status']).stderr)).toBe(0);
    expect(baton(dir, ['doctor']).stdout).not.toContain('is stale');
    expect(ok(dir, ['hooks', 'install'])).toContain('kept the hooks of a newer baton');
    expect(env()).toContain(`baton_pkg='${newer}'`);

    // Commits in both run the newer build's scripts and are recorded.
    const a = commitFile(dir, 'a.txt', 'a\n', 'Main one');
    const b = commitFile(wt, 'b.txt', 'b\n', 'Worktree one');
    commitFile(dir, 'c.txt', 'c\n', 'Main two');
    commitFile(wt, 'd.txt', 'd\n', 'Worktree two');
    expect([commitRefs(dir, ids[0]), commitRefs(wt, ids[1])]).toEqual([[short(a)], [short(b)]]);
    expect(new Set(read(dir, '.git/baton/ran-by').split('\n').filter(Boolean))).toEqual(new Set(['newer']));

    // The newer build is deleted (its worktree removed): the next command puts this one's in, with one line.
    rmSync(newer, { recursive: true, force: true });
    const takeover = baton(dir, ['status']);
    expect(reinstalls(takeover.stderr)).toBe(1);
    expect(takeover.stderr).toContain('the package they ran is gone');
    expect(env()).toContain(`baton_pkg='${PROJECT_ROOT}'`);
    expect(reinstalls(baton(dir, ['status']).stderr)).toBe(0);
    const e = commitFile(dir, 'e.txt', 'e\n', 'Main three');
    commitFile(dir, 'f.txt', 'f\n', 'Main four');
    expect(commitRefs(dir, ids[0])).toContain(short(e));
    expect(clean(dir)).toBe('');
  });

  it('doctor reports hooks installed by an older baton, and any other command updates them', () => {
    const { dir } = taskRepo();
    const older = otherBuild('older', (s) => s.replace(/^# baton-hook-stamp: .*\n(#.*\n)*?(?=baton_name=)/m, ''));
    run(older, dir, ['hooks', 'uninstall']);
    run(older, dir, ['hooks', 'install']);
    expect(existsSync(join(dir, '.git/hooks/pre-commit'))).toBe(true);
    const doctor = baton(dir, ['doctor']);
    expect(doctor.stdout + doctor.stderr).toMatch(/\.git\/hooks\/pre-commit:1.*is stale: it is from an older baton/);
    expect(ok(dir, ['hooks', 'status'])).toMatch(/pre-commit\s+baton \(from an older baton/);
    expect(reinstalls(baton(dir, ['status']).stderr)).toBe(1);
    expect(read(dir, '.git/hooks/pre-commit')).toBe(read(PROJECT_ROOT, 'hooks/stub'));
    const after = baton(dir, ['doctor']);
    expect(after.stdout + after.stderr).not.toContain('is stale');
  });
});
