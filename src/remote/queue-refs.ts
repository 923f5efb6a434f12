/**
 * The shared merge queue on the remote: `refs/baton/queue/<id>`, one per task
 * waiting to be verified and merged, pointing at the branch tip that entered.
 * Created with the same create-only push as a claim, deleted in the same
 * atomic push that moves the base (or when the queue sends the task back).
 */
import { gitRun } from '../git/task-branch.js';

export const QUEUE = 'refs/baton/queue';

export function queueRef(id: string): string {
  return `${QUEUE}/${id}`;
}

/** Where a fetch keeps the remote's queue in this repository. */
export function seenQueueRef(remote: string, id: string): string {
  return `refs/baton/remotes/${remote}/queue/${id}`;
}

export function queueRefspec(remote: string): string {
  return `+${QUEUE}/*:refs/baton/remotes/${remote}/queue/*`;
}

export interface SeenQueueEntry {
  id: string;
  /** The branch tip that entered the queue. */
  sha: string;
}

/** The queue as last fetched, oldest entry first (by the entry commit's date). */
export function readSeenQueue(root: string, remote: string): SeenQueueEntry[] {
  const r = gitRun(root, ['for-each-ref', '--sort=committerdate', '--format=%(objectname) %(refname:lstrip=-1)', `refs/baton/remotes/${remote}/queue/`]);
  if (r.code !== 0) return [];
  return r.stdout.split('\n').map((l) => /^([0-9a-f]{40,64}) (T-[0-9a-f]+)$/.exec(l.trim())).filter((m) => m !== null).map((m) => ({ id: m[2]!, sha: m[1]! }));
}
