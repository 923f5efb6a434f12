/**
 * One runner among many sharing a plan through a git remote (`baton auto
 * --remote`). It claims a task before working on it, renews the lease while
 * the agent works, pushes the task branch at each safe point (after the start
 * commit, after the attempt is logged), and finishes with one atomic push:
 * the base moved forward by the merge and the claim deleted, both or neither,
 * and only if the claim is still the one it holds. So two runners never both
 * finish a task; a lost race on the base is retried on the new base.
 */
import { BatonError } from '../core/errors.js';
import type { Task } from '../core/task.js';
import { gitRun } from '../git/task-branch.js';
import type { Project } from '../workspace/context.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { checkoutOf, taskBranchName } from '../tasks/checkout.js';
import { claimRef, fetchClaims, isExpired, releaseClaim, renewClaim, tryClaim, type Claim } from './claims.js';
import { push, refSha, type NetworkOptions } from './git-remote.js';
import type { RemoteSettings } from './settings.js';
import { finisher, type Finisher } from './merge.js';
import { queueRef, seenQueueRef } from './queue-refs.js';
import { verifyBatch, type QueueEntry } from '../workflow/merge-queue.js';
import { sendBack } from '../workflow/merge-queue-reject.js';
import type { QueueVerdict } from '../workflow/auto-merge-queue.js';
import { fetchShared, followBase, followTaskBranches } from './sync.js';

interface Held {
  claim: Claim;
  timer: NodeJS.Timeout;
  renewing?: Promise<void>;
  lost: AbortController;
}

const iso = (ms: number) => new Date(ms).toISOString();

const MAX_PUSH_TRIES = 20;

export class RemoteRunner {
  private seen: Claim[] = [];
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly project: Project,
    readonly settings: RemoteSettings,
    private readonly note: (text: string) => void = () => {},
    /** Ends fetches and pushes under way (Ctrl-C); giving claims back is never cut short by it. */
    private readonly signal?: AbortSignal,
  ) {}

  /** For fetches and pushes: the stall timeout, and the interrupt unless `keep` (a claim given back). */
  private net(keep = false): NetworkOptions {
    return { stallMs: this.settings.stallMs, ...(this.signal && !keep ? { signal: this.signal } : {}) };
  }

  get name(): string {
    return this.settings.runner;
  }

  /** Fetch base, task branches and claims; the local base and idle task branches follow the remote. */
  async sync(): Promise<void> {
    this.seen = await fetchShared(this.project, this.settings.remote, { net: this.net() });
    followBase(this.project, this.settings.remote, checkoutOf(this.project, this.project.config.base_branch)?.dir);
    followTaskBranches(this.project, this.settings.remote);
  }

  /** Claim a task (or take over an expired claim); false when another runner has it. */
  async claim(task: Task): Promise<boolean> {
    const current = this.seen.find((c) => c.task === task.id);
    if (current && current.runner !== this.name && !isExpired(current)) return false;
    const now = Date.now();
    const info = { task: task.id, runner: this.name, since: iso(now), expires: iso(now + this.settings.leaseMs) };
    const r = await tryClaim(this.project.root, this.settings.remote, info, current, this.net());
    if (!r.won) return false;
    if (current?.unreadable) this.note(`${task.id}: took over an unreadable claim (${current.unreadable}; ${claimRef(task.id)} pointed at ${current.sha.slice(0, 12)})`);
    else if (current) this.note(`${task.id}: took over the claim of ${current.runner} (its lease ended ${current.expires})`);
    const held: Held = { claim: r.claim, lost: new AbortController(), timer: setInterval(() => this.renew(task.id), this.settings.renewMs) };
    this.held.set(task.id, held);
    return true;
  }

  /** Who holds the claim on `id` as last fetched. */
  holder(id: string): Claim | undefined {
    return this.seen.find((c) => c.task === id);
  }

  /** Stop renewing a claim and forget it: it stays on the remote until its lease ends (`baton start`). */
  detach(id: string): Claim | undefined {
    const h = this.held.get(id);
    if (h) clearInterval(h.timer);
    this.held.delete(id);
    return h?.claim;
  }

  /** Aborts when the claim is lost (taken over after this runner failed to renew it in time). */
  lostSignal(id: string): AbortSignal {
    return this.held.get(id)?.lost.signal ?? AbortSignal.abort();
  }

  private renew(id: string): void {
    const h = this.held.get(id);
    if (!h || h.renewing) return;
    const expires = iso(Date.now() + this.settings.leaseMs);
    h.renewing = renewClaim(this.project.root, this.settings.remote, h.claim, expires, this.net(true))
      .then(({ claim, result }) => {
        h.claim = claim;
        if (result.rejected && !h.lost.signal.aborted) {
          this.note(`${id}: the claim was taken over by another runner; stopping this attempt`);
          h.lost.abort();
        }
      })
      .finally(() => {
        h.renewing = undefined;
      });
  }

  private async stopRenewing(id: string): Promise<Held> {
    const h = this.held.get(id);
    if (!h) throw new BatonError(`${id} is not claimed by this runner (${this.name})`, { hint: 'Claim it first (`baton start --remote`).' });
    clearInterval(h.timer);
    await h.renewing;
    return h;
  }

  /** Push the task branch as it is now (best effort: a refusal, a stall or an unreachable remote is noted, not fatal). */
  async pushBranch(task: Task, keep = false): Promise<void> {
    const branch = taskBranchName(this.project, task);
    if (!refSha(this.project.root, `refs/heads/${branch}`)) return;
    try {
      const r = await push(this.project.root, this.settings.remote, [{ src: `refs/heads/${branch}`, dst: `refs/heads/${branch}` }], {}, this.net(keep));
      if (!r.ok) this.note(`${task.id}: could not push \`${branch}\` (${r.detail})`);
    } catch (error) {
      this.note(`${task.id}: could not push \`${branch}\` (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /**
   * The shared merge queue: the task enters it (`refs/baton/queue/<id>`, a
   * create-only push like a claim), is verified on the remote's base tip in a
   * scratch worktree (its checks run on the merge), and is published with one
   * atomic push: the base moved forward by that merge, the claim and the queue
   * entry deleted, all or none, and only if the claim is still ours and the
   * base is still the one verified. On a lost race for the base, undo the
   * local merge, take the new base, verify and merge again. A conflict or a
   * check that fails on the merge sends the task back to its agent.
   */
  async finish(task: Task, checkedOnBranch = false, steps: Finisher = finisher(this.project, task)): Promise<QueueVerdict> {
    const h = await this.stopRenewing(task.id);
    if (h.lost.signal.aborted) throw this.lost(task);
    const branch = taskBranchName(this.project, task);
    const entry = await this.enqueue(task, branch);
    try {
      return await this.publish(task, steps, h, { task, branch, checkedOnBranch }, entry);
    } catch (error) {
      // Not merged (a lost claim, a plan change refused, an unreachable remote): the entry leaves the queue with it.
      await this.dequeue(task, entry);
      throw error;
    }
  }

  private async publish(task: Task, steps: Finisher, h: Held, queued: QueueEntry, entry: string | undefined): Promise<QueueVerdict> {
    const { remote } = this.settings;
    const base = this.project.config.base_branch;
    let closed = false;
    for (let i = 0; i < MAX_PUSH_TRIES; i++) {
      // A whole lease for this try: the merge runs git synchronously, and no timer renews meanwhile.
      const renewed = await renewClaim(this.project.root, remote, h.claim, iso(Date.now() + this.settings.leaseMs), this.net());
      if (!renewed.result.ok) {
        this.held.delete(task.id);
        throw this.lost(task);
      }
      h.claim = renewed.claim;
      await this.sync();
      const before = refSha(this.project.root, `refs/heads/${base}`);
      const verdict = await verifyBatch(this.project, before!, [queued], { signal: this.signal });
      const rejected = verdict.rejected[0];
      if (rejected) {
        const sentBack = await sendBack(this.project, rejected, loadTasksStrict(this.project.root));
        await this.dequeue(task, entry);
        return { merged: false, rejected, sentBack };
      }
      if (!closed) {
        await steps.close();
        closed = true;
      }
      steps.merge();
      const head = refSha(this.project.root, `refs/heads/${base}`)!;
      const r = await push(this.project.root, remote, [
        // Only onto the base that was verified: another runner's merge in between means verifying again.
        { src: head, dst: `refs/heads/${base}`, expect: refSha(this.project.root, `refs/remotes/${remote}/${base}`) ?? '' },
        { src: '', dst: claimRef(task.id), expect: h.claim.sha },
        ...(entry ? [{ src: '', dst: queueRef(task.id), expect: entry }] : []),
        // The closed branch goes with the merge that holds it (force: a rewrite by the hooks is the runner's own).
        { src: `+refs/heads/${queued.branch}`, dst: `refs/heads/${queued.branch}` },
      ], { atomic: true }, this.net());
      if (r.ok) {
        this.held.delete(task.id);
        steps.cleanUp();
        return { merged: true };
      }
      // Undo the unpublished merge: the next try merges on top of what won the race.
      if (before) gitRun(this.project.root, ['reset', '--hard', '--quiet', before]);
      const now = (await fetchClaims(this.project.root, remote, [], this.net())).find((c) => c.task === task.id);
      if (now?.sha !== h.claim.sha) {
        this.held.delete(task.id);
        throw this.lost(task);
      }
      this.note(`${task.id}: \`${base}\` moved on ${remote} meanwhile; merging again (try ${i + 2})`);
    }
    await this.release(task);
    throw new BatonError(`could not push \`${base}\` to \`${remote}\` after ${MAX_PUSH_TRIES} tries: other runners kept moving it`, {
      hint: `The work is on the task branch; \`baton auto --remote ${remote}\` merges it on its next run.`,
    });
  }

  /**
   * Enter the shared queue: create `refs/baton/queue/<id>` at the branch tip (or replace a stale
   * entry of this task, read at the last sync), in the same push as the branch itself.
   */
  private async enqueue(task: Task, branch: string): Promise<string | undefined> {
    const tip = refSha(this.project.root, `refs/heads/${branch}`);
    if (!tip) return undefined;
    const stale = refSha(this.project.root, seenQueueRef(this.settings.remote, task.id)) ?? '';
    const r = await push(this.project.root, this.settings.remote, [
      { src: `refs/heads/${branch}`, dst: `refs/heads/${branch}` },
      { src: tip, dst: queueRef(task.id), expect: stale },
    ], { atomic: true }, this.net()).catch(() => undefined);
    if (r?.ok) return tip;
    await this.pushBranch(task);
    this.note(`${task.id}: could not enter the shared merge queue (${r?.detail ?? 'remote unreachable'}); verified and merged without an entry`);
    return undefined;
  }

  private async dequeue(task: Task, entry: string | undefined): Promise<void> {
    if (!entry) return;
    await push(this.project.root, this.settings.remote, [{ src: '', dst: queueRef(task.id), expect: entry }], {}, this.net(true)).catch(() => undefined);
  }

  private lost(task: Task): BatonError {
    return new BatonError(`${task.id}: another runner took over the claim after its lease ran out, so this runner did not merge`, {
      hint: `Give runners a longer lease (\`remote.lease_s\` in .agents/config.yaml); the work is on \`${taskBranchName(this.project, task)}\`.`,
    });
  }

  /** Push the branch and give the task back (its claim deleted if still ours). */
  async release(task: Task): Promise<void> {
    if (!this.held.has(task.id)) return;
    const h = await this.stopRenewing(task.id);
    this.held.delete(task.id);
    await this.pushBranch(task, true);
    if (!h.lost.signal.aborted) await releaseClaim(this.project.root, this.settings.remote, h.claim, this.net(true));
  }

  /** Give back every claim still held (the run is ending). */
  async releaseAll(): Promise<void> {
    const tasks = new Map(loadTasksStrict(this.project.root).map((t) => [t.id, t]));
    for (const id of [...this.held.keys()]) {
      const t = tasks.get(id);
      if (t) await this.release(t);
    }
  }

  /** Whether other runners hold claims on tasks not done here, so waiting may make more ready. */
  othersAtWork(skip: (id: string) => boolean): boolean {
    const open = new Set(loadTasksStrict(this.project.root).filter((t) => t.status !== 'done' && t.status !== 'cancelled').map((t) => t.id));
    return this.seen.some((c) => c.runner !== this.name && open.has(c.task) && !skip(c.task));
  }

  /** Tasks other runners hold live claims on (as of the last sync). */
  heldElsewhere(): string[] {
    return this.seen.filter((c) => c.runner !== this.name && !isExpired(c)).map((c) => c.task);
  }

  /** Commits on the local base the remote lacks (a review's): pushed, merging the remote's first on a lost race. */
  async publishBase(): Promise<void> {
    const base = this.project.config.base_branch;
    for (let i = 0; i < MAX_PUSH_TRIES; i++) {
      await this.sync();
      const head = refSha(this.project.root, `refs/heads/${base}`);
      if (!head || head === refSha(this.project.root, `refs/remotes/${this.settings.remote}/${base}`)) return;
      if ((await push(this.project.root, this.settings.remote, [{ src: head, dst: `refs/heads/${base}` }], {}, this.net())).ok) return;
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
