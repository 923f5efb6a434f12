/**
 * `baton run ID`: one attempt by an implementation agent. Start the task (in
 * its worktree), compose the prompt, execute, commit what the agent left,
 * run the checks, and log the outcome. Checks decide, not claims: the agent's
 * report is kept, and a claim of success with failing checks is recorded as such.
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import { isoNow, type MemoryEntry, type Outcome } from '../memory/entry.js';
import type { Task } from '../core/task.js';
import { executorFor } from '../agents/implementer.js';
import type { ExecuteInput, ExecuteResult, Executor } from '../agents/executors/types.js';
import { commitAll, discardUncommitted, isDirty, untrackedFiles } from '../git/worktree-state.js';
import { parseReport, type Report } from '../prompt/report.js';
import { readMemory } from '../memory/file.js';
import { openQuestions } from '../memory/questions.js';
import { writeFileAtomic } from '../workspace/atomic.js';
import { AGENTS } from '../workspace/paths.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { Predictor } from '../tasks/predicted-files.js';
import { checkEntryBody, runChecks, type CheckResult } from './checks.js';
import { openProject, type Project } from '../workspace/context.js';
import { reportPath } from '../workspace/paths.js';
import { acquirePidLock } from '../workspace/pid-lock.js';
import { clearPause, pauseExecutor } from '../workspace/executor-pauses.js';
import { beginAttempt, commitBatonFiles, recordAttempt, recordLostBranch, setAsideLostBranch } from './run-steps.js';
import { gitRun } from '../git/task-branch.js';
import { flushHookQueue } from './flush-queue.js';
import { taskAt } from '../tasks/deciding.js';
import { guardBase, mainCheckoutWrites, removeStaleIndexLock, restoreAgentsFolder, restoreBase, watchBefore, type Finding } from './run-guards.js';

export type Phase = 'starting' | 'running' | 'checking' | 'logging';

export interface RunOptions {
  /** Executor name overriding the task's role (`--executor`). */
  executor?: string;
  /** Seconds before a command agent is stopped (`--timeout`). */
  timeoutS?: number;
  /** Seconds each check may take (default 600). */
  checkTimeoutS?: number;
  /** Work in a worktree (default) or switch this checkout to the task branch. */
  worktree?: boolean;
  /** Prompt token budget (`--budget`). */
  budget?: number;
  /** Ctrl-C or the time limit: the agent is stopped and the attempt logged as interrupted. */
  signal?: AbortSignal;
  onPhase?: (phase: Phase, detail?: string) => void;
  env?: Record<string, string | undefined>;
  /** Runs `fn` while nothing else works in the main checkout (auto's merges and reviews); default: at once. */
  inMain?: <T>(fn: () => T) => Promise<T>;
}

export interface AttemptResult {
  id: string;
  title: string;
  /** What was logged. */
  outcome: Outcome;
  /** What the agent said, if it said. */
  claimed?: Outcome;
  /** Why it is not a success. */
  reason?: string;
  checks: CheckResult[];
  /** The worktree the attempt ran in, and its branch. */
  dir: string;
  branch: string;
  interrupted: boolean;
  /** The agent hit a rate or usage limit: no attempt counted, try again later (`interrupted` is set too). */
  paused?: boolean;
  /** Until when its executor is paused (ISO): the time the agent named, or a backoff. */
  pausedUntil?: string;
  timedOut: boolean;
  costUsd: number;
  /** Questions the agent asked in its report: the task waits for a person's answer (`baton answer`). */
  asked?: number;
}

const DEFAULT_CHECK_TIMEOUT_S = 600;

/** Which tasks `run` accepts: not finished, and every dependency done. */
export function assertRunnable(task: Task, tasks: readonly Task[]): void {
  if (task.status === 'done' || task.status === 'cancelled') {
    throw new BatonError(`${task.id} is already ${task.status}`, { hint: 'Pick a task from `baton next`.' });
  }
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const waiting = task.depends_on.filter((d) => byId.get(d)?.status !== 'done');
  if (waiting.length) {
    throw new BatonError(`${task.id} waits on ${waiting.join(', ')}, not done yet`, {
      hint: 'Finish those first (`baton auto` takes tasks in order), or remove the dependency with `baton task set`.',
    });
  }
}

export async function runAttempt(project: Project, ref: string, opts: RunOptions = {}): Promise<AttemptResult> {
  const tasks = loadTasksStrict(project.root);
  const task = resolveTask(tasks, ref);
  assertRunnable(task, tasks);
  const executor = executorFor(project.config, task, { name: opts.executor, timeoutS: opts.timeoutS });
  executor.preflight?.(opts.env ?? process.env);
  // Two runs of one task would share its worktree.
  const release = acquirePidLock(project.root, `run-${task.id}`, (pid) => new BatonError(`${task.id} is being worked on by another baton process (pid ${pid})`, {
    hint: 'Wait for it to finish, or stop it (Ctrl-C); its attempt is logged and can be continued.',
  }));
  try {
    return await attempt(project, task, executor, opts);
  } finally {
    release();
  }
}

async function attempt(project: Project, task: Task, executor: Executor, opts: RunOptions): Promise<AttemptResult> {
  opts.onPhase?.('starting');
  // A branch that lost the task's file is kept aside; the task is read from the base and starts afresh.
  const aside = setAsideLostBranch(project, task);
  const { dir, branch } = await beginAttempt(project, task, opts.worktree ?? true);
  if (aside) await recordLostBranch(dir, task, branch, aside);
  const wp = openProject(dir);
  const here = resolveTask(loadTasksStrict(dir), task.id);

  const { composePrompt } = await import('../prompt/compose.js');
  // What the agent is asked (checks, criteria) is the plan's, as the base has it: not what an earlier attempt made of it.
  const prompt = await composePrompt(wp, task.id, { budget: opts.budget, plan: taskAt(project.root, project.config.base_branch, task) });
  // A retry's note (the base could not be merged in) goes in before the agent starts, so the worktree is clean.
  commitBatonFiles(dir, here, `Notes for ${task.id}`);

  const before = new Set(untrackedFiles(dir));
  const headBefore = headOf(dir);
  const base = project.config.base_branch;
  const startedMs = Date.now();
  opts.onPhase?.('running', executor.name);
  const { result, findings, fatal } = await executeWatched(project, executor, {
    cwd: dir, task: here, prompt: prompt.text, config: wp.config, signal: opts.signal, env: opts.env,
    onProgress: (p) => opts.onPhase?.('running', p),
  }, opts.inMain ?? (async <T>(fn: () => T) => fn()));
  const changed = headOf(dir) !== headBefore || isDirty(dir, new Set([...before, 'REPORT.md']));
  await settleWorktree(dir, before, here, executor.name, result, startedMs);
  if (!changed && !result.failure && !result.stop && !result.interrupted && !fatal && !result.report.trim()) {
    result.failure = `the agent (${executor.name}) exited 0 without changing anything or writing a report`;
  }
  if (result.stop && !fatal && !result.interrupted) return stopped(wp, here, executor.name, result, { dir, branch });
  // It reached its model: a pause from an earlier limit is over, and its backoff starts over.
  if (!result.stop && !result.interrupted && !result.timedOut) clearPause(project.root, executor.name);

  // What decides (the checks) comes from the base, never from the branch the agent worked on.
  const judged = taskAt(project.root, base, task);
  const checks: CheckResult[] = [];
  // Even after a crash the checks say what state the branch is in; not after a timeout, Ctrl-C, or an agent that broke out.
  if (!result.timedOut && !result.interrupted && !fatal) {
    opts.onPhase?.('checking');
    checks.push(...(await runChecks(dir, judged.checks, (opts.checkTimeoutS ?? DEFAULT_CHECK_TIMEOUT_S) * 1000, opts.signal)));
  }
  const interrupted = result.interrupted === true || opts.signal?.aborted === true;
  opts.onPhase?.('logging');
  // The prompt the agent saw, kept with the task (committed with the log below).
  writeFileAtomic(join(wp.paths.prompts, `${task.id}.md`), prompt.text);
  const report = parseReport(result.report);
  // Asked during the attempt through baton itself (`log --question`, MCP `ask`) rather than in the report: the same wait.
  const askedMidRun = openQuestions(readMemory(dir, task.id).entries).filter((q) => q.time >= isoNow(new Date(startedMs))).length;
  const verdict = decide(judged, result, report, checks, interrupted, askedMidRun);
  const entries = [...memoryEntries(executor.name, result, report, checks, verdict, interrupted, findings), ...unnamedFilesNote(wp, here)];
  await recordAttempt(wp, here, {
    outcome: interrupted ? undefined : verdict.outcome,
    summary: verdictSummary(report, verdict, interrupted),
    report,
    entries,
    waiting: askedMidRun > 0,
  });
  return {
    id: task.id,
    title: here.title,
    outcome: verdict.outcome,
    claimed: report.outcome,
    reason: verdict.reason,
    checks,
    dir,
    branch,
    interrupted,
    timedOut: result.timedOut === true,
    costUsd: result.costUsd ?? 0,
    ...(verdict.asked ? { asked: verdict.asked } : {}),
  };
}

/**
 * The agent could not work (credentials refused, a rate or usage limit): no
 * verdict on the task and no attempt counted, like an interruption; a note
 * says why. Refused credentials stop the run with the CLI's words and the
 * variable to set; a limit pauses the task until `run` or `auto` is tried again.
 */
async function stopped(wp: Project, task: Task, executor: string, result: ExecuteResult, where: { dir: string; branch: string }): Promise<AttemptResult> {
  const stop = result.stop!;
  const auth = stop.kind === 'auth';
  // Its tasks wait until the time it named, or a backoff; `auto` and `next` read the pause.
  const pause = auth ? undefined : pauseExecutor(wp.root, executor, stop.message, stop.until);
  const until = pause ? `until ${pause.until}${stop.until ? '' : ' (a backoff: the agent named no time)'}` : '';
  const what = auth ? `its credentials were refused${stop.variable ? ` (set \`${stop.variable}\`)` : ''}` : `it hit a rate or usage limit; its tasks are paused ${until}`;
  const summary = `Stopped before any work: the agent (${executor}) said "${stop.message}": ${what}. No attempt counted.`;
  await recordAttempt(wp, task, { outcome: undefined, summary, report: parseReport(''), entries: [] });
  if (auth) {
    throw new BatonError(`the agent (${executor}) could not log in: ${stop.message}`, {
      hint: `${stop.variable ? `Set \`${stop.variable}\` to a valid key` : 'Give the agent valid credentials'} and run it again; this attempt was not counted.`,
    });
  }
  return {
    id: task.id, title: task.title, outcome: 'failure', reason: `paused ${until}: the agent (${executor}) hit a rate or usage limit (${stop.message})`,
    checks: [], dir: where.dir, branch: where.branch, interrupted: true, paused: true, pausedUntil: pause!.until, timedOut: false, costUsd: result.costUsd ?? 0,
  };
}

function headOf(dir: string): string {
  return gitRun(dir, ['rev-parse', '--verify', '-q', 'HEAD']).stdout.trim();
}

/**
 * The agent at work, watched. The base is guarded while it runs (moved back
 * or sideways, or onto the agent's own commits: put back, and the agent
 * stopped at once); after it, what it did outside its work is undone where
 * baton can and becomes `bug` findings, the first with a failure failing the attempt.
 */
async function executeWatched(
  project: Project, executor: Executor, input: ExecuteInput, inMain: <T>(fn: () => T) => Promise<T>,
): Promise<{ result: ExecuteResult; findings: Finding[]; fatal?: Finding }> {
  const { cwd: dir, task } = input;
  const watch = await inMain(() => watchBefore(project.root, dir, project.config.base_branch));
  const guard = guardBase(project.root, watch, inMain);
  const result = await execute(executor, { ...input, signal: input.signal ? AbortSignal.any([input.signal, guard.signal]) : guard.signal });
  const moved = await guard.stop();
  if (moved && !input.signal?.aborted) {
    // Stopped by baton for what it did, not interrupted by a person: a failed attempt.
    result.interrupted = false;
    result.failure = moved.failure;
  }
  // An agent stopped mid-commit leaves git's index lock behind; nothing of it runs any more.
  if (result.timedOut || result.interrupted || moved) {
    const lock = removeStaleIndexLock(dir);
    if (lock) (result.notes ??= []).push(`The agent was stopped while git held its index lock; baton removed the stale \`${lock}\`.`);
  }
  const findings = [moved, restoreAgentsFolder(dir, task, watch), ...(await inMain(() => [restoreBase(project.root, watch), mainCheckoutWrites(watch)]))]
    .filter((f): f is Finding => f !== undefined);
  const fatal = findings.find((f) => f.failure);
  if (fatal && !result.interrupted && !result.timedOut) result.failure = fatal.failure;
  return { result, findings, fatal };
}

/** An executor's own errors (a model that cannot be reached) are a failed attempt, not a crash of baton. */
async function execute(executor: Executor, input: ExecuteInput): Promise<ExecuteResult> {
  try {
    return await executor.execute(input);
  } catch (error) {
    if (!(error instanceof BatonError)) throw error;
    return { report: '', failure: error.message, interrupted: input.signal?.aborted === true };
  }
}

/**
 * After the agent: a timed-out attempt's uncommitted edits are thrown away
 * (its commits stay); otherwise what it left is committed on the branch.
 * Then its usage is recorded and the hooks' queue flushed into memory.
 */
async function settleWorktree(dir: string, before: ReadonlySet<string>, task: Task, executor: string, result: ExecuteResult, startedMs: number): Promise<void> {
  takeSavedReport(reportPath(dir, task.id), startedMs, result);
  takeReportFile(dir, before, result);
  // baton's own files of the task may have changed while the agent worked (a trial merge's note in memory, a
  // `baton prompt` the agent ran): the log below commits them; alone they are no work of the agent's.
  const own = [AGENTS.memoryFile(task.id), `${AGENTS.prompts}/${task.id}.md`];
  if (result.timedOut) discardUncommitted(dir, before);
  else if (isDirty(dir, before, own)) {
    const why = result.interrupted ? 'work in progress, interrupted' : executor === 'api' ? 'edits from the model' : 'left uncommitted by the agent';
    commitAll(dir, `${task.title}\n\n${why}\n\nTask: ${task.id}`, before);
  }
  if (result.usage) {
    const { recordUsage } = await import('../memory/usage.js');
    await recordUsage(dir, task.id, result.usage);
  }
  await flushHookQueue(dir);
}

/**
 * The prompt asks agents to save their report in the git dir (reportPath): one
 * written during this attempt is the report when the agent's reply has none, and
 * is taken (removed) so no later `baton log` reads it again.
 */
function takeSavedReport(path: string, startedMs: number, result: ExecuteResult): void {
  let text: string;
  try {
    if (statSync(path).mtimeMs < startedMs - 1000) return; // an older report, from an attempt by hand: not this one's
    text = readFileSync(path, 'utf8');
  } catch {
    return;
  }
  if (!parseReport(result.report).outcome && parseReport(text).outcome) result.report = text;
  rmSync(path, { force: true });
}

/**
 * Agents of older prompts save their report as REPORT.md (for `baton log
 * --from`). Left untracked in the worktree, it is the report, not work to commit.
 */
function takeReportFile(dir: string, before: ReadonlySet<string>, result: ExecuteResult): void {
  const path = join(dir, 'REPORT.md');
  if (before.has('REPORT.md') || !untrackedFiles(dir).includes('REPORT.md') || !existsSync(path)) return;
  const text = readFileSync(path, 'utf8');
  if (!parseReport(result.report).outcome && parseReport(text).outcome) result.report = text;
  rmSync(path, { force: true });
}

interface Verdict {
  outcome: Outcome;
  reason?: string;
  /** The agent claimed success and the checks say otherwise. */
  falseClaim: boolean;
  /** Questions it asked: no verdict on the work yet, the task waits for answers. */
  asked?: number;
}

/** Checks decide. An honest agent's lesser outcome stands; a claim of success does not lift failing checks. */
export function decide(task: Task, result: ExecuteResult, report: Report, checks: readonly CheckResult[], interrupted: boolean, askedMidRun = 0): Verdict {
  const failed = checks.filter((c) => !c.passed);
  if (interrupted) return { outcome: 'failure', reason: 'interrupted', falseClaim: false };
  if (result.failure) return { outcome: 'failure', reason: result.failure, falseClaim: false };
  // An agent that stopped to ask has not failed: its attempt counts as partial, and the task waits for the answers.
  const asked = report.questions.length + askedMidRun;
  if (asked) return { outcome: 'partial', reason: `the agent asked ${asked === 1 ? 'a question' : `${asked} questions`}; waiting for an answer`, falseClaim: false, asked };
  if (failed.length) {
    return {
      outcome: 'failure',
      reason: `${failed.length} of ${checks.length} check${checks.length > 1 ? 's' : ''} failed: ${failed.map((c) => `\`${c.command}\``).join(', ')}`,
      falseClaim: report.outcome === 'success',
    };
  }
  if (report.outcome === 'failure' || report.outcome === 'partial') {
    return { outcome: report.outcome, reason: `the agent reported ${report.outcome}`, falseClaim: false };
  }
  if (!task.checks.length) {
    return { outcome: 'partial', reason: 'the task has no checks, so nothing verified the work; a review can accept it', falseClaim: false };
  }
  return { outcome: 'success', falseClaim: false };
}

function verdictSummary(report: Report, verdict: Verdict, interrupted: boolean): string {
  const said = report.summary || '(the agent wrote no summary)';
  if (interrupted) return 'Interrupted (Ctrl-C or --time-limit): the agent was stopped and its uncommitted work committed as work in progress; `baton auto` or `baton run` continues it.';
  if (verdict.outcome === 'success') return said;
  return `${verdict.reason ? `${capitalize(verdict.reason)}.` : ''}\n\nThe agent's summary: ${said}`.trim();
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Files the attempt's commits touched that the task never named: recorded, so
 * a person sees why later predictions of its files (tasks/predicted-files.ts,
 * which reads the same commit entries) include them and a task naming the same
 * files waits for one that touches these.
 */
function unnamedFilesNote(wp: Project, task: Task): Pick<MemoryEntry, 'time' | 'kind' | 'ref' | 'body'>[] {
  let outside: string[];
  try {
    outside = new Predictor(wp, loadTasksStrict(wp.root)).surprises(task);
  } catch {
    return []; // a branch whose task files the agent broke: a hint lost, never the attempt's record
  }
  if (!outside.length) return [];
  const list = outside.slice(0, 20).map((f) => `- ${f}`).join('\n') + (outside.length > 20 ? `\n- … and ${outside.length - 20} more` : '');
  return [{ time: isoNow(), kind: 'note', body: `Touched files the task does not name (later predictions of its files include them):\n\n${list}` }];
}

function memoryEntries(
  executor: string,
  result: ExecuteResult,
  report: Report,
  checks: readonly CheckResult[],
  verdict: Verdict,
  interrupted: boolean,
  findings: readonly Finding[] = [],
): Pick<MemoryEntry, 'time' | 'kind' | 'ref' | 'body'>[] {
  const time = isoNow();
  const out: Pick<MemoryEntry, 'time' | 'kind' | 'ref' | 'body'>[] = [];
  for (const body of result.notes ?? []) out.push({ time, kind: 'note', body });
  for (const f of findings) out.push({ time, kind: 'bug', body: f.bug });
  // Checks cut short by an interruption say nothing about the work.
  if (!interrupted) for (const c of checks) out.push({ time, kind: 'check', ref: c.passed ? 'pass' : 'fail', body: checkEntryBody(c) });
  if (verdict.falseClaim) {
    out.push({
      time, kind: 'bug',
      body: `The agent (${executor}) reported success, but ${verdict.reason}. Its claim was not taken; the result is logged as failure.`,
    });
  }
  if (result.timedOut) out.push({ time, kind: 'note', body: `${capitalize(result.failure ?? 'timed out')}. Uncommitted edits were discarded; committed work stays on the branch.` });
  const text = result.report.trim();
  if (text && !interrupted) {
    const fence = text.includes('```') ? '~~~~' : '```';
    const cut = text.length > 4000 ? `${text.slice(0, 4000)}\n… (cut)` : text;
    out.push({ time, kind: 'note', body: `The agent's report (${executor}${report.outcome ? `, claimed ${report.outcome}` : ''}):\n\n${fence}markdown\n${cut}\n${fence}` });
  }
  return out;
}
