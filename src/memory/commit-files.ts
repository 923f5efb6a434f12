/** The files a commit entry lists (`- path +12 -3` lines). Pure. */
import type { MemoryEntry } from './entry.js';

/** `- path +12 -3` lines of a commit entry → files. */
export function commitEntryFiles(entry: MemoryEntry): { path: string; added: string; deleted: string }[] {
  return entry.body
    .split('\n')
    .map((l) => /^- (.+?) \+(\d+|-) -(\d+|-)\s*$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ path: m[1]!, added: m[2]!, deleted: m[3]! }));
}
