/** Several worktrees committing at the same moment lose nothing and corrupt nothing. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, git, GIT_ENV, makeProject, tempDir } from './helpers/repo.js';
import { clean, commitRefs, expectExact, flush, shas, short } from './hooks-util.js';

function gitAsync(cwd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => (code === 0 && !stderr.includes('baton:') ? resolve() : reject(new Error(`git ${args.join(' ')}: ${code} ${stderr}`))));
  });
}

async function commitMany(wt: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    writeFileSync(join(wt, `file-${i}.txt`), `${i}\n`);
    await gitAsync(wt, ['add', `file-${i}.txt`]);
    await gitAsync(wt, ['commit', '-q', '-m', `Commit ${i}`]);
  }
}

describe('worktrees in parallel', () => {
  it('two worktrees making 50 commits each at once: every commit recorded once, in its own task', async () => {
    const dir = makeProject({ hooks: true });
    const ids = [addTask(dir, 'Left'), addTask(dir, 'Right')];
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Two tasks']);
    const base = tempDir();
    const wts = ids.map((id, i) => {
      const wt = join(base, `wt${i}`);
      git(dir, ['worktree', 'add', '-q', '-b', `task/${id}-${i ? 'right' : 'left'}`, wt]);
      return wt;
    });
    await Promise.all(wts.map((wt) => commitMany(wt, 50)));
    wts.forEach((wt, i) => {
      expect(clean(wt)).toBe('');
      // Committed memory holds every commit but the last, which waits in the queue.
      expect(commitRefs(wt, ids[i]!)).toEqual(shas(wt, ['main..HEAD~1']).map(short));
      expect(commitRefs(wt, ids[1 - i]!)).toEqual([]);
      flush(wt);
      expectExact(wt, ids[i]!, ['main..HEAD']);
      expect(commitRefs(wt, ids[i]!)).toHaveLength(50);
    });
  });
});
