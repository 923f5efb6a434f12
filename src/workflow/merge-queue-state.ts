/** Where `baton auto`'s merge queue says what it holds, for `baton status --json` (light: no git, no checks). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedStateDir } from '../workspace/paths.js';

export interface QueueState {
  pid: number;
  base: string;
  /** Waiting for the next batch, or in the batch being verified now. */
  entries: { id: string; branch: string; state: 'queued' | 'verifying'; since: string }[];
  /** The last verdicts, newest last. */
  recent: { id: string; verdict: 'merged' | 'conflict' | 'check'; with: string[]; files: string[]; at: string }[];
  batches: number;
  retries: number;
}

export function queueStatePath(root: string): string {
  return join(sharedStateDir(root), 'merge-queue.json');
}

/** What the queue last wrote (kept after the run ends: its last verdicts); undefined when no run had one. */
export function readQueueState(root: string): QueueState | undefined {
  try {
    const state = JSON.parse(readFileSync(queueStatePath(root), 'utf8')) as QueueState;
    return Array.isArray(state.entries) && Array.isArray(state.recent) ? state : undefined;
  } catch {
    return undefined;
  }
}

