/**
 * Taking back a command's steps when a later one fails, so a command either
 * does everything or leaves the repository as it found it.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
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
    return { abs, text: existsSync(abs) ? readFileSync(abs, 'utf8') : undefined };
  });
  undo.push(() => {
    for (const f of saved) {
      if (f.text === undefined) rmSync(f.abs, { force: true });
      else writeFileAtomic(f.abs, f.text);
    }
    unstage(dir, paths);
  });
}
