/**
 * Bounded input (issue 21): a 1 MiB commit subject and body, a pattern
 * that backtracks without end, a pull request body over GitHub's limit, and
 * `board --out` onto a file each get a bounded answer or a clear error.
 */
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { addTask, baton, git, GIT_ENV, makeProject, ok, PROJECT_ROOT, read, tempDir } from './helpers/repo.js';

describe('bounded input', () => {
  it('a 1 MiB commit subject and body line are cut when recorded; prompt and pr stay within bounds', () => {
    const dir = makeProject({ hooks: true });
    const id = addTask(dir, 'Huge input');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Plan']);
    ok(dir, ['start', id]);
    const msg = join(tempDir(), 'msg');
    writeFileSync(msg, `${'s'.repeat(1 << 20)}\n\n${'b'.repeat(1 << 20)}\n`);
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    git(dir, ['add', 'a.txt']);
    git(dir, ['commit', '-q', '-F', msg]);
    writeFileSync(join(dir, 'b.txt'), 'b\n');
    git(dir, ['add', 'b.txt']);
    git(dir, ['commit', '-q', '-m', 'Second']);
    const memory = read(dir, `.agents/memory/${id}.md`);
    expect(memory.length).toBeLessThan(10_000);
    expect(memory).toContain('… (cut)');
    const prompt = ok(dir, ['prompt', id, '--json']);
    expect(JSON.parse(prompt).tokens).toBeGreaterThan(0);
    // A task whose context is 100,000 characters: the pull request body is cut to GitHub's limit, saying so.
    const taskFile = git(dir, ['ls-files', '.agents/tasks']).split('\n').find((f) => f.includes(id))!;
    writeFileSync(join(dir, taskFile), read(dir, taskFile).replace('## Context\n', `## Context\n\n${'Long context line.\n'.repeat(6000)}`));
    const pr = JSON.parse(ok(dir, ['pr', id, '--json'])) as { body: string };
    expect(pr.body.length).toBeLessThanOrEqual(65_536);
    expect(pr.body).toContain("passed GitHub's 65,536 characters");
  });

  it('memory --grep with a pattern that backtracks without end is refused with the reason', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Pattern');
    ok(dir, ['log', id, '--outcome', 'partial', '--summary', `${'a'.repeat(40)}c`]);
    const r = baton(dir, ['memory', '--grep', '(a+)+b']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/pattern refused: a repeated group holds a repetition/);
    expect(ok(dir, ['memory', '--grep', 'a+c', '--json'])).toContain('aaaa');
  });

  it('board --out onto an existing file: a clear error, no stack, nothing written', () => {
    const dir = makeProject();
    writeFileSync(join(dir, 'site'), 'not a folder\n');
    const r = baton(dir, ['board', '--out', 'site']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/`--out site` is a file, not a folder/);
    expect(r.stderr).not.toMatch(/unexpected error|at .*\.js:\d+/);
    expect(read(dir, 'site')).toBe('not a folder\n');
  });
});

describe('a worktree deleted by hand', () => {
  it('after rm -rf of a task worktree: doctor names it; done --merge prunes it, says what happened and merges', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Gone worktree');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Plan']);
    const wt = (JSON.parse(ok(dir, ['start', id, '--worktree', '--json'])) as { dir: string }).dir;
    writeFileSync(join(wt, 'work.txt'), 'work\n');
    git(wt, ['add', 'work.txt']);
    git(wt, ['commit', '-q', '-m', 'Work in the worktree']);
    rmSync(wt, { recursive: true, force: true });

    const doctor = baton(dir, ['doctor']);
    expect(doctor.stdout).toMatch(/the worktree of `task\/.*` is gone \(its folder was deleted\)/);
    expect(doctor.stdout).toContain('git worktree prune');

    const done = baton(dir, ['done', id, '--merge', '--skip-checks']);
    expect(done.stderr).not.toMatch(/ENOENT|Install git/);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/was gone \(deleted by hand\): git forgot it/);
    expect(read(dir, 'work.txt')).toBe('work\n');
    expect(git(dir, ['worktree', 'list'])).not.toContain(wt);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
  });
});

function gitIn(cwd: string, args: string[], input: string): string {
  const r = spawnSync('git', args, { cwd, input, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

describe('a claim ref that points at garbage', () => {
  for (const kind of ['blob', 'commit'] as const) {
    it(`a ${kind} that is no claim: reported and taken over, not "claimed by another runner" for ever`, () => {
      const dir = makeProject();
      const id = addTask(dir, 'Garbage claim');
      git(dir, ['add', '-A']);
      git(dir, ['commit', '-q', '-m', 'Plan']);
      const remote = join(tempDir(), 'shared.git');
      git(dir, ['clone', '-q', '--bare', dir, remote]);
      const obj = kind === 'blob'
        ? gitIn(remote, ['hash-object', '-w', '--stdin'], 'not a claim\n')
        : git(remote, ['commit-tree', gitIn(remote, ['hash-object', '-t', 'tree', '-w', '--stdin'], ''), '-m', 'hello, not JSON']).trim();
      git(remote, ['update-ref', `refs/baton/claims/${id}`, obj]);
      const laptop = join(tempDir(), 'laptop');
      git(remote, ['clone', '-q', remote, laptop]);
      const started = baton(laptop, ['start', id, '--remote', 'origin'], { env: { BATON_RUNNER: 'laptop' } });
      expect(started.code, started.stderr).toBe(0);
      expect(started.stdout + started.stderr).toMatch(/unreadable claim/);
      expect(git(remote, ['cat-file', '-t', `refs/baton/claims/${id}`]).trim()).toBe('commit');
      expect(git(remote, ['log', '-1', '--format=%B', `refs/baton/claims/${id}`])).toContain('"runner":"laptop"');
    });
  }
});

describe('the merge driver with baton gone', () => {
  it('git merges memory by line union, nothing lost, and says so once', () => {
    const dir = makeProject({ hooks: true });
    // The baton the driver was registered with is gone, and none is on PATH.
    for (const name of ['baton-memory', 'baton-plan', 'baton-task']) {
      const driver = git(dir, ['config', '--get', `merge.${name}.driver`]).trim();
      git(dir, ['config', `merge.${name}.driver`, driver.split(PROJECT_ROOT).join('/nonexistent/baton')]);
    }
    const bin = tempDir();
    for (const tool of ['git', 'sh', 'mkdir', 'cat', 'sed', 'awk', 'rm']) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
    const env = { BATON_HOOKS: '0', PATH: bin };
    const note = (text: string) => `\n## 2026-12-01T10:00:00Z note\n${text}\n`;
    const mem = '.agents/memory/project.md';
    git(dir, ['switch', '-q', '-c', 'side'], env);
    writeFileSync(join(dir, mem), read(dir, mem) + note('From the side.'));
    writeFileSync(join(dir, 'side.md'), 'side\n');
    git(dir, ['add', '-A'], env);
    git(dir, ['commit', '-q', '-m', 'Side note'], env);
    git(dir, ['switch', '-q', 'main'], env);
    writeFileSync(join(dir, mem), read(dir, mem) + note('From main.'));
    git(dir, ['add', '-A'], env);
    git(dir, ['commit', '-q', '-m', 'Main note'], env);
    const r = spawnSync('git', ['merge', '--no-edit', 'side'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, ...env } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.match(/baton: merge driver: baton is not found here/g), r.stderr).toHaveLength(1);
    const merged = read(dir, mem);
    expect(merged).toContain('From the side.');
    expect(merged).toContain('From main.');
  });
});
