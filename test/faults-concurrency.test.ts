/** The sh hook and a Node flush writing the same memory file at once lose nothing: they share one lock. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, GIT_ENV, git, makeProject } from './helpers/repo.js';
import { commitRefs, flush, shas, short } from './hooks-util.js';

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...GIT_ENV }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

describe('hook and flush at once', () => {
  it('commits on main while `baton hooks flush` runs over and over: project.md holds every commit once', async () => {
    const dir = makeProject({ hooks: true });
    const start = git(dir, ['rev-parse', 'HEAD']).trim();
    let committing = true;
    const flusher = (async () => {
      let n = 0;
      while (committing) {
        const r = await run(process.execPath, [BIN, 'hooks', 'flush'], dir);
        expect(r.code).toBe(0);
        n++;
      }
      return n;
    })();
    const warnings: string[] = [];
    for (let i = 0; i < 40; i++) {
      writeFileSync(join(dir, `f${i}.txt`), `${i}\n`);
      await run('git', ['add', `f${i}.txt`], dir);
      const r = await run('git', ['commit', '-q', '-m', `Commit ${i} on main`], dir);
      expect(r.code).toBe(0);
      if (r.stderr.includes('baton:')) warnings.push(r.stderr);
    }
    committing = false;
    expect(await flusher).toBeGreaterThan(0);
    expect(warnings).toEqual([]);
    flush(dir);
    expect(commitRefs(dir, 'project')).toEqual(shas(dir, ['--invert-grep', '--grep=^Baton-Commit: ', `${start}~1..HEAD`]).map(short));
  });
});
