import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, git, tempDir } from './helpers/repo.js';

describe('baton demo (npm run demo in a clone)', () => {
  it('builds a sample project and runs baton auto on it end to end, offline, from the package\'s demo/ folder', () => {
    const r = spawnSync(process.execPath, [BIN, 'demo'], { encoding: 'utf8', cwd: tempDir('baton-anywhere-'), env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const out = r.stdout;
    expect(out).toContain('$ baton plan --from REQUIREMENTS.md');
    expect(out).toMatch(/Plan: 4 new, 0 amended/);
    expect(out).toContain('$ baton auto --parallel 2');
    expect(out).toMatch(/T-\w+ failed +Add cart total\(\) — 1 of 1 check failed: `node test\/cart.test.js`/);
    expect(out).toMatch(/review R-001: filed (T-\w+) \(Make sum\(\) of an empty list 0\)/);
    expect(out).toMatch(/T-\w+ merged +Make sum\(\) of an empty list 0/);
    expect(out).toMatch(/T-\w+ merged +Add cart total\(\)/);
    expect(out).toContain('The plan is done.');
    expect(out).toContain('5 success (5 merged), 0 partial, 1 failure');

    const repo = /^ {2}cd (\S+)$/m.exec(out)![1]!;
    expect(git(repo, ['status', '--porcelain'])).toBe('');
    expect(readFileSync(join(repo, 'lib', 'sum.js'), 'utf8')).toContain('reduce((a, b) => a + b, 0)');
    expect(existsSync(join(repo, '.agents', 'reviews', 'R-001.md'))).toBe(true);
    // Hooks recorded the agents' commits in their tasks' memory.
    const total = /baton memory (T-\w+) \(excerpt\)/.exec(out)![1]!;
    const memory = readFileSync(join(repo, '.agents', 'memory', `${total}.md`), 'utf8');
    expect(memory).toMatch(/ commit \w+\nAdd cart total\(\)\n/);
    expect(memory).toMatch(/ result failure\n[\s\S]* review R-001\n[\s\S]* result success\n/);
  });
});
