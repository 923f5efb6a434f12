/** Atomic file writes: a crash leaves the old file or the new one, never half. */
import { mkdirSync, renameSync, writeFileSync, rmSync, openSync, closeSync, statSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/**
 * A set of writes that land together or not at all: every file is written to
 * a temp file first, and only when all of those succeed are they renamed.
 */
export function writeFilesAtomic(files: ReadonlyMap<string, string>): void {
  const staged: [string, string][] = [];
  try {
    for (const [path, content] of files) {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
      writeFileSync(tmp, content);
      staged.push([tmp, path]);
    }
  } catch (error) {
    for (const [tmp] of staged) rmSync(tmp, { force: true });
    throw error;
  }
  for (const [tmp, path] of staged) renameSync(tmp, path);
}

/** One try at the lock file; a stale one (older than `staleMs`: its holder died) is removed for the next try. */
function tryLock(lockPath: string, staleMs: number): boolean {
  try {
    closeSync(openSync(lockPath, 'wx'));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    try {
      if (Date.now() - statSync(lockPath).mtimeMs > staleMs) rmSync(lockPath, { force: true });
    } catch {
      /* the holder just released it */
    }
    return false;
  }
}

/** Run `fn` holding an exclusive lock file; other baton processes wait. */
export async function withLock<T>(lockPath: string, fn: () => T | Promise<T>, staleMs = 30_000): Promise<T> {
  mkdirSync(dirname(lockPath), { recursive: true });
  while (!tryLock(lockPath, staleMs)) await new Promise((r) => setTimeout(r, 20));
  try {
    return await fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

/**
 * `withLock` for synchronous callers: short critical sections (a read and a
 * rewrite of one file) where making every caller async is not worth it.
 */
export function withLockSync<T>(lockPath: string, fn: () => T, staleMs = 30_000): T {
  mkdirSync(dirname(lockPath), { recursive: true });
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!tryLock(lockPath, staleMs)) Atomics.wait(pause, 0, 0, 10);
  try {
    return fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}
