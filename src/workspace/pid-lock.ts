/**
 * A lock held by a live process: a file with its pid in the repository's
 * common git dir (shared by all worktrees). A lock whose process is gone
 * (killed, or quit with a second Ctrl-C) is taken over.
 *
 * The file appears with its pid already in it (a temp file hard-linked into
 * place; a link never replaces), so nobody ever reads an empty lock and takes
 * it over while its owner is still writing. An empty one (left by an older
 * baton, or a file system without hard links) counts as held for a few seconds.
 */
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { sharedStateDir, stateDir } from './paths.js';

/** How long an empty lock file counts as being written by its owner. */
const EMPTY_GRACE_MS = 5_000;

export function acquirePidLock(root: string, name: string, busy: (pid: number) => BatonError): () => void {
  const path = join(sharedStateDir(root), `${name}.pid`);
  mkdirSync(dirname(path), { recursive: true });
  for (;;) {
    if (createWithPid(path)) return () => rmSync(path, { force: true });
    const holder = readHolder(path);
    if (!holder) continue; // released meanwhile: try again
    if (holder.pid && pidAlive(holder.pid)) throw busy(holder.pid);
    if (!holder.pid && Date.now() - holder.mtimeMs < EMPTY_GRACE_MS) {
      sleepSync(25); // its owner is writing its pid
      continue;
    }
    takeOver(path, holder);
  }
}

/** Create `path` holding this process's pid in one step; false when it exists. */
function createWithPid(path: string): boolean {
  const tmp = `${path}.${process.pid}-${process.getBuiltinModule('node:crypto').randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, String(process.pid));
    linkSync(tmp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    return createExclusive(path); // no hard links here: create, then write (an empty lock is waited for)
  } finally {
    rmSync(tmp, { force: true });
  }
}

function createExclusive(path: string): boolean {
  try {
    const fd = openSync(path, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

interface Holder {
  pid: number;
  mtimeMs: number;
}

function readHolder(path: string): Holder | undefined {
  try {
    const mtimeMs = statSync(path).mtimeMs;
    return { pid: Number(readFileSync(path, 'utf8').trim()) || 0, mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Remove a dead holder's lock, one process at a time: two processes that both
 * saw it dead must not both remove it (the second would remove the lock the
 * first has just taken). A guard left by a process killed mid-takeover goes after 10 s.
 */
function takeOver(path: string, dead: Holder): void {
  const guard = `${path}.takeover`;
  if (!createWithPid(guard)) {
    const g = readHolder(guard);
    if (g && (!g.pid || !pidAlive(g.pid)) && Date.now() - g.mtimeMs > 10_000) rmSync(guard, { force: true });
    sleepSync(10);
    return;
  }
  try {
    const now = readHolder(path);
    if (now && now.pid === dead.pid && now.mtimeMs === dead.mtimeMs) rmSync(path, { force: true });
  } finally {
    rmSync(guard, { force: true });
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Whether a process with this pid exists (one owned by another user counts). */
export function pidAlive(pid: number): boolean {
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
    if (createWithPid(path)) break;
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
    if (pid) return !pidAlive(pid);
    return Date.now() - statSync(path).mtimeMs > 10_000; // empty for 10 s: its holder died mid-write
  } catch {
    return false; // released meanwhile: try again
  }
}
