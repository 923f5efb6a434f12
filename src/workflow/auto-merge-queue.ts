/**
 * `baton auto`'s merge queue: a finished task is queued, and the queue takes
 * everything queued as one batch, verifies it on the base tip in a scratch
 * worktree (merge-queue.ts: Bors batches, bisected on a failure), and only
 * then merges what passed into the base, in the order it was verified. What
 * did not pass is sent back to its agent. One batch at a time, in the
 * run's merge lock; its state is written where `baton status --json` reads it.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Task } from '../core/task.js';
import { gitRun } from '../git/task-branch.js';
import { taskBranchName } from '../tasks/checkout.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { writeFileAtomic } from '../workspace/atomic.js';
import type { Project } from '../workspace/context.js';
import { Scratch, verifyBatch, type QueueEntry, type Rejection } from './merge-queue.js';
import { sendBack } from './merge-queue-reject.js';
import { queueStatePath, type QueueState } from './merge-queue-state.js';

export type QueueVerdict =
  | { merged: true }
  | { merged: false; rejected: Rejection; sentBack: boolean }
  /** Verified, but the merge itself refused (the branch changed the plan, …): for a person, as `done --merge` says. */
  | { merged: false; error: string; rejected?: undefined };

interface Pending {
  entry: QueueEntry;
  since: string;
  settle: (v: QueueVerdict) => void;
  fail: (e: unknown) => void;
}

const RECENT = 20;

export class MergeQueue {
  private pending: Pending[] = [];
  private verifying: Pending[] = [];
  private readonly state: QueueState;
  /** Made at the first batch that needs one, kept for the run. */
  private scratch?: Scratch;

  constructor(
    private readonly project: Project,
    /** Runs `fn` in the run's merge lock (the main checkout's mutex). */
    private readonly locked: <T>(fn: () => Promise<T>) => Promise<T>,
    /** Merge one verified task into the base (`baton done --merge`'s path). */
    private readonly mergeOne: (task: Task) => Promise<void>,
    private readonly signal?: AbortSignal,
  ) {
    this.state = { pid: process.pid, base: project.config.base_branch, entries: [], recent: [], batches: 0, retries: 0 };
  }

  /** Retries the queue caused (tasks sent back to their agents) in this run. */
  get retries(): number {
    return this.state.retries;
  }

  get batches(): number {
    return this.state.batches;
  }

  /** Queue a finished task (`checked`: its checks just passed on its branch tip); resolves once its batch is verified (and, if it passed, merged). */
  submit(task: Task, checked = false): Promise<QueueVerdict> {
    return new Promise<QueueVerdict>((settle, fail) => {
      this.pending.push({ entry: { task, branch: taskBranchName(this.project, task), checkedOnBranch: checked }, since: new Date().toISOString(), settle, fail });
      this.save();
      void this.locked(() => this.drain());
    });
  }

  /** Take everything queued now as one batch. A batch taken while another ran finds the queue empty: nothing to do. */
  private async drain(): Promise<void> {
    if (!this.pending.length) return;
    this.verifying = this.pending;
    this.pending = [];
    this.state.batches++;
    this.save();
    const batch = this.verifying;
    try {
      const verdicts = await this.verify(batch);
      for (const p of batch) p.settle(verdicts.get(p.entry.task.id)!);
    } catch (error) {
      for (const p of batch) p.fail(error);
    } finally {
      this.verifying = [];
      this.save();
    }
  }

  private async verify(batch: Pending[]): Promise<Map<string, QueueVerdict>> {
    const { project } = this;
    const base = project.config.base_branch;
    const out = new Map<string, QueueVerdict>();
    const entries = batch.map((p) => p.entry);
    let tip: string;
    let verdict: Awaited<ReturnType<typeof verifyBatch>>;
    // The base moved under the verification (a person's commit): what was verified is not what would be merged; again.
    do {
      tip = baseTip(project.root, base);
      verdict = await verifyBatch(project, tip, entries, { signal: this.signal, scratch: () => (this.scratch ??= new Scratch(project, tip)) });
    } while (baseTip(project.root, base) !== tip);
    const tasks = loadTasksStrict(project.root);
    for (const r of verdict.rejected) {
      const sentBack = await sendBack(project, r, tasks);
      if (sentBack) this.state.retries++;
      this.remember(r.task.id, r.kind, r.with, r.files);
      out.set(r.task.id, { merged: false, rejected: r, sentBack });
    }
    for (const e of verdict.accepted) {
      try {
        await this.mergeOne(e.task);
      } catch (error) {
        out.set(e.task.id, { merged: false, error: error instanceof Error ? error.message : String(error) });
        continue;
      }
      this.remember(e.task.id, 'merged', [], []);
      out.set(e.task.id, { merged: true });
    }
    return out;
  }

  private remember(id: string, verdict: QueueState['recent'][number]['verdict'], withIds: string[], files: string[]): void {
    this.state.recent.push({ id, verdict, with: withIds, files: files.slice(0, 20), at: new Date().toISOString() });
    if (this.state.recent.length > RECENT) this.state.recent.splice(0, this.state.recent.length - RECENT);
  }

  private save(): void {
    this.state.entries = [
      ...this.verifying.map((p) => ({ id: p.entry.task.id, branch: p.entry.branch, state: 'verifying' as const, since: p.since })),
      ...this.pending.map((p) => ({ id: p.entry.task.id, branch: p.entry.branch, state: 'queued' as const, since: p.since })),
    ];
    try {
      const path = queueStatePath(this.project.root);
      mkdirSync(dirname(path), { recursive: true });
      writeFileAtomic(path, `${JSON.stringify(this.state, null, 2)}\n`);
    } catch {
      // The state file is a view for `status`; the queue works without it.
    }
  }

  /** The run ended: nothing queued is left; the last verdicts stay for `status`. */
  close(): void {
    this.scratch?.remove();
    this.scratch = undefined;
    this.pending = [];
    this.verifying = [];
    this.state.pid = 0;
    this.save();
  }
}

function baseTip(root: string, base: string): string {
  return gitRun(root, ['rev-parse', '--verify', `refs/heads/${base}^{commit}`]).stdout.trim();
}
