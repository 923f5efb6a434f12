/**
 * A lock held by a live process: a file with its pid in the repository's
 * common git dir (shared by all worktrees). A lock whose process is gone
 * (killed, or quit with a second Ctrl-C) is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { sharedStateDir, stateDir } from './paths.js';

export function acquirePidLock(root: string, name: string, busy: (pid: number) => BatonError): () => void {
  const path = join(sharedStateDir(root), `${name}.pid`);
  mkdirSync(dirname(path), { recursive: true });
  for (let tries = 0; ; tries++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 0) throw error;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (pid && alive(pid)) throw busy(pid);
      rmSync(path, { force: true });
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Run `fn` while holding `<git dir>/baton/<name>.lock` of this checkout,
 * waiting for other baton processes that hold it. Used around the steps that
 * write baton's files and commit them, which git cannot interleave (one index
 * per checkout). A lock whose process is gone is taken over; one that is
 * still empty (its holder is writing its pid) counts as held.
 */
export async function withCheckoutLock<T>(dir: string, name: string, fn: () => Promise<T> | T): Promise<T> {
  const path = join(stateDir(dir), `${name}.lock`);
  mkdirSync(dirname(path), { recursive: true });
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (staleLock(path)) rmSync(path, { force: true });
    else await new Promise((r) => setTimeout(r, 25));
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { force: true });
  }
}

function staleLock(path: string): boolean {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (pid) return !alive(pid);
    return Date.now() - statSync(path).mtimeMs > 10_000; // empty for 10 s: its holder died mid-write
  } catch {
    return false; // released meanwhile: try again
  }
}
