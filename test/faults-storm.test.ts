/** A storm: worktrees committing in parallel while main commits and baton flushes: every commit recorded exactly once. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, GIT_ENV, addTask, git, makeProject, tempDir } from './helpers/repo.js';
import { clean, commitRefs, expectExact, flush, shas, short } from './hooks-util.js';

function run(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...GIT_ENV }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => (code === 0 && !stderr.includes('baton:') ? resolve(stderr) : reject(new Error(`${cmd} ${args.join(' ')}: ${code} ${stderr}`))));
  });
}

async function commitMany(dir: string, tag: string, n: number, flushEvery = 0): Promise<void> {
  for (let i = 0; i < n; i++) {
    writeFileSync(join(dir, `${tag}-${i}.txt`), `${i}\n`);
    await run('git', ['add', `${tag}-${i}.txt`], dir);
    await run('git', ['commit', '-q', '-m', `${tag} commit ${i}`], dir);
    if (flushEvery && i % flushEvery === 0) await run(process.execPath, [BIN, 'hooks', 'flush'], dir);
  }
}

describe('storm', () => {
  it('three task worktrees and main commit at once, with flushes: each commit once, in its own file', async () => {
    const dir = makeProject({ hooks: true });
    const ids = ['One', 'Two', 'Three'].map((t) => addTask(dir, t));
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Three tasks']);
    const start = git(dir, ['rev-parse', 'HEAD~2']).trim(); // before `baton init`, the first commit the hooks saw
    const base = tempDir();
    const wts = ids.map((id, i) => {
      const wt = join(base, `wt${i}`);
      git(dir, ['worktree', 'add', '-q', '-b', `task/${id}-storm`, wt]);
      return wt;
    });
    await Promise.all([...wts.map((wt, i) => commitMany(wt, `t${i}`, 15, i === 0 ? 4 : 0)), commitMany(dir, 'main', 15, 5)]);
    wts.forEach((wt, i) => {
      expect(clean(wt)).toBe('');
      flush(wt);
      expectExact(wt, ids[i]!, ['main..HEAD']);
      for (const other of ids.filter((o) => o !== ids[i])) expect(commitRefs(wt, other)).toEqual([]);
    });
    flush(dir);
    expect(commitRefs(dir, 'project')).toEqual(shas(dir, ['--invert-grep', '--grep=^Baton-Commit: ', `${start}..HEAD`]).map(short));
  });
});
