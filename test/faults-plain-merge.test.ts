/**
 * Commits that reach the base by ways baton did not make (issue 21): a plain
 * `git merge --no-ff` of a feature branch. Its tip's entry waited in the feature
 * branch's queue, which nothing reads again: it was never recorded.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, git, makeProject, read } from './helpers/repo.js';

function commit(dir: string, name: string, message: string): string {
  writeFileSync(join(dir, name), `${name}\n`);
  git(dir, ['add', name]);
  git(dir, ['commit', '-q', '-m', message]);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

describe('a plain merge of a feature branch', () => {
  it('--no-ff: every feature commit, the tip too, is in project.md once, and doctor finds nothing missing', () => {
    const dir = makeProject({ hooks: true });
    git(dir, ['switch', '-q', '-c', 'feature']);
    const shas = [1, 2, 3].map((i) => commit(dir, `f${i}.txt`, `Feature ${i}`));
    git(dir, ['switch', '-q', 'main']);
    commit(dir, 'm.txt', 'Main work');
    git(dir, ['merge', '-q', '--no-ff', 'feature', '-m', 'Merge feature']);
    commit(dir, 'after.txt', 'After the merge');
    const memory = read(dir, '.agents/memory/project.md');
    for (const sha of shas) expect(memory.match(new RegExp(`^## \\S+ commit ${sha.slice(0, 12)}$`, 'gm'))).toHaveLength(1);
    const doctor = baton(dir, ['doctor']);
    expect(doctor.stdout).not.toMatch(/missing from memory/);
  });
});
