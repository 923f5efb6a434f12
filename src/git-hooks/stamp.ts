/**
 * Which of two sets of baton's hooks is newer. Git hooks live in the common
 * git dir, shared by every worktree, and each worktree may run its own build
 * of baton (a task branch with newer or older hooks/ scripts than main): if
 * every build reinstalled hooks that differ from its own, they would take
 * turns, each command printing a line and switching the version. So the stub
 * carries a stamp, raised with any change to the hooks/ folder that the
 * installed hooks must pick up, and only a build with a higher stamp replaces
 * what is installed; an equal stamp with other bytes is left as it is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The sh and awk scripts the stub sources, beside it in the package's hooks/ (also copied into the git dir). */
export const HOOK_SCRIPTS = ['baton.sh', 'format-entries.awk', 'secret-shapes.txt', 'aborted-commit.sh'];

const STAMP = /^# baton-hook-stamp: (\d+)\b/m;

/** The stamp in a stub's text; 0 for stubs from before stamps (or no stub). */
export function stampOf(text: string | undefined): number {
  const m = text ? STAMP.exec(text) : null;
  return m ? Number(m[1]) : 0;
}

/** The stub of the package at `pkg`, and its stamp. */
export function packageStub(pkg: string): { text: string; stamp: number } {
  const text = readFileSync(join(pkg, 'hooks', 'stub'), 'utf8');
  return { text, stamp: stampOf(text) };
}
