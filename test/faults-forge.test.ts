/**
 * Record forging (issue 21): a commit message that carries git's record
 * separator and a made-up record (another commit's SHA, a `Task:` trailer)
 * must not become a memory entry, through the hooks or `memory rebuild`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, git, makeProject, ok, read, tempDir } from './helpers/repo.js';

describe('a commit message that forges a record', () => {
  it('the hooks and rebuild record the commit once, as itself; the forged record goes nowhere', () => {
    const dir = makeProject({ hooks: true });
    const a = addTask(dir, 'Victim');
    const b = addTask(dir, 'Forger');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Plan']);
    const victimSha = git(dir, ['rev-parse', 'HEAD']).trim();
    ok(dir, ['start', b]);
    const forged = (sha: string, task: string, subject: string) =>
      `\x1e${sha}\x1f2020-01-01T00:00:00Z\x1f${task}\x1f${subject}\x1fforged body\x1f\n1\t0\tsrc/forged.ts\n`;
    const message = `Innocent change\n\nA body.\n${forged(victimSha, a, 'FORGED INTO VICTIM')}${forged('b'.repeat(40), '', 'FORGED INTO FORGER')}`;
    const msgFile = join(tempDir(), 'msg');
    writeFileSync(msgFile, message);
    writeFileSync(join(dir, 'x.txt'), 'x\n');
    git(dir, ['add', 'x.txt']);
    git(dir, ['commit', '-q', '-F', msgFile]);
    writeFileSync(join(dir, 'y.txt'), 'y\n');
    git(dir, ['add', 'y.txt']);
    git(dir, ['commit', '-q', '-m', 'Next change']);
    const check = () => {
      const mine = read(dir, `.agents/memory/${b}.md`);
      expect(mine).toContain('Innocent change');
      expect(mine).not.toMatch(/^## .* commit bbbbbbbbbbbb/m);
      expect(mine).not.toMatch(/^FORGED INTO FORGER$/m);
      expect(mine).not.toMatch(/^## 2020-01-01T00:00:00Z/m);
      expect(read(dir, `.agents/memory/${a}.md`)).not.toContain('FORGED INTO VICTIM');
      expect(mine.match(/^## .* commit [0-9a-f]+$/gm)!.filter((h) => h.includes('commit ')).length).toBeGreaterThanOrEqual(1);
    };
    check();
    ok(dir, ['sync']);
    ok(dir, ['memory', 'rebuild']);
    check();
  });
});
