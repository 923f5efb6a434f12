/**
 * The merge queue's verification (Bors): finished tasks are merged onto the
 * base tip in a scratch worktree, together, and their checks (read from the
 * base, never from the branch) run there before the base moves. A batch that
 * fails is split in two and each half tried again on what passed, down to the
 * one task that fails; a textual conflict drops that task from the batch at
 * once. What is rejected goes back to its agent (merge-queue-reject.ts), never
 * to a person first; the base only ever takes a tree whose checks passed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BatonError } from '../core/errors.js';
import type { Task } from '../core/task.js';
import { gitRun } from '../git/task-branch.js';
import { gitSaid } from '../git/run.js';
import { taskAt } from '../tasks/deciding.js';
import type { Project } from '../workspace/context.js';
import { AGENTS, isUnder } from '../workspace/paths.js';
import { checkEnv, runChecks, type CheckResult } from './checks.js';

export interface QueueEntry {
  task: Task;
  /** The task branch (its tip is what is verified). */
  branch: string;
  /** Its checks (the base's) just passed on this branch tip, in the task's worktree. */
  checkedOnBranch?: boolean;
}

export interface Rejection {
  task: Task;
  branch: string;
  kind: 'conflict' | 'check';
  /** The conflicting files, or for a failed check the files the base changed since the branch left it. */
  files: string[];
  /** Tasks merged on the base (or earlier in the batch) since the branch left it that touched those files. */
  with: string[];
  /** The conflict hunks (`git diff` of the conflicted files, markers and all), bounded. */
  hunks: string;
  /** The failed check. */
  check?: CheckResult;
}

export interface BatchVerdict {
  accepted: QueueEntry[];
  rejected: Rejection[];
}

export interface VerifyOptions {
  checkTimeoutMs?: number;
  signal?: AbortSignal;
  /** A scratch worktree kept across batches (a run's queue), asked for only when one is needed: reset to each base instead of made anew. */
  scratch?: () => Scratch;
}

const MAX_HUNK_LINES = 80;
/** git with the repository's hooks off: a scratch merge is no commit of anybody's task. */
const NO_HOOKS = ['-c', 'core.hooksPath=/dev/null'];

/**
 * Verify `entries` on `baseSha`: merge them one after another in a scratch
 * worktree, run their checks there; on a failure, bisect. Returns the entries
 * accepted (they merge in this order) and each rejection with its why.
 */
export async function verifyBatch(project: Project, baseSha: string, entries: readonly QueueEntry[], opts: VerifyOptions = {}): Promise<BatchVerdict> {
  // One entry that already holds the base tip, its checks just passed on it: the merge's tree is the
  // branch's own (outside baton's files), verified already; no scratch worktree is needed.
  const only = entries.length === 1 ? entries[0]! : undefined;
  if (only?.checkedOnBranch && gitRun(project.root, ['merge-base', '--is-ancestor', baseSha, only.branch]).code === 0) {
    return { accepted: [only], rejected: [] };
  }
  const scratch = opts.scratch ? opts.scratch() : new Scratch(project, baseSha);
  try {
    const verdict: BatchVerdict = { accepted: [], rejected: [] };
    // Each entry's checks as the base decides them: read once, however deep the bisection goes.
    const checks = new Map<string, Task['checks']>();
    const checksOf = (e: QueueEntry) => {
      let c = checks.get(e.task.id);
      if (!c) checks.set(e.task.id, (c = taskAt(project.root, project.config.base_branch, e.task).checks));
      return c;
    };
    await tryEntries(scratch, baseSha, [...entries], verdict, { ...opts, checksOf });
    // Checks cut short by Ctrl-C failed for no fault of the agents: nobody is sent back, nothing merged.
    if (opts.signal?.aborted) throw new BatonError('the merge queue was interrupted before its checks finished', { hint: 'Run `baton auto` again: finished tasks are queued again from their branches.' });
    return verdict;
  } finally {
    if (!opts.scratch) scratch.remove();
  }
}

async function tryEntries(scratch: Scratch, start: string, entries: QueueEntry[], verdict: BatchVerdict, opts: VerifyOptions & { checksOf: (e: QueueEntry) => Task['checks'] }): Promise<string> {
  if (!entries.length) return start;
  scratch.reset(start);
  const merged: QueueEntry[] = [];
  for (const e of entries) {
    const conflict = scratch.merge(e);
    if (conflict) verdict.rejected.push(conflict);
    else merged.push(e);
  }
  if (!merged.length) return start;
  const failed = await firstFailure(scratch.dir, merged.map(opts.checksOf), opts);
  if (failed === undefined) {
    verdict.accepted.push(...merged);
    return scratch.head();
  }
  if (merged.length === 1) {
    verdict.rejected.push(scratch.checkRejection(merged[0]!, start, failed));
    return start;
  }
  // Bors: which of them broke it is found by halves, each tried on what passed before it.
  const half = Math.ceil(merged.length / 2);
  const mid = await tryEntries(scratch, start, merged.slice(0, half), verdict, opts);
  return tryEntries(scratch, mid, merged.slice(half), verdict, opts);
}

/** Every entry's checks, in order; the first that fails (undefined: all passed). */
async function firstFailure(dir: string, checks: readonly (readonly string[])[], opts: VerifyOptions): Promise<CheckResult | undefined> {
  for (const list of checks) {
    if (!list.length) continue;
    const results = await runChecks(dir, list, opts.checkTimeoutMs ?? 600_000, opts.signal);
    const failed = results.find((r) => !r.passed);
    if (failed) return failed;
  }
  return undefined;
}

/** A detached worktree of the base, outside the repository, removed when done with. */
export class Scratch {
  readonly dir: string;

  constructor(private readonly project: Project, from: string) {
    this.dir = mkdtempSync(join(tmpdir(), 'baton-queue-'));
    const r = gitRun(project.root, ['worktree', 'add', '--detach', '--quiet', this.dir, from]);
    if (r.code !== 0) {
      rmSync(this.dir, { recursive: true, force: true });
      throw new BatonError(`the merge queue could not make a scratch worktree: ${gitSaid(r.stderr)}`, { hint: 'Check `git worktree list` and the free space in the temp folder.' });
    }
    // The checks may need the project's dependencies, as in a task's worktree.
    const setup = project.config.worktree_setup.trim();
    if (!setup) return;
    const ran = spawnSync('sh', ['-c', setup], { cwd: this.dir, env: checkEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (ran.status === 0) return;
    // Not the agents' fault: nobody is sent back for it.
    this.remove();
    throw new BatonError(`the merge queue's scratch worktree could not be set up: \`${setup}\` exited ${ran.status ?? 'by signal'}`, {
      file: AGENTS.config,
      hint: `Fix \`worktree_setup\` (it runs in every task's worktree and in the queue's).${ran.stderr ? `\n  ${ran.stderr.trim().split('\n').slice(-3).join('\n  ')}` : ''}`,
    });
  }

  reset(sha: string): void {
    gitRun(this.dir, ['reset', '--hard', '--quiet', sha]);
    gitRun(this.dir, ['clean', '-fdq']);
  }

  head(): string {
    return gitRun(this.dir, ['rev-parse', 'HEAD']).stdout.trim();
  }

  /** Merge the entry's branch; on a conflict, the rejection (and the merge undone). */
  merge(e: QueueEntry): Rejection | undefined {
    const message = `Merge ${e.branch}: ${e.task.title}\n\nTask: ${e.task.id}`;
    const r = gitRun(this.dir, [...NO_HOOKS, 'merge', '--no-ff', '--quiet', '-m', message, e.branch]);
    if (r.code === 0) return undefined;
    const files = gitRun(this.dir, ['diff', '--name-only', '--diff-filter=U']).stdout.split('\n').filter(Boolean);
    const code = files.filter((f) => !isUnder(f, AGENTS.dir));
    const hunks = code.length ? boundedLines(gitRun(this.dir, ['diff', '--', ...code]).stdout, MAX_HUNK_LINES) : '';
    gitRun(this.dir, ['merge', '--abort']);
    if (!files.length) throw new BatonError(`the merge queue could not merge \`${e.branch}\`: ${gitSaid(r.stdout + r.stderr)}`, { hint: 'Merge it by hand to see why (`git merge --no-ff`).' });
    const shown = code.length ? code : files;
    return { task: e.task, branch: e.branch, kind: 'conflict', files: shown, with: this.touchedBy(e.branch, shown), hunks };
  }

  /** A failed check: what the base changed since the branch left it is what the agent must look at. */
  checkRejection(e: QueueEntry, start: string, check: CheckResult): Rejection {
    const fork = gitRun(this.project.root, ['merge-base', start, e.branch]).stdout.trim();
    const files = fork ? gitRun(this.project.root, ['diff', '--name-only', fork, start]).stdout.split('\n').filter((f) => f && !isUnder(f, AGENTS.dir)) : [];
    return { task: e.task, branch: e.branch, kind: 'check', files, with: this.touchedBy(e.branch, files, start), hunks: '', check };
  }

  /** Tasks whose merges since the branch forked (first parent, `Task:` trailers) touched these files. */
  private touchedBy(branch: string, files: readonly string[], tip = 'HEAD'): string[] {
    if (!files.length) return [];
    const fork = gitRun(this.dir, ['merge-base', tip, branch]).stdout.trim();
    if (!fork) return [];
    const r = gitRun(this.dir, ['log', '--first-parent', '--format=%(trailers:key=Task,valueonly,separator=%x20)', `${fork}..${tip}`, '--', ...files]);
    return [...new Set(r.stdout.split(/\s+/).filter((id) => /^T-[0-9a-f]+$/.test(id)))];
  }

  remove(): void {
    gitRun(this.project.root, ['worktree', 'remove', '--force', this.dir]);
    rmSync(this.dir, { recursive: true, force: true });
    gitRun(this.project.root, ['worktree', 'prune']);
  }
}

function boundedLines(text: string, max: number): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return lines.length <= max ? lines.join('\n') : `${lines.slice(0, max).join('\n')}\n… ${lines.length - max} more lines`;
}
