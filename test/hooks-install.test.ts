/** Installing beside hooks that are already there, and never hurting a commit. */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, GIT_ENV, makeRepo, ok, read, tempDir, write } from './helpers/repo.js';
import { pathWithout } from './helpers/path.js';
import { clean, commitFile, commitRefs, expectExact, flush, short, taskRepo } from './hooks-util.js';

const HUSKY_H = `#!/usr/bin/env sh
n=$(basename "$0")
s=$(dirname "$(dirname "$0")")/$n
[ ! -f "$s" ] && exit 0
sh -e "$s" "$@"
`;
const HUSKY_STUB = '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n';

function startTask(dir: string): string {
  const id = addTask(dir, 'Hooked');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'Add task']);
  git(dir, ['checkout', '-q', '-b', `task/${id}-hooked`]);
  return id;
}

const snapshot = (path: string) => ({ text: readFileSync(path, 'utf8'), mode: statSync(path).mode });

describe('baton hooks install / uninstall / status', () => {
  it('husky-style core.hooksPath: husky still runs its script, and uninstall restores husky exactly', () => {
    const dir = makeRepo();
    const log = join(tempDir(), 'husky.log');
    write(dir, '.husky/_/h', HUSKY_H);
    write(dir, '.husky/_/pre-commit', HUSKY_STUB);
    write(dir, '.husky/_/.gitignore', '*\n');
    write(dir, '.husky/pre-commit', `echo "husky ran" >> '${log}'\n`);
    chmodSync(join(dir, '.husky/_/h'), 0o755);
    chmodSync(join(dir, '.husky/_/pre-commit'), 0o755);
    git(dir, ['config', 'core.hooksPath', '.husky/_']);
    const original = snapshot(join(dir, '.husky/_/pre-commit'));
    const init = ok(dir, ['init']);
    expect(init).toContain('.husky/_/pre-commit (runs the hook that was there too)');
    expect(init).toContain('.husky/_/post-commit');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'baton init']);
    const id = startTask(dir);
    const first = commitFile(dir, 'a.txt', 'a\n', 'One');
    commitFile(dir, 'b.txt', 'b\n', 'Two');
    expect(readFileSync(log, 'utf8').match(/husky ran/g)!.length).toBeGreaterThanOrEqual(4);
    expect(commitRefs(dir, id)).toEqual([short(first)]);
    expect(clean(dir)).toBe('');

    const status = ok(dir, ['hooks', 'status']);
    expect(status).toContain(`Hooks folder: ${join(dir, '.husky/_')}`);
    expect(status).toMatch(/pre-commit\s+baton\s+then runs .*hooks-orig\/pre-commit/);
    expect(ok(dir, ['hooks', 'install'])).toContain('already installed; nothing changed');

    expect(ok(dir, ['hooks', 'uninstall'])).toContain('.husky/_/pre-commit restored');
    expect(snapshot(join(dir, '.husky/_/pre-commit'))).toEqual(original);
    expect(existsSync(join(dir, '.husky/_/post-commit'))).toBe(false);
    expect(ok(dir, ['hooks', 'status'])).toMatch(/pre-commit\s+another hook/);
    expect(ok(dir, ['hooks', 'status'])).toMatch(/post-commit\s+not installed/);
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
