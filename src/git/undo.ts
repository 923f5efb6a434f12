/**
 * Git steps that take back what a failed command did (a branch it created, a
 * switch, a worktree it added, paths it staged), so a failure leaves the
 * repository as it found it. Each is best effort: the caller is already
 * reporting the error that made it undo.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { gitRun } from './task-branch.js';

/** The commit HEAD is on, to come back to a detached HEAD; undefined before the first commit. */
export function headCommit(root: string): string | undefined {
  const r = gitRun(root, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** Back to a branch, or to a commit (detached) when there was no branch. */
export function switchBack(root: string, branch: string | undefined, commit: string | undefined): boolean {
  const args = branch ? ['switch', '--quiet', branch] : commit ? ['switch', '--quiet', '--detach', commit] : undefined;
  return args ? gitRun(root, args).code === 0 : false;
}

/** Delete a branch this command created (it holds nothing but what the command wrote). */
export function deleteBranch(root: string, name: string): boolean {
  return gitRun(root, ['branch', '--quiet', '-D', name]).code === 0;
}

/** The index entries of these paths back to HEAD's (the files on disk are left alone). */
export function unstage(root: string, paths: string[]): void {
  if (paths.length) gitRun(root, ['reset', '--quiet', '--', ...paths]);
}

/** Remove a worktree this command created moments ago (only baton's own files are in it). */
export function removeNewWorktree(root: string, path: string): boolean {
  return gitRun(root, ['worktree', 'remove', '--force', path]).code === 0;
}

/**
 * Put the paths under `dir` that changed since `before` (a `git status` list)
 * back to HEAD's: tracked ones checked out again, new ones removed. What was
 * already changed before stays as it is.
 */
export function discardChangesSince(root: string, dir: string, before: ReadonlySet<string>): void {
  const r = gitRun(root, ['status', '--porcelain', '-z', '--untracked-files=all', '--', dir]);
  if (r.code !== 0) return;
  const entries = r.stdout.split('\0').filter((p) => p.length > 3);
  const tracked: string[] = [];
  for (const e of entries) {
    const path = e.slice(3);
    if (before.has(path)) continue;
    if (e.startsWith('??')) rmSync(join(root, path), { force: true });
    else tracked.push(path);
  }
  if (tracked.length) gitRun(root, ['checkout', '--quiet', 'HEAD', '--', ...tracked]);
}
