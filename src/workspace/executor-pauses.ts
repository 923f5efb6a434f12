/**
 * Executors paused by a rate or usage limit, and until when: the time the
 * agent's words named, else a backoff that doubles while the limit keeps
 * coming back. Kept in the clone's shared state dir (the limit belongs to the
 * credentials on this machine, not to the plan), read by `auto` (which waits
 * for the time), `status` and `next` (which say it). A hand-edited or broken
 * file counts as no pause.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withLockSync, writeFileAtomic } from './atomic.js';
import { sharedStateDir } from './paths.js';

export interface ExecutorPause {
  /** ISO time the pause ends. */
  until: string;
  /** The agent's words. */
  reason: string;
  /** Limits hit in a row: the next backoff doubles with each. */
  hits: number;
}

/** The first backoff when the agent named no time; it doubles with each limit in a row, up to the cap. */
const PAUSE_BACKOFF_MS = 5 * 60_000;
const PAUSE_BACKOFF_MAX_MS = 4 * 3_600_000;

/** An ISO time in whole seconds, rounded up: never before the time given. */
export function isoSecondsUp(ms: number): string {
  return new Date(Math.ceil(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const file = (root: string) => join(sharedStateDir(root), 'executor-pauses.json');

function readPauses(root: string): Record<string, ExecutorPause> {
  const path = file(root);
  if (!existsSync(path)) return {};
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
    const out: Record<string, ExecutorPause> = {};
    for (const [name, v] of Object.entries(raw as Record<string, Partial<ExecutorPause>>)) {
      if (v && typeof v.until === 'string' && !Number.isNaN(Date.parse(v.until))) {
        out[name] = { until: v.until, reason: typeof v.reason === 'string' ? v.reason : '', hits: Number.isInteger(v.hits) && v.hits! > 0 ? v.hits! : 1 };
      }
    }
    return out;
  } catch {
    return {};
  }
}

/** The executors still paused at `now`, each with its pause. */
export function activePauses(root: string, now = Date.now()): Map<string, ExecutorPause> {
  return new Map(Object.entries(readPauses(root)).filter(([, p]) => Date.parse(p.until) > now));
}

/** Pause `executor` until `until`, or for a backoff; the pause as written. */
export function pauseExecutor(root: string, executor: string, reason: string, until?: Date, now = Date.now()): ExecutorPause {
  return withLockSync(`${file(root)}.lock`, () => {
    const all = readPauses(root);
    // A limit hit again soon after the last pause ended is the same limit: back off longer.
    const last = all[executor];
    const hits = last && now - Date.parse(last.until) < PAUSE_BACKOFF_MAX_MS ? last.hits + 1 : 1;
    const end = until ?? new Date(now + Math.min(PAUSE_BACKOFF_MS * 2 ** (hits - 1), PAUSE_BACKOFF_MAX_MS));
    // Whole seconds, rounded up: never before the time named.
    const pause = { until: isoSecondsUp(end.getTime()), reason, hits };
    all[executor] = pause;
    writeFileAtomic(file(root), `${JSON.stringify(all, null, 2)}\n`);
    return pause;
  });
}

/** The executor worked: no pause, and the backoff starts over. */
export function clearPause(root: string, executor: string): void {
  if (!(executor in readPauses(root))) return;
  withLockSync(`${file(root)}.lock`, () => {
    const all = readPauses(root);
    delete all[executor];
    writeFileAtomic(file(root), `${JSON.stringify(all, null, 2)}\n`);
  });
}
