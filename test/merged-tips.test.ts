/**
 * Which task branches are unmerged, remembered between reads (src/git/merged-tips.ts): the answer
 * stays right when the base moves on, is rewound, a branch gets a new commit or goes, and when the
 * cache file is broken or cannot be written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unmergedBranches } from '../src/git/merged-tips.js';
import { addTask, git, makeProject, ok } from './helpers/repo.js';

const statusOf = (dir: string, id: string) => (JSON.parse(ok(dir, ['task', 'show', id, '--json'])) as { status: string }).status;

describe('unmerged task branches, remembered', () => {
  it('a task merged, then its merge undone on the base: status follows each step', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Add retries');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Plan']);
    ok(dir, ['start', id]);
    writeFileSync(join(dir, 'retry.ts'), 'export const retries = 3;\n');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Add retries']);
    const branch = git(dir, ['branch', '--show-current']).trim();
    git(dir, ['checkout', '-q', 'main']);
    const planned = git(dir, ['rev-parse', 'HEAD']).trim();
    // Read from main, the task is at work on its branch.
    expect(statusOf(dir, id)).toBe('in-progress');
    expect(existsSync(join(dir, '.git', 'baton', 'merged-tips.json'))).toBe(true);

    git(dir, ['checkout', '-q', branch]);
    ok(dir, ['log', id, '--outcome', 'success', '--summary', 'retries added']);
    ok(dir, ['done', id, '--merge']);
    expect(statusOf(dir, id)).toBe('done');
    expect(unmergedBranches(dir, 'task/', 'main')).toEqual([]);

    // The merge undone: the branch it once found merged is unmerged again.
    git(dir, ['reset', '-q', '--hard', planned]);
    expect(statusOf(dir, id)).not.toBe('done');
    expect(unmergedBranches(dir, 'task/', 'main')).toHaveLength(1);
  });

  it('new commits on a merged branch, a deleted branch, a broken or unwritable cache: the same answer as git', () => {
    const dir = makeProject();
    const fresh = () => git(dir, ['for-each-ref', '--no-merged', 'main', '--format=%(refname:short)', 'refs/heads/task/']).split('\n').filter(Boolean);
    const cache = join(dir, '.git', 'baton', 'merged-tips.json');
    for (const name of ['task/T-aaaa-one', 'task/T-bbbb-two']) {
      git(dir, ['checkout', '-q', '-b', name, 'main']);
      git(dir, ['commit', '-q', '--allow-empty', '-m', name]);
    }
    git(dir, ['checkout', '-q', 'main']);
    expect(unmergedBranches(dir, 'task/', 'main')).toEqual(fresh());
    git(dir, ['merge', '-q', '--no-edit', 'task/T-aaaa-one']);
    expect(unmergedBranches(dir, 'task/', 'main')).toEqual(['task/T-bbbb-two']);
    expect(unmergedBranches(dir, 'task/', 'main')).toEqual(['task/T-bbbb-two']);

    git(dir, ['checkout', '-q', 'task/T-aaaa-one']);
    git(dir, ['commit', '-q', '--allow-empty', '-m', 'more']);
    git(dir, ['checkout', '-q', 'main']);
    expect(unmergedBranches(dir, 'task/', 'main')).toEqual(['task/T-aaaa-one', 'task/T-bbbb-two']);
    // From a task branch's own HEAD, kept apart from main's answer.
    git(dir, ['checkout', '-q', 'task/T-bbbb-two']);
    expect(unmergedBranches(dir, 'task/', 'HEAD')).toEqual(['task/T-aaaa-one']);
    git(dir, ['checkout', '-q', 'main']);

    const gone = git(dir, ['rev-parse', 'task/T-bbbb-two']).trim();
    git(dir, ['branch', '-q', '-D', 'task/T-bbbb-two']);
    expect(unmergedBranches(dir, 'task/', 'main')).toEqual(['task/T-aaaa-one']);
    // The file keeps only live tips: it does not grow with every branch ever made.
    expect(JSON.stringify((JSON.parse(readFileSync(cache, 'utf8')) as Record<string, unknown>).main)).not.toContain(gone);

    writeFileSync(cache, '{"main": {"base": "not a commit", "merged": [1, 2]}, "x": [');
    expect(unmergedBranches(dir, 'task/', 'main')).toEqual(fresh());
    // A cache that cannot be written (here a folder in its place, which stops root too): the same answer.
    rmSync(cache);
    mkdirSync(join(cache, 'x'), { recursive: true });
    expect(unmergedBranches(dir, 'task/', 'main')).toEqual(fresh());
    expect(readdirSync(join(dir, '.git', 'baton')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(unmergedBranches(dir, 'task/', 'no-such-base')).toEqual([]);
  });
});
