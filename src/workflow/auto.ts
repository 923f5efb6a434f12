/**
 * `baton auto`: the whole loop. Take the ready tasks, run up to N at once in
 * their own worktrees, merge the successful ones into the base (one merge at
 * a time, in the main checkout), have the Central Agent review every K
 * results and after any failure, take the follow-ups it files, and stop when
 * the plan is done, nothing is ready, or a limit is hit.
 *
 * Everything it knows comes from the files, so a stopped run resumes with
 * `baton auto`: a task with an unfinished attempt is continued on its branch
 * and worktree (its committed work kept, with the memory of what happened);
 * a task finished on its branch but not merged is merged.
 */
import { executorFor, maxConcurrent } from '../agents/implementer.js';
import { activePauses, isoSecondsUp } from '../workspace/executor-pauses.js';
import { BatonError } from '../core/errors.js';
import { topoOrder } from '../core/graph.js';
import type { Outcome } from '../memory/entry.js';
import type { Task } from '../core/task.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import type { Display } from './auto-events.js';
import type { SharedRemote } from './shared-remote.js';
import { candidates, leftOver, type Candidate } from './auto-queue.js';
import { acquireRunLock, mergeTask, prepareBase, reviewNow, spentUsd, openPullRequest } from './auto-steps.js';
import type { Project } from '../workspace/context.js';
import { runAttempt, type AttemptResult, type RunOptions } from './run.js';
import { waitText } from '../core/overlap.js';
import { OverlapCheck } from './auto-overlap.js';
import { TrialMerges } from './trial-merge.js';
import { MergeQueue, type QueueVerdict } from './auto-merge-queue.js';
import { rejectionLine } from './merge-queue-reject.js';
import { WAITING_FOR_ANSWER } from '../memory/questions.js';
import { emitEvent } from './notify.js';

export interface AutoOptions {
  parallel: number;
  /** Merge successful tasks into the base (false: leave the branches for pull requests). */
  merge: boolean;
  /** Review after this many results (0: only after failures). */
  reviewEvery: number;
  review: boolean;
  maxTasks?: number;
  maxAttempts: number;
  budgetUsd?: number;
  timeLimitMs?: number;
  /** Most agents of one executor at work at once (`--max-concurrent-per-executor`); `executors.<name>.max_concurrent` too. */
  maxPerExecutor?: number;
  run: Omit<RunOptions, 'signal' | 'onPhase'>;
  /** Ctrl-C. */
  signal?: AbortSignal;
  display: Display;
  /** Share the plan with other runners through a git remote (`--remote`): claims, pushes. */
  remote?: SharedRemote;
}

/** Polls with nobody at work before a remote runner concludes that nothing more will be ready. */
const IDLE_POLLS = 3;

export type StopReason = 'done' | 'nothing-ready' | 'max-tasks' | 'budget' | 'time' | 'interrupted' | 'paused';

export interface AutoResult {
  id: string;
  title: string;
  outcome: Outcome | 'interrupted';
  merged: boolean;
  reason?: string;
  /** With --remote --no-merge: the pull request opened for it (what `gh pr create` printed). */
  pullRequest?: string;
}

export interface AutoSummary {
  stop: StopReason;
  results: AutoResult[];
  spentUsd: number;
  reviews: string[];
  /** Tasks not done, and why. */
  left: { id: string; title: string; why: string }[];
  /** The merge queue: batches verified, tasks it sent back to their agents (a retry each). */
  queue: { batches: number; retries: number };
  /** Executors paused by a rate or usage limit when the run ended: until when (ISO). */
  pausedUntil: Record<string, string>;
}

export async function runAuto(project: Project, opts: AutoOptions): Promise<AutoSummary> {
  const tasks = loadTasksStrict(project.root);
  if (!tasks.length) {
    throw new BatonError('there are no tasks to run', { hint: 'Plan first: `baton plan --from REQUIREMENTS.md`, or `baton task add "…"`.' });
  }
  // A misconfigured executor is found before anything starts, not once per task.
  for (const t of tasks) {
    if (t.status !== 'done' && t.status !== 'cancelled') executorFor(project.config, t, { name: opts.run.executor }).preflight?.(opts.run.env ?? process.env);
  }
  const release = acquireRunLock(project);
  let summary: AutoSummary;
  try {
    summary = await new AutoRun(project, opts).run();
  } finally {
    release();
  }
  await emitEvent(project, { event: 'run-finished', text: runText(summary) });
  return summary;
}

/** Serializes work in the main checkout (merges, reviews and their commits). */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

class AutoRun {
  private readonly main = new Mutex();
  /** Aborts the running agents (Ctrl-C, the time limit). */
  private readonly abort = new AbortController();
  private readonly running = new Map<string, Promise<void>>();
  /** Tasks whose agent is at work now (not merges of earlier work): what a candidate's files are checked against. */
  private readonly attempting = new Map<string, Task>();
  private readonly trials: TrialMerges;
  /** Tasks whose agent finished, waiting in the merge queue. */
  private readonly queued = new Set<string>();
  private trialing = false;
  private trialFailure?: string;
  private readonly waitShown = new Map<string, string>();
  private readonly results: AutoResult[] = [];
  private readonly reviews: string[] = [];
  /** Tasks this run will not take again, and why. */
  private readonly settled = new Map<string, string>();
  private stop?: StopReason;
  /** Executors that hit a rate or usage limit, and until when (ms): their tasks wait, others go on. */
  private readonly paused = new Map<string, number>();
  /** The executor of each task whose agent is at work: what `max_concurrent` counts. */
  private readonly executorOf = new Map<string, string>();
  private spent = 0;
  private launched = 0;
  private sinceReview = 0;
  private reviewDue = false;
  private reviewOn: boolean;
  private reviewing?: Promise<void>;
  private readonly queue: MergeQueue;
  /** Tasks the remote runner's queue sent back (the local queue counts its own). */
  private remoteRetries = 0;
  private remoteBatches = 0;

  constructor(private readonly project: Project, private readonly opts: AutoOptions) {
    this.reviewOn = opts.review;
    this.trials = new TrialMerges(project);
    // Verified on the base tip first, so `done --merge`'s own check run is not repeated.
    this.queue = new MergeQueue(project, (fn) => this.main.run(fn), (task) => mergeTask(project, task.id, true), this.abort.signal);
  }

  async run(): Promise<AutoSummary> {
    const { project, opts } = this;
    await this.main.run(() => prepareBase(project, opts.merge));
    for (const t of topoOrder(loadTasksStrict(project.root))) {
      if (t.status !== 'done' && t.status !== 'cancelled') opts.display.task(t.id, t.title, 'waiting');
    }
    this.spent = spentUsd(project);
    for (const [name, p] of activePauses(project.root)) this.paused.set(name, Date.parse(p.until));
    const onSignal = () => this.halt('interrupted');
    if (opts.signal?.aborted) onSignal();
    opts.signal?.addEventListener('abort', onSignal);
    const timer = opts.timeLimitMs ? setTimeout(() => this.halt('time'), opts.timeLimitMs) : undefined;
    // Each running branch's new commits are merged in trial with the base and the others, about once a second.
    const trialTimer = setInterval(() => void this.trialMerge(), TRIAL_MERGE_MS);
    const { remote } = opts;
    try {
      for (let idle = 0; ;) {
        if (!this.stop && opts.budgetUsd !== undefined && this.spent >= opts.budgetUsd) this.halt('budget');
        if (!this.reviewOn) this.reviewDue = false;
        if (remote && !this.stop) await this.main.run(() => remote.sync());
        // While a review is due or running, no task starts: it may file what comes next.
        if (!this.stop && !this.reviewDue && !this.reviewing) await this.fillSlots();
        if (this.reviewDue && !this.reviewing && !this.stop) this.startReview();
        const pending = [...this.running.values(), ...(this.reviewing ? [this.reviewing] : [])];
        // Shared through a remote, other runners' merges can make more ready: look again now and then.
        const waiting = remote && !this.stop && this.running.size < opts.parallel;
        if (!pending.length) {
          const skip = (id: string) => this.settled.has(id);
          if (!waiting) break;
          // Done only when nobody has been at work for a few polls in a row: a runner between two
          // tasks (merged, pushed, not yet claiming the next) holds no claim for a moment.
          if (remote.othersAtWork(skip)) idle = 0;
          else if (++idle > IDLE_POLLS) break;
        } else idle = 0;
        // A pause that ends while others work lets its tasks start then.
        const wake = this.nextPauseEnd();
        const timers: NodeJS.Timeout[] = [];
        const after = (ms: number) => new Promise<void>((r) => timers.push(setTimeout(r, ms)));
        await Promise.race([...pending, ...(waiting ? [after(remote.settings.pollMs)] : []), ...(wake !== undefined ? [after(wake)] : [])]);
        for (const t of timers) clearTimeout(t);
      }
    } finally {
      if (timer) clearTimeout(timer);
      clearInterval(trialTimer);
      opts.signal?.removeEventListener('abort', onSignal);
      this.queue.close();
      await remote?.releaseAll();
      // What this runner committed on the base without a merge (a review, the plan's own changes) goes out too.
      if (remote) await this.main.run(() => remote.publishBase());
    }
    // A task held back for an overlap says so, unless this run said something later about it.
    const left = leftOver(project, new Map([...this.waitShown, ...this.settled]), opts.merge);
    const now = Date.now();
    const pausedUntil = Object.fromEntries([...this.paused].filter(([, at]) => at > now).map(([name, at]) => [name, isoSecondsUp(at)]));
    const stop = this.stop ?? (left.length ? (Object.keys(pausedUntil).length ? 'paused' : 'nothing-ready') : 'done');
    const queue = { batches: this.queue.batches + this.remoteBatches, retries: this.queue.retries + this.remoteRetries };
    return { stop, results: this.results, spentUsd: this.spent, reviews: this.reviews, left, pausedUntil, queue };
  }

  /** Its executor's name; an unknown one (a follow-up's role) fails its attempt with the config's own error, not the run. */
  private executorName(task: Task): string {
    try {
      return executorFor(this.project.config, task, { name: this.opts.run.executor }).name;
    } catch {
      return '';
    }
  }

  /** Milliseconds until the first pause ends, when one does and agents are at work meanwhile. */
  private nextPauseEnd(): number | undefined {
    const now = Date.now();
    const ends = [...this.paused.values()].filter((at) => at > now);
    return ends.length && this.running.size ? Math.min(...ends) - now + 50 : undefined;
  }

  private halt(why: StopReason): void {
    this.stop ??= why;
    if (why === 'interrupted' || why === 'time') this.abort.abort();
  }

  private async fillSlots(): Promise<void> {
    const skip = (id: string) => this.running.has(id) || this.settled.has(id);
    if (this.running.size >= this.opts.parallel) return;
    const overlaps = new OverlapCheck(this.project, [...this.attempting.keys(), ...(this.opts.remote?.heldElsewhere?.() ?? [])]);
    for (const c of candidates(this.project, this.opts.merge, skip)) {
      if (this.running.size >= this.opts.parallel) return;
      if (c.state.doneOnBranch) {
        if (this.opts.remote && !(await this.opts.remote.claim(c.task))) continue;
        this.track(c.task, this.mergeEarlier(c));
        continue;
      }
      const executor = this.executorName(c.task);
      const pausedTill = this.paused.get(executor);
      if (pausedTill !== undefined && pausedTill > Date.now()) {
        this.showWait(c.task, `${executor} is paused until ${isoSecondsUp(pausedTill)} (a rate or usage limit; no attempt counted)`);
        continue;
      }
      const cap = maxConcurrent(this.project.config, executor, this.opts.maxPerExecutor);
      const atWork = [...this.executorOf.values()].filter((e) => e === executor).length;
      if (cap !== undefined && atWork >= cap) {
        this.showWait(c.task, `${atWork} ${executor} agent${atWork > 1 ? 's' : ''} at work (at most ${cap} at once)`);
        continue;
      }
      if (c.state.failures >= this.opts.maxAttempts) {
        this.settle(c.task, 'skipped', `failed ${c.state.failures} attempt${c.state.failures > 1 ? 's' : ''} (--max-attempts ${this.opts.maxAttempts})`);
        continue;
      }
      if (this.opts.maxTasks !== undefined && this.launched >= this.opts.maxTasks) return this.halt('max-tasks');
      // Two agents editing the same files make a conflict that reaches a person: this one starts when the other is done.
      const waits = overlaps.waitsFor(c.task);
      if (waits) {
        this.showWait(c.task, waitText(waits));
        continue;
      }
      if (this.opts.remote && !(await this.opts.remote.claim(c.task))) continue;
      this.launched++;
      overlaps.started(c.task);
      this.waitShown.delete(c.task.id);
      this.executorOf.set(c.task.id, executor);
      this.track(c.task, this.attempt(c.task));
    }
  }

  /** Conflicts between running branches (and with the base), found before either finishes: told to both agents through memory. */
  private async trialMerge(): Promise<void> {
    if (this.trialing || this.stop || !this.attempting.size) return;
    this.trialing = true;
    try {
      // A task in the merge queue has no agent at work to tell: the queue's verdict speaks for it.
      for (const c of await this.trials.check([...this.attempting.values()].filter((t) => !this.queued.has(t.id)))) {
        const other = c.with ? `${c.with}` : `\`${this.project.config.base_branch}\``;
        this.opts.display.note(`trial merge: ${c.task} conflicts with ${other} in ${c.files.slice(0, 3).join(', ')}${c.files.length > 3 ? ` and ${c.files.length - 3} more` : ''}; noted in their memory`);
      }
    } catch (error) {
      // A trial is advice: its failure (a branch deleted under it, an old git) never stops the run.
      const why = firstLine(error);
      if (why !== this.trialFailure) this.opts.display.note(`trial merge skipped: ${why}`);
      this.trialFailure = why;
    } finally {
      this.trialing = false;
    }
  }

  /** Once per reason: the display shows why a ready task is not started. */
  private showWait(task: Task, why: string): void {
    if (this.waitShown.get(task.id) === why) return;
    this.waitShown.set(task.id, why);
    this.opts.display.task(task.id, task.title, 'waiting', why);
  }

  private track(task: Task, work: Promise<void>): void {
    this.running.set(task.id, work.finally(() => this.running.delete(task.id)));
  }

  private settle(task: Task, state: 'skipped' | 'failed' | 'partial' | 'done', why: string): void {
    this.settled.set(task.id, why);
    this.opts.display.task(task.id, task.title, state, why);
  }

  /** Finished on its branch before an interruption, never merged: merge it now. */
  private async mergeEarlier(c: Candidate): Promise<void> {
    const { display } = this.opts;
    display.task(c.task.id, c.task.title, 'merging', 'finished earlier; in the merge queue');
    try {
      const v = await this.merge(c.task);
      if (v.merged) {
        display.task(c.task.id, c.task.title, 'merged', 'finished earlier');
        return;
      }
      await this.opts.remote?.release(c.task);
      if (v.rejected && v.sentBack) display.task(c.task.id, c.task.title, 'failed', rejectionLine(v.rejected));
      else this.settle(c.task, 'failed', `merge failed: ${v.rejected ? rejectionLine(v.rejected) : v.error}`);
    } catch (error) {
      await this.opts.remote?.release(c.task);
      this.settle(c.task, 'failed', `merge failed: ${firstLine(error)}`);
    }
  }

  /**
   * Into the base through the merge queue: verified on the base tip (with
   * whatever else finished meanwhile), merged only if its checks pass there;
   * through the shared remote, verified on the remote's base before the atomic push.
   */
  private async merge(task: Task, checked = false): Promise<QueueVerdict> {
    const { remote } = this.opts;
    if (!remote) return this.queue.submit(task, checked);
    const v = await this.main.run(() => remote.finish(task, checked));
    this.remoteBatches++;
    if (!v.merged && v.rejected && v.sentBack) this.remoteRetries++;
    return v;
  }

  private async attempt(task: Task): Promise<void> {
    this.attempting.set(task.id, task);
    try {
      await this.attemptOnce(task);
    } finally {
      this.attempting.delete(task.id);
      this.queued.delete(task.id);
      this.executorOf.delete(task.id);
    }
  }

  private async attemptOnce(task: Task): Promise<void> {
    const { display } = this.opts;
    display.task(task.id, task.title, 'starting');
    const { remote } = this.opts;
    let r: AttemptResult;
    try {
      let pushed = false;
      r = await runAttempt(this.project, task.id, {
        ...this.opts.run,
        // Its look at the main checkout and the base, before and after the agent, is not taken mid-merge.
        inMain: (fn) => this.main.run(fn),
        signal: remote ? AbortSignal.any([this.abort.signal, remote.lostSignal(task.id)]) : this.abort.signal,
        onPhase: (phase, detail) => {
          // The start commit (status, attempt entry) goes to the remote before the agent works.
          if (remote && phase === 'running' && !pushed) pushed = (void remote.pushBranch(task), true);
          display.task(task.id, task.title, phase === 'logging' ? 'checking' : phase, detail);
        },
      });
    } catch (error) {
      await remote?.release(task);
      this.results.push({ id: task.id, title: task.title, outcome: 'failure', merged: false, reason: firstLine(error) });
      this.settle(task, 'failed', firstLine(error));
      this.reviewDue = true;
      return;
    }
    this.spent += r.costUsd;
    if (r.interrupted) {
      await remote?.release(task);
      const why = r.paused ? r.reason! : 'resume with `baton auto`';
      display.task(task.id, task.title, 'interrupted', why);
      if (r.paused) {
        // No attempt counted; this executor's tasks wait until then (this run takes them again if it is still going).
        this.paused.set(this.executorName(task), Date.parse(r.pausedUntil!));
        this.waitShown.set(task.id, why);
      }
      this.results.push({ id: task.id, title: task.title, outcome: 'interrupted', merged: false });
      return;
    }
    await this.record(task, r);
  }

  /** Merge a success; count the result toward the next review. */
  private async record(task: Task, r: AttemptResult): Promise<void> {
    const { display } = this.opts;
    let outcome: Outcome = r.outcome;
    let reason = r.reason;
    let merged = false;
    /** The queue sent it back to its agent: a retry, not a person's problem (until --max-attempts). */
    let sentBack = false;
    if (outcome === 'success' && this.opts.merge) {
      display.task(task.id, task.title, 'merging', 'in the merge queue');
      this.queued.add(task.id);
      try {
        // This attempt's checks passed on the branch tip (an attempt with checks succeeds only so).
        const v = await this.merge(task, r.checks.length > 0);
        merged = v.merged;
        if (!v.merged) {
          outcome = 'failure';
          sentBack = v.rejected !== undefined && v.sentBack;
          reason = v.rejected ? rejectionLine(v.rejected) : `merge into ${this.project.config.base_branch} failed: ${v.error}`;
        }
      } catch (error) {
        outcome = 'failure';
        reason = `merge into ${this.project.config.base_branch} failed: ${firstLine(error)}`;
      }
    }
    if (!merged) await this.opts.remote?.release(task);
    // Shared through a remote without merging, results go through pull requests: the branch is pushed now.
    const { remote } = this.opts;
    const pullRequest = outcome === 'success' && !this.opts.merge && remote
      ? await openPullRequest(this.project, task, remote.settings.remote, (line) => display.note(line))
      : undefined;
    this.results.push({ id: task.id, title: task.title, outcome, merged, reason, ...(pullRequest ? { pullRequest } : {}) });
    if (r.asked) {
      // Not settled: once a person answers (`baton answer`, the board), this run takes it again.
      display.task(task.id, task.title, 'waiting', `${WAITING_FOR_ANSWER}: \`baton answer ${task.id} "…"\``);
      return;
    }
    if (merged) display.task(task.id, task.title, 'merged');
    else if (pullRequest) this.settle(task, 'done', `done on \`${r.branch}\`: pull request ${pullRequest}`);
    else if (outcome === 'success') this.settle(task, 'done', `done on \`${r.branch}\`, not merged (--no-merge): open a pull request or run \`baton done ${task.id} --merge\``);
    else if (outcome === 'partial') this.settle(task, 'partial', `${reason ?? 'partial'}; accept it with \`baton done ${task.id} --merge\``);
    else if (r.outcome === 'success' && !sentBack) this.settle(task, 'failed', `${reason}; the work is on \`${r.branch}\``);
    else display.task(task.id, task.title, 'failed', `${reason}${r.claimed === 'success' && r.outcome !== 'success' ? ' (the agent claimed success)' : ''}`);
    this.sinceReview++;
    // A task the queue sent back is its agent's to fix: no review for it.
    if (outcome !== 'success' && !sentBack) this.reviewDue = true;
    if (this.opts.reviewEvery > 0 && this.sinceReview >= this.opts.reviewEvery) this.reviewDue = true;
  }

  /** Runs beside the agents still at work. */
  private startReview(): void {
    this.reviewDue = false;
    this.sinceReview = 0;
    this.reviewing = this.main.run(() => reviewNow(this.project, this.abort.signal, this.opts.display))
      .then((r) => {
        if (r.disabled) this.reviewOn = false;
        if (r.id) this.reviews.push(r.id);
        // Accepted partial work is taken again: its branch now counts as finished and is merged.
        for (const id of r.accepted ?? []) if (this.settled.has(id)) this.settled.delete(id);
        this.spent += r.costUsd;
      })
      .finally(() => {
        this.reviewing = undefined;
      });
  }
}

/** How often running branches are looked at for new commits to trial-merge (one `for-each-ref`; merges only on change). */
const TRIAL_MERGE_MS = 1000;

/** The run in a line or two, for the `run-finished` event: why it stopped, what came of it, what is left and why. */
function runText(s: AutoSummary): string {
  const count = (o: string) => s.results.filter((r) => r.outcome === o).length;
  const left = s.left.slice(0, 5).map((l) => `${l.id} (${l.why})`).join(', ');
  return `Stopped: ${s.stop}. ${s.results.length} attempts: ${count('success')} success, ${count('partial')} partial, ${count('failure')} failure.${left ? ` Left: ${left}${s.left.length > 5 ? ` and ${s.left.length - 5} more` : ''}.` : ''}`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
