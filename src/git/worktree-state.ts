/**
 * The state of a task's checkout around an agent's run: what it changed,
 * commit that, or throw it away. Untracked files that were there before the
 * agent started (in a main checkout, a person's own) are never touched.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { gitRun, parseStatusZ } from './task-branch.js';

/** Untracked, not ignored files, relative to `dir`. */
export function untrackedFiles(dir: string): string[] {
  return gitRun(dir, ['ls-files', '--others', '--exclude-standard', '-z']).stdout.split('\0').filter(Boolean);
}

function trackedChanges(dir: string, ignore: readonly string[]): boolean {
  if (!ignore.length) return gitRun(dir, ['status', '--porcelain', '--untracked-files=no']).stdout.trim() !== '';
  const changed = parseStatusZ(gitRun(dir, ['status', '--porcelain', '-z', '--untracked-files=no']).stdout);
  return changed.some((p) => !ignore.includes(p));
}

/** Changes since `before` (the untracked files that existed then are not changes), besides the files in `ignore`. */
export function isDirty(dir: string, before: ReadonlySet<string> = new Set(), ignore: readonly string[] = []): boolean {
  return trackedChanges(dir, ignore) || untrackedFiles(dir).some((p) => !before.has(p) && !ignore.includes(p));
}

/** Commit what changed since `before`; returns the short SHA, or undefined when nothing did. */
export function commitAll(dir: string, message: string, before: ReadonlySet<string> = new Set()): string | undefined {
  const run = (args: string[]) => {
    const r = gitRun(dir, args);
    if (r.code !== 0) throw new Error(`git ${args[0]} failed in ${dir}: ${(r.stderr || r.stdout).trim()}`);
  };
  run(['add', '-u']);
  const fresh = untrackedFiles(dir).filter((p) => !before.has(p));
  for (let i = 0; i < fresh.length; i += 500) run(['add', '--', ...fresh.slice(i, i + 500)]);
  if (gitRun(dir, ['diff', '--cached', '--quiet']).code === 0) return undefined;
  run(['commit', '-q', '-m', message]);
  return gitRun(dir, ['rev-parse', '--short=7', 'HEAD']).stdout.trim();
}

/** Back to the last commit: committed work stays; uncommitted edits and files created since `before` go. */
export function discardUncommitted(dir: string, before: ReadonlySet<string> = new Set()): void {
  gitRun(dir, ['reset', '-q', '--hard', 'HEAD']);
  for (const p of untrackedFiles(dir)) if (!before.has(p)) rmSync(join(dir, p), { force: true });
}
