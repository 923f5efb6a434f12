/**
 * What `baton auto` needs from a remote shared with other runners (`--remote`).
 * remote/runner.ts implements it; auto takes it as a parameter, so the use case
 * does not depend on the remote feature built on top of it.
 */
import type { Task } from '../core/task.js';
import type { QueueVerdict } from './auto-merge-queue.js';

export interface SharedRemote {
  /** `remote`: the git remote's name (pull requests are pushed there). */
  readonly settings: { readonly pollMs: number; readonly remote: string };
  /** Fetch base, task branches and claims. */
  sync(): Promise<void>;
  /** Take the task for this runner; false when another runner holds it. */
  claim(task: Task): Promise<boolean>;
  /** Aborted when this runner loses the task's claim. */
  lostSignal(id: string): AbortSignal;
  /** Best effort: never rejects (a failure is noted). */
  pushBranch(task: Task): Promise<void>;
  /** Through the shared merge queue into the base: verified on the remote's base tip, then one atomic push that also releases the claim. */
  finish(task: Task, checkedOnBranch?: boolean): Promise<QueueVerdict>;
  release(task: Task): Promise<void>;
  releaseAll(): Promise<void>;
  othersAtWork(skip: (id: string) => boolean): boolean;
  /** Tasks other runners hold live claims on: their files are not edited here at the same time. */
  heldElsewhere?(): string[];
  publishBase(): Promise<void>;
}
