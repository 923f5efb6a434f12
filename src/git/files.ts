/** Tracked files, for the compact map of a repository the planner reads. */
import { execFileSync } from 'node:child_process';

/** `git ls-files`: tracked (and staged) paths, or [] outside a repository or before the first add. */
export function trackedFiles(root: string): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'],
    });
    return [...new Set(out.split('\0').filter(Boolean))].sort();
  } catch {
    return [];
  }
}
