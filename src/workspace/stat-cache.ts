/**
 * Caches of parsed files in baton's state dir (never committed), keyed like
 * git's index by each file's stat: size, mtime, ctime, inode. An unchanged
 * file is not even read. Racy-git rule: a file whose mtime falls in the same
 * second as the cache was written (or later) may have changed without its
 * stat showing it, so it is read again.
 */
import { mkdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { stateDir } from './paths.js';

export type StatKey = number[];

export const statKey = (st: Stats): StatKey => [st.size, st.mtimeMs, st.ctimeMs, st.ino];

export function sameStat(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The cache file `name` in this checkout's state dir, or undefined outside a git repository. */
export function cacheFile(root: string, name: string): string | undefined {
  try {
    return join(stateDir(root), name);
  } catch {
    return undefined;
  }
}

/** A cache's content and the whole second it was written in; undefined when missing, broken or of another version. */
export function readCache<T extends { version: number }>(path: string | undefined, version: number): { data: T; racyFromMs: number } | undefined {
  if (!path) return undefined;
  try {
    const writtenMs = statSync(path).mtimeMs;
    const data = JSON.parse(readFileSync(path, 'utf8')) as T;
    // Whole seconds, as git compares: a coarse file system clock cannot hide an edit.
    return data.version === version ? { data, racyFromMs: Math.floor(writtenMs / 1000) * 1000 } : undefined;
  } catch {
    return undefined; // missing or broken: only a slower run
  }
}

/** True when a file with this stat may be taken from a cache entry starting with the stat in `cached` (statKey's order). */
export function fresh(st: Stats, cached: readonly unknown[] | undefined, racyFromMs: number): boolean {
  // Field by field: no array per file at 5,000 files.
  return cached !== undefined && cached.length >= 4 && cached[0] === st.size && cached[1] === st.mtimeMs && cached[2] === st.ctimeMs && cached[3] === st.ino && st.mtimeMs < racyFromMs;
}

export function writeCache<T extends { version: number }>(path: string | undefined, data: T): void {
  writeCacheText(path, JSON.stringify(data));
}

/** A cache already rendered as JSON text. */
export function writeCacheText(path: string | undefined, text: string): void {
  if (!path) return;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, text);
  } catch {
    /* read-only git dir: no cache, still correct */
  }
}
