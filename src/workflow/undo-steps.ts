/**
 * Taking back a command's steps when a later one fails, so a command either
 * does everything or leaves the repository as it found it.
 */
import { existsSync, lstatSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { unstage } from '../git/undo.js';
import { writeFileAtomic } from '../workspace/atomic.js';

/** What to take back, in the order the steps were done; `runUndo` runs them newest first. */
export type UndoList = (() => void)[];

export function runUndo(undo: UndoList): void {
  for (const step of [...undo].reverse()) {
    try {
      step();
    } catch {
      /* best effort: the error that made us undo is the one to report */
    }
  }
  undo.length = 0;
}

/** Remember files as they are now (content, or absent); undoing puts them back and their index entries back to HEAD's. */
export function keepFiles(dir: string, paths: string[], undo: UndoList): void {
  const saved = paths.map((p) => {
    const abs = join(dir, p);
    // A folder or a broken link in a file's place is the user's: kept, never read or removed.
    let there = true;
    try {
      lstatSync(abs);
    } catch {
      there = false;
    }
    return { abs, there, text: existsSync(abs) && statSync(abs).isFile() ? readFileSync(abs, 'utf8') : undefined };
  });
  undo.push(() => {
    for (const f of saved) {
      if (f.text !== undefined) writeFileAtomic(f.abs, f.text);
      else if (!f.there) rmSync(f.abs, { force: true });
    }
    unstage(dir, paths);
  });
}
