/**
 * A hooks folder tracked by git (husky 4–8's `.husky/`, a team's `githooks/`):
 * its hooks are in every teammate's clone, so baton must not move them away
 * (the clone would lose them) nor write a path of this machine into them.
 * Instead one line is added that runs baton's stub from the git dir when this
 * clone has baton's hooks installed, and does nothing where it has not.
 */
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { writeFileAtomic } from '../workspace/atomic.js';
import { gitRun } from '../git/task-branch.js';

export const TRACKED_MARKER = '# added by `baton hooks install`';

export function trackedLine(name: string): string {
  return `baton_stub=$(git rev-parse --git-common-dir 2>/dev/null)/baton/stub; [ ! -x "$baton_stub" ] || BATON_HOOK_NAME=${name} "$baton_stub" "$@" || exit $? ${TRACKED_MARKER}: runs baton's ${name} hook where baton is installed\n`;
}

/** The file is in the index (so in teammates' clones). */
export function isTracked(root: string, path: string): boolean {
  const rel = relative(root, path);
  if (rel.startsWith('..')) return false;
  return gitRun(root, ['ls-files', '--error-unmatch', '--', rel]).code === 0;
}

/** Append the line (once); true when the file changed. Its mode is kept. */
export function addTrackedLine(path: string, name: string): boolean {
  const text = readFileSync(path, 'utf8');
  if (text.includes(TRACKED_MARKER)) return false;
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  writeKeepingMode(path, `${text}${sep}${trackedLine(name)}`);
  return true;
}

/** Remove the line `addTrackedLine` added; true when there was one. */
export function removeTrackedLine(path: string): boolean {
  const text = readFileSync(path, 'utf8');
  if (!text.includes(TRACKED_MARKER)) return false;
  writeKeepingMode(path, text.split(/(?<=\n)/).filter((l) => !l.includes(TRACKED_MARKER)).join(''));
  return true;
}

function writeKeepingMode(path: string, text: string): void {
  const mode = statSync(path).mode;
  writeFileAtomic(path, text);
  chmodSync(path, mode & 0o7777);
}
