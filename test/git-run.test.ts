/** The one git runner: exit codes decide, not stderr; a failure is a GitError that names the command. */
import { describe, expect, it } from 'vitest';
import { isAncestor, resolveCommit } from '../src/git/history.js';
import { GitError, runGit, text } from '../src/git/run.js';
import { git, makeRepo } from './helpers/repo.js';

describe('runGit', () => {
  it('isAncestor answers no for a commit off HEAD (exit 1, nothing on stderr) and for an unknown one', async () => {
    const dir = makeRepo();
    const first = git(dir, ['rev-parse', 'HEAD']).trim();
    git(dir, ['commit', '-q', '--allow-empty', '-m', 'Second']);
    const dropped = git(dir, ['rev-parse', 'HEAD']).trim();
    git(dir, ['reset', '-q', '--hard', 'HEAD~1']);
    expect(await isAncestor(dir, first)).toBe(true);
    expect(await isAncestor(dir, dropped)).toBe(false);
    expect(await isAncestor(dir, 'f'.repeat(40))).toBe(false);
    expect(await resolveCommit(dir, 'no-such-branch')).toBeUndefined();
  });

  it('a failing command throws a GitError with its arguments, exit code and what git said', () => {
    const dir = makeRepo();
    let caught: unknown;
    try {
      runGit(dir, text(['rev-parse', '--verify', 'no-such-ref']));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GitError);
    expect((caught as GitError).code).toBe(128);
    expect((caught as GitError).args).toEqual(['rev-parse', '--verify', 'no-such-ref']);
    expect((caught as GitError).message).toContain('`git rev-parse --verify no-such-ref` failed (exit 128)');
  });
});
