/** Installing beside hooks that are already there, and never hurting a commit. */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, GIT_ENV, makeRepo, ok, PROJECT_ROOT, read, tempDir, write } from './helpers/repo.js';
import { pathWithout } from './helpers/path.js';
import { clean, commitFile, commitRefs, expectExact, flush, short, taskRepo } from './hooks-util.js';

/** The real husky (a dev dependency of baton), run as `npm install` runs it (`prepare`) or as `npx husky init`. */
function husky(dir: string, ...args: string[]): void {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules/husky/bin.js'), ...args], { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`husky ${args.join(' ')} failed: ${r.stderr}`);
}

function startTask(dir: string): string {
  const id = addTask(dir, 'Hooked');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'Add task']);
  git(dir, ['checkout', '-q', '-b', `task/${id}-hooked`]);
  return id;
}

const snapshot = (path: string) => ({ text: readFileSync(path, 'utf8'), mode: statSync(path).mode });

describe('baton hooks install / uninstall / status', () => {
  it('husky 9 (the real one): baton\'s line goes in the tracked .husky/<hook> files, survives `npm install` rewriting .husky/_, and uninstall restores them', () => {
    const dir = makeRepo();
    const log = join(tempDir(), 'husky.log');
    // A project with husky as `npx husky init` sets it up; node_modules is baton's own (husky is a dev dependency).
    write(dir, 'package.json', '{\n  "name": "lib",\n  "version": "1.0.0"\n}\n');
    write(dir, '.gitignore', 'node_modules\n');
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    husky(dir, 'init');
    const generated = read(dir, '.husky/_/pre-commit');
    // The user's own pre-commit (husky's default `npm test` would fail here: no tests).
    write(dir, '.husky/pre-commit', `echo "husky ran" >> '${log}'\n`);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Set up husky']);
    const userHook = read(dir, '.husky/pre-commit');

    const init = ok(dir, ['init']);
    expect(init).toContain('.husky/pre-commit (one line added: husky runs it');
    expect(init).toContain('.husky/post-commit (created: husky runs it');
    // husky's own folder is left as husky wrote it; the tracked files hold no path of this machine.
    expect(read(dir, '.husky/_/pre-commit')).toBe(generated);
    for (const hook of ['pre-commit', 'commit-msg', 'post-commit', 'post-merge', 'post-rewrite']) {
      const text = read(dir, `.husky/${hook}`).replace(userHook, '');
      expect(text).toContain('# added by `baton hooks install`');
      for (const local of [dir, tempDir().replace(/[^/]+$/, ''), PROJECT_ROOT, process.execPath]) expect(text).not.toContain(local);
    }
    expect(read(dir, '.husky/pre-commit').startsWith(userHook)).toBe(true);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'baton init']);

    // `npm install` runs husky (the `prepare` script), which writes .husky/_ anew.
    husky(dir);
    expect(read(dir, '.husky/_/pre-commit')).toBe(generated);
    expect(baton(dir, ['hooks', 'status']).code).toBe(0);
    const id = startTask(dir);
    const first = commitFile(dir, 'a.txt', 'a\n', 'One');
    expect(readFileSync(log, 'utf8')).toContain('husky ran');
    expect(git(dir, ['log', '-1', '--format=%B', first])).toContain(`Task: ${id}`);
    const second = commitFile(dir, 'b.txt', 'b\n', 'Two');
    // Recorded by the hooks themselves (the second commit's pre-commit wrote the first's entry), not by a backfill.
    expect(commitRefs(dir, id)).toEqual([short(first)]);
    flush(dir);
    expect(commitRefs(dir, id)).toEqual([short(first), short(second)]);
    const status = ok(dir, ['hooks', 'status']);
    expect(status).toContain('husky 9: it runs .husky/<hook>');
    expect(status).toMatch(/post-commit\s+baton\s+a line in \.husky\/post-commit/);

    // A teammate drops baton's line from one hook: status fails and says the fix; install puts it back.
    write(dir, '.husky/post-commit', '');
    const off = baton(dir, ['hooks', 'status']);
    expect(off.code).toBe(1);
    expect(off.stdout).toMatch(/post-commit\s+not installed/);
    expect(off.stdout).toContain("baton's `post-commit` hook is not in effect: commits are not recorded (husky rewrites `.husky/_` on every `npm install`). Run `baton hooks install`");
    expect(baton(dir, ['doctor']).stdout).toContain('hook `post-commit` is missing');
    ok(dir, ['hooks', 'install']);
    expect(baton(dir, ['hooks', 'status']).code).toBe(0);

    // Uninstall: the user's hook byte for byte, the files baton created gone, husky's folder untouched.
    git(dir, ['checkout', '-q', '--', '.husky/post-commit']);
    const removed = ok(dir, ['hooks', 'uninstall']);
    expect(removed).toContain(".husky/pre-commit: baton's line removed");
    expect(removed).toContain('.husky/post-commit removed (baton had created it)');
    expect(read(dir, '.husky/pre-commit')).toBe(userHook);
    expect(existsSync(join(dir, '.husky/post-commit'))).toBe(false);
    expect(read(dir, '.husky/_/pre-commit')).toBe(generated);
    const none = baton(dir, ['hooks', 'status']);
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/pre-commit\s+not installed/);
  });

  it('husky 9: what an older baton did (its stub in .husky/_, husky\'s kept aside) is not in effect; install moves baton to .husky/<hook> and commits work', () => {
    const dir = makeRepo();
    write(dir, 'package.json', '{\n  "name": "lib"\n}\n');
    write(dir, '.gitignore', 'node_modules\n');
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    husky(dir);
    const generated = read(dir, '.husky/_/pre-commit');
    ok(dir, ['init']);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'baton init']);
    // An older baton moved husky's stub aside and put its own in husky's generated folder.
    const kept = join(dir, '.git/baton/hooks-orig/pre-commit');
    mkdirSync(dirname(kept), { recursive: true });
    renameSync(join(dir, '.husky/_/pre-commit'), kept);
    write(dir, '.husky/_/pre-commit', read(PROJECT_ROOT, 'hooks/stub'));
    chmodSync(join(dir, '.husky/_/pre-commit'), 0o755);
    const fragile = baton(dir, ['hooks', 'status']);
    expect(fragile.code).toBe(1);
    expect(fragile.stdout).toContain("baton's `pre-commit` hook is not in effect");
    // `npm install`: husky writes its stub over baton's; the one kept aside is left behind.
    husky(dir);
    ok(dir, ['hooks', 'install']);
    expect(read(dir, '.husky/_/pre-commit')).toBe(generated);
    expect(existsSync(kept)).toBe(false);
    expect(baton(dir, ['hooks', 'status']).code).toBe(0);
    const id = startTask(dir);
    const sha = commitFile(dir, 'a.txt', 'a\n', 'One');
    commitFile(dir, 'b.txt', 'b\n', 'Two');
    expect(commitRefs(dir, id)).toEqual([short(sha)]);
  });

  it('a hand-written hook keeps its say (it can reject a commit) and gets its input; uninstall puts it back', () => {
    const dir = makeRepo();
    const log = join(tempDir(), 'user.log');
    const commitMsg = `#!/bin/sh\nif grep -q WIP "$1"; then echo "no WIP commits" >&2; exit 1; fi\necho "commit-msg ok" >> '${log}'\n`;
    const postRewrite = `#!/bin/bash\necho "post-rewrite $1" >> '${log}'\ncat >> '${log}'\n`;
    writeFileSync(join(dir, '.git/hooks/commit-msg'), commitMsg, { mode: 0o755 });
    writeFileSync(join(dir, '.git/hooks/post-rewrite'), postRewrite, { mode: 0o700 });
    const originals = ['commit-msg', 'post-rewrite'].map((h) => snapshot(join(dir, '.git/hooks', h)));
    ok(dir, ['init']);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'baton init']);
    const id = startTask(dir);
    write(dir, 'a.txt', 'a\n');
    git(dir, ['add', 'a.txt']);
    expect(() => git(dir, ['commit', '-q', '-m', 'WIP: not yet'])).toThrow(/no WIP commits/);
    expect(git(dir, ['log', '-1', '--format=%s'])).toContain('Plan: add'); // the commit before: the rejected one was not made
    git(dir, ['commit', '-q', '-m', 'Add a']);
    const before = git(dir, ['rev-parse', 'HEAD']).trim();
    git(dir, ['commit', '-q', '--amend', '-m', 'Add a (amended)']);
    const after = git(dir, ['rev-parse', 'HEAD']).trim();
    const userLog = readFileSync(log, 'utf8');
    expect(userLog).toContain('commit-msg ok');
    expect(userLog).toContain(`post-rewrite amend\n${before} ${after}`);
    commitFile(dir, 'b.txt', 'b\n', 'Add b');
    expect(commitRefs(dir, id)).toEqual([short(after)]);
    flush(dir);
    expectExact(dir, id, ['main..HEAD']);

    ok(dir, ['hooks', 'uninstall']);
    expect(['commit-msg', 'post-rewrite'].map((h) => snapshot(join(dir, '.git/hooks', h)))).toEqual(originals);
    expect(existsSync(join(dir, '.git/hooks/pre-commit'))).toBe(false);
  });
});

describe('never hurt a commit', () => {
  it('BATON_HOOKS=0 skips baton; doctor reports the commits missing from memory; rebuild adds them', () => {
    const { dir, id, branch } = taskRepo();
    commitFile(dir, 'a.txt', 'a\n', 'Recorded');
    const skipped = commitFile(dir, 'b.txt', 'b\n', 'Not recorded', [], { BATON_HOOKS: '0' });
    expect(git(dir, ['log', '-1', '--format=%B'])).not.toContain('Task:');
    flush(dir);
    expect(commitRefs(dir, id)).toContain(short(skipped)); // flush reads history, not only the queue
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Memory'], { BATON_HOOKS: '0' });
    commitFile(dir, 'c.txt', 'c\n', 'Also skipped', [], { BATON_HOOKS: '0' });
    const report = baton(dir, ['doctor']);
    expect(report.stdout).toContain(`.agents/memory/${id}.md: warning: 2 commits on \`${branch}\` missing from memory`);
    expect(report.stdout).toContain(`baton memory rebuild ${id}`);
    expect(ok(dir, ['memory', 'rebuild', id])).toContain(`${id}: 2 added`);
    expectExact(dir, id, ['main..HEAD']);
    expect(baton(dir, ['doctor']).stdout).not.toContain('missing from memory');
  });

  it('a broken .agents/ or a missing node: the commit succeeds and the hook prints one line', () => {
    const { dir, id } = taskRepo();
    commitFile(dir, 'a.txt', 'a\n', 'First');
    rmSync(join(dir, '.agents/memory'), { recursive: true });
    writeFileSync(join(dir, '.agents/memory'), 'not a folder\n');
    write(dir, 'b.txt', 'b\n');
    git(dir, ['add', 'b.txt']);
    const r = spawnGit(dir, ['commit', '-q', '-m', 'Second']);
    expect(r.status).toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^baton: pre-commit hook skipped \(.+\); the commit is fine/);
    expect(git(dir, ['log', '-1', '--format=%s'])).toBe('Second\n');

    rmSync(join(dir, '.agents/memory'));
    git(dir, ['checkout', 'HEAD', '--', '.agents/memory']);
    // The node the hooks were installed with is gone, and no other is on PATH.
    const env = join(dir, '.git/baton/hooks.env');
    writeFileSync(env, read(dir, '.git/baton/hooks.env').replace(/^baton_node=.*$/m, "baton_node='/nonexistent/node'"));
    git(dir, ['commit', '-q', '--amend', '-m', 'Second, amended']);
    write(dir, 'c.txt', 'c\n');
    git(dir, ['add', 'c.txt']);
    const r2 = spawnGit(dir, ['commit', '-q', '-m', 'Third'], { PATH: pathWithout('node', 'nodejs') });
    expect(r2.status).toBe(0);
    expect(r2.stderr.trim().split('\n')).toHaveLength(1);
    expect(r2.stderr).toContain('baton: pre-commit hook skipped');
    flush(dir);
    expectExact(dir, id, ['main..HEAD']);
  });
});

function spawnGit(cwd: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV, ...env }, encoding: 'utf8' });
}
