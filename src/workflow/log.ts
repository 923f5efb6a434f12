/**
 * `baton log`: record what happened on a task (an outcome with a summary,
 * bugs, decisions, blockers, notes), by flags or from the report an agent
 * wrote. The status follows the outcome. Written where the task's branch is
 * checked out, so the record travels with the branch.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import { isoNow, OUTCOMES, type MemoryEntry, type Outcome } from '../memory/entry.js';
import type { Status } from '../core/task.js';
import { batonMessage, branchExists, changedUnder, commitPathsFolding } from '../git/task-branch.js';
import { parseReport, REPORT_FORMAT, type Report } from '../prompt/report.js';
import { appendMemory } from '../memory/file.js';
import { agentsPaths, AGENTS, reportPath } from '../workspace/paths.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import type { Project } from '../workspace/context.js';
import { flushHookQueue } from './flush-queue.js';
import { withCheckoutLock } from '../workspace/pid-lock.js';
import { ownPaths } from './start.js';
import { checkoutOf, taskBranchName } from '../tasks/checkout.js';
import { updateTask } from '../tasks/write.js';
import { keepFiles, runUndo, type UndoList } from './undo-steps.js';
import { adoptPendingPrompt } from '../prompt/pending.js';
import { untrustedText } from '../memory/questions.js';
import { notifyLogged } from './notify.js';

export interface LogInput {
  outcome?: Outcome;
  summary?: string;
  bugs?: string[];
  decisions?: string[];
  blockers?: string[];
  notes?: string[];
  /** Questions only a person can answer: the task is blocked until they are answered (`baton answer`). */
  questions?: string[];
  /** Answers to the task's open questions (`baton answer`): a blocked task waiting for them is open again. */
  answers?: string[];
  /** Questions already in memory (the agent asked with `baton log --question` or MCP `ask` mid-run) wait for answers: the task stays blocked. */
  waiting?: boolean;
  /** With a success: close the task (`done`) instead of sending it to `review`. */
  done?: boolean;
  /** Commit the task file and memory on the task branch (default true). */
  commit?: boolean;
}

export interface LogResult {
  id: string;
  status: Status;
  previous: Status;
  entries: number;
  /** Where it was written: the checkout that has the task's branch, or this one. */
  dir: string;
  onTaskBranch: boolean;
  commit?: string;
}

export function reportToLog(report: Report): LogInput {
  return {
    outcome: report.outcome,
    summary: report.summary,
    bugs: report.bugs,
    decisions: report.decisions,
    blockers: report.blockers,
    notes: report.notes,
    questions: report.questions,
  };
}

/** `baton log --from`: the report an agent wrote, with the flags given beside it added (outcome and summary override). */
export function logInputWithReport(flags: LogInput, reportText: string, source: string): LogInput {
  const report = parseReport(reportText);
  if (!report.outcome && !flags.outcome) throw reportMissingOutcome(source);
  const fromReport = reportToLog(report);
  return {
    outcome: flags.outcome ?? fromReport.outcome,
    summary: flags.summary ?? fromReport.summary,
    bugs: [...(fromReport.bugs ?? []), ...(flags.bugs ?? [])],
    decisions: [...(fromReport.decisions ?? []), ...(flags.decisions ?? [])],
    blockers: [...(fromReport.blockers ?? []), ...(flags.blockers ?? [])],
    notes: [...(fromReport.notes ?? []), ...(flags.notes ?? [])],
    questions: [...(fromReport.questions ?? []), ...(flags.questions ?? [])],
  };
}

export function reportMissingOutcome(source: string): BatonError {
  return new BatonError(`no outcome found in ${source}`, {
    hint: `The report needs at least an Outcome (success, partial or failure). The expected shape:\n  ${REPORT_FORMAT.split('\n').join('\n  ')}`,
  });
}

/**
 * The report the prompt asked the agent to save (`<git dir>/baton/reports/<id>.md`),
 * read when nothing else is given (`baton log <id>`, MCP `log` with no fields);
 * undefined when something is given. Nothing given and nothing saved: an error saying where it looked.
 */
export function savedReport(root: string, ref: string, given: LogInput): string | undefined {
  const any = given.outcome || given.summary || [given.bugs, given.decisions, given.blockers, given.notes, given.questions, given.answers].some((l) => l?.length);
  if (any) return undefined;
  const id = resolveTask(loadTasksStrict(root), ref).id;
  const path = reportPath(root, id);
  if (existsSync(path)) return path;
  throw new BatonError(`nothing to log for \`${id}\`: no report saved at ${path}`, {
    hint: 'The prompt asks the agent to save its report there. Give the report\'s path (`--from FILE`), `--from -` to pipe it in, or `--outcome … --summary "…"`.',
  });
}

/**
 * The status a logged outcome leads to; undefined: leave it as it is. A
 * question blocks the task; answers open a task that was blocked (`now`) again.
 */
export function statusAfter(input: LogInput, now?: Status): Status | undefined {
  if (input.outcome === 'failure' || (input.blockers?.length ?? 0) > 0 || (input.questions?.length ?? 0) > 0 || input.waiting) return 'blocked';
  if (!input.outcome && input.answers?.length) return now === 'blocked' ? 'todo' : undefined;
  if (input.outcome === 'success') return input.done ? 'done' : 'review';
  if (input.outcome === 'partial') return 'in-progress';
  return undefined;
}

function entriesOf(input: LogInput, time: string): Pick<MemoryEntry, 'time' | 'kind' | 'ref' | 'body'>[] {
  const out: Pick<MemoryEntry, 'time' | 'kind' | 'ref' | 'body'>[] = [];
  if (input.outcome) out.push({ time, kind: 'result', ref: input.outcome, body: input.summary?.trim() || '(no summary given)' });
  else if (input.summary?.trim()) out.push({ time, kind: 'note', body: input.summary.trim() });
  const add = (kind: string, items: string[] | undefined) => {
    for (const item of items ?? []) if (item.trim()) out.push({ time, kind, body: item.trim() });
  };
  add('decision', input.decisions);
  add('bug', input.bugs);
  add('blocker', input.blockers);
  add('note', input.notes);
  // Asked and answered by agents and people: bounded, one entry each whatever lines they hold.
  for (const q of input.questions ?? []) if (q.trim()) out.push({ time, kind: 'question', body: untrustedText(q, 'question') });
  for (const a of input.answers ?? []) if (a.trim()) out.push({ time, kind: 'answer', body: untrustedText(a, 'answer') });
  return out;
}

export async function logTask(project: Project, ref: string, input: LogInput): Promise<LogResult> {
  if (input.outcome !== undefined && !(OUTCOMES as readonly string[]).includes(input.outcome)) {
    throw new BatonError(`unknown outcome \`${String(input.outcome)}\``, { hint: `Use one of: ${OUTCOMES.join(', ')}.` });
  }
  const task = resolveTask(loadTasksStrict(project.root), ref);
  const entries = entriesOf(input, isoNow());
  if (!entries.length) {
    throw new BatonError(`nothing to log for \`${task.id}\``, {
      hint: 'Give `--outcome success|partial|failure` with `--summary "…"`, or `--bug`, `--decision`, `--blocker`, `--note`, `--question`, or `--from FILE` (`-` for stdin); with none of these, `baton log <id>` reads the report saved where the prompt said.',
    });
  }
  const branch = taskBranchName(project, task);
  const co = checkoutOf(project, branch);
  if (!co && branchExists(project.root, branch)) {
    // Written here, the record would miss the branch it belongs to and get in the way of its merge.
    throw new BatonError(`\`${branch}\` is not checked out, and the record of \`${task.id}\` belongs on it`, {
      hint: `Switch to it first (\`git switch ${branch}\`), or \`baton start ${task.id} --worktree\` to work on it in a worktree.`,
    });
  }
  const dir = co?.dir ?? project.root;
  const here: Project = { ...project, root: dir, paths: agentsPaths(dir) };
  // One at a time per checkout: git has one index, and parallel logs that commit would trip on its lock
  // after writing their notes. A failure takes the notes back, so a retry never writes them twice.
  const logged = await withCheckoutLock(dir, 'commit', async (): Promise<LogResult> => {
    await flushHookQueue(dir);
    const there = resolveTask(loadTasksStrict(dir), task.id);
    const next = statusAfter(input, there.status);
    const undo: UndoList = [];
    keepFiles(dir, [...ownPaths(here, there), AGENTS.plan], undo);
    try {
      await appendMemory(dir, task.id, entries, there.title);
      const updated = next && next !== there.status ? updateTask(here, task.id, { status: next }) : there;
      let commit: string | undefined;
      if (co && input.commit !== false) {
        // Memory files the flush wrote for other tasks (a trailer can name one) go in too: the checkout stays clean.
        adoptPendingPrompt(project.root, dir, task.id);
        const paths = [...new Set([...ownPaths(here, updated), ...changedUnder(dir, AGENTS.memory)])].filter((p) => existsSync(join(dir, p)));
        const what = input.outcome ? `${input.outcome}` : `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`;
        // An earlier Log at the tip folds into this one; Done folds this one in turn.
        commit = commitPathsFolding(dir, paths, batonMessage(`Log ${task.id}: ${what}`, 'log', task.id), ['log']);
      }
      return { id: task.id, status: updated.status, previous: there.status, entries: entries.length, dir, onTaskBranch: !!co, commit };
    } catch (error) {
      runUndo(undo);
      if (!(error instanceof BatonError)) throw error;
      throw new BatonError(`${error.message}; nothing was logged`, {
        file: error.file, line: error.line, cause: error,
        hint: `${error.hint ?? 'Fix the cause.'}\n  The memory and the task file are as they were: run the same \`baton log\` again.`,
      });
    }
  });
  // Outside the lock: a slow notify command holds up no other log.
  await notifyLogged(project, task, input, logged);
  return logged;
}
