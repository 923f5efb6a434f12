/** A broken environment never hurts a commit: one warning line at most, and rebuild repairs memory afterwards. */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GIT_ENV, git, ok, tempDir } from './helpers/repo.js';
import { commitRefs, shas, short, taskRepo } from './hooks-util.js';

/** Commit one file; the commit must succeed and baton may say at most one line. */
function commitSafely(dir: string, name: string, env: Record<string, string> = {}): string[] {
  writeFileSync(join(dir, name), `${name}\n`);
  git(dir, ['add', name]);
  const r = spawnSync('git', ['commit', '-q', '-m', `Add ${name}`], { cwd: dir, env: { ...process.env, ...GIT_ENV, ...env }, encoding: 'utf8' });
  expect(r.status).toBe(0);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('baton:'));
  expect(lines.length).toBeLessThanOrEqual(1);
  return lines;
}

describe('a broken environment', () => {
  it('a lock left by a dead process, a memory file that is a folder, no awk: commits go through; rebuild repairs', () => {
    const { dir, id } = taskRepo();
    commitSafely(dir, 'a.txt');
    // A lock file a crashed process left behind, minutes old: taken over, not waited on forever.
    const lock = join(dir, '.git/baton', `memory-${id}.lock`);
    writeFileSync(lock, '');
    const old = new Date(Date.now() - 5 * 60_000);
    utimesSync(lock, old, old);
    expect(commitSafely(dir, 'b.txt')).toEqual([]);
    expect(commitRefs(dir, id)).toEqual(shas(dir, ['main..HEAD~1']).map(short));

    // No awk on PATH: the commit goes through with one line.
    const bin = tempDir('baton-bin-');
    for (const tool of ['git', 'sh', 'cat', 'sed', 'rm', 'mkdir', 'find', 'sleep']) {
      const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      if (found) symlinkSync(found, join(bin, tool));
    }
    const warned = commitSafely(dir, 'c.txt', { PATH: bin });
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/^baton: pre-commit hook skipped .*the commit is fine/);

    // The memory file replaced by a folder: commits still go through.
    rmSync(join(dir, `.agents/memory/${id}.md`));
    mkdirSync(join(dir, `.agents/memory/${id}.md`));
    commitSafely(dir, 'd.txt');
    rmSync(join(dir, `.agents/memory/${id}.md`), { recursive: true });

    // The queue folder unwritable: post-commit cannot queue; the commit is fine.
    chmodSync(join(dir, '.git/baton'), 0o500);
    commitSafely(dir, 'e.txt');
    chmodSync(join(dir, '.git/baton'), 0o700);

    ok(dir, ['memory', 'rebuild']);
    const all = shas(dir, ['main..HEAD']).map(short);
    expect(commitRefs(dir, id).sort()).toEqual(all.sort());
  });
});
