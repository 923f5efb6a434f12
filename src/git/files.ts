/** Tracked files, for the compact map of a repository the planner reads. */
import { runGit } from './run.js';

/** `git ls-files`: tracked (and staged) paths, or [] outside a repository or before the first add. */
export function trackedFiles(root: string): string[] {
  try {
    const out = runGit(root, { args: ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], parse: (o) => o.stdout });
    return [...new Set(out.split('\0').filter(Boolean))].sort();
  } catch {
    return [];
  }
}
