/**
 * The steps of one attempt that the manual loop already defines (`baton
 * start --worktree`, `baton log`), wrapped for `baton run`: the same files
 * and commits whether a person or baton drives the task.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isoNow, type MemoryEntry, type Outcome } from '../memory/entry.js';
import type { Task } from '../core/task.js';
import { batonMessage, branchExists, commitPaths, gitRun, showFile } from '../git/task-branch.js';
import { commitAll } from '../git/worktree-state.js';
import { checkoutOf, taskBranchName } from '../tasks/checkout.js';
import { parseTaskText } from '../tasks/task-files.js';
import { BatonError } from '../core/errors.js';
import type { Report } from '../prompt/report.js';
import { appendMemory } from '../memory/file.js';
import { agentsPaths, rel } from '../workspace/paths.js';
import type { Project } from '../workspace/context.js';
import { logTask, reportToLog } from './log.js';
import { ownPaths, startTask } from './start.js';
import { gitSaid } from '../git/run.js';

export interface Begun {
  dir: string;
  branch: string;
  attempt: number;
}

/**
 * `baton start ID --worktree`: a new worktree, or the one an earlier attempt
 * left (a retry or a resume). A retry first brings the base into the branch,
 * so it sees what was merged since (a follow-up's fix, a dependency).
 */
export async function beginAttempt(project: Project, task: Task, worktree = true): Promise<Begun> {
  const r = await startTask(project, task.id, { worktree });
  if (!r.created) {
    const base = project.config.base_branch;
    const merge = gitRun(r.dir, ['merge', '--no-edit', '-m', `Bring ${base} into ${r.branch} for attempt ${r.attempt}\n\nTask: ${task.id}`, base]);
    if (merge.code !== 0) {
      gitRun(r.dir, ['merge', '--abort']);
      await appendMemory(r.dir, task.id, [{
        time: isoNow(), kind: 'note',
        body: `Could not bring \`${base}\` into the branch before attempt ${r.attempt} (${gitSaid(merge.stdout + merge.stderr)}); this attempt works on the branch as it was.`,
      }]);
    }
  }
  return { dir: r.dir, branch: r.branch, attempt: r.attempt };
}

/**
 * A task branch that lost the task's own file, or holds it broken (an agent
 * deleted `.agents/` or wrote over it there, and no baton put it back) cannot be worked on: every start would
 * say "no task". It is renamed aside, kept for a person to look at, so the
 * next attempt starts from a fresh branch. Returns the name it was kept
 * under, or undefined when the branch is fine (or there is none).
 */
export function setAsideLostBranch(project: Project, task: Task): string | undefined {
  const root = project.root;
  const branch = taskBranchName(project, task);
  if (!branchExists(root, branch)) return undefined;
  const text = showFile(root, branch, task.path);
  if (text !== undefined && parseTaskText(text, task.path).task?.id === task.id) return undefined;
  const co = checkoutOf(project, branch);
  if (co && !co.worktree) {
    throw new BatonError(`\`${branch}\` lost \`${task.path}\` (deleted or broken there), and this checkout is on it`, {
      hint: `Switch to \`${project.config.base_branch}\` and run it again: the branch is set aside and the task starts afresh.`,
    });
  }
  if (co) {
    // What was left uncommitted there stays with the branch that is set aside.
    commitAll(co.dir, `Left in the worktree when ${task.id}'s branch was set aside\n\nTask: ${task.id}`);
    const removed = gitRun(root, ['worktree', 'remove', co.dir]);
    if (removed.code !== 0) gitRun(root, ['worktree', 'remove', '--force', co.dir]);
  }
  let aside = `${branch}-lost`;
  for (let n = 2; branchExists(root, aside); n++) aside = `${branch}-lost-${n}`;
  const moved = gitRun(root, ['branch', '-m', branch, aside]);
  if (moved.code !== 0) throw new BatonError(`could not set \`${branch}\` aside: ${moved.stderr.trim()}`, { hint: `Rename or delete it by hand (\`git branch -m ${branch} ${aside}\`).` });
  return aside;
}

/** The attempt that wrecked the branch set aside, recorded in the fresh branch's memory. */
export async function recordLostBranch(dir: string, task: Task, branch: string, aside: string): Promise<void> {
  const time = isoNow();
  await appendMemory(dir, task.id, [
    { time, kind: 'result', ref: 'failure', body: `An earlier attempt deleted or broke the task's own file on \`${branch}\`; the branch is kept as \`${aside}\`, and this attempt starts from a fresh branch.` },
    { time, kind: 'bug', body: `The agent deleted or broke \`${task.path}\` on \`${branch}\`, so no attempt could go on there. Its work is on \`${aside}\`.` },
  ], task.title);
}

/** Commit baton's own files of this task (task file, memory, prompt) in `dir`. */
export function commitBatonFiles(dir: string, task: Pick<Task, 'id' | 'path'>, message: string): string | undefined {
  const here = { root: dir, paths: agentsPaths(dir) } as Project;
  const paths = ownPaths(here, task).filter((p) => existsSync(join(dir, p)));
  return commitPaths(dir, paths, batonMessage(message, 'run', task.id));
}


export interface AttemptLog {
  /** Undefined: interrupted, no result. */
  outcome?: Outcome;
  summary: string;
  report: Report;
  /** Entries that come before the result: checks, a false claim, the agent's report. */
  entries: Pick<MemoryEntry, 'time' | 'kind' | 'ref' | 'body'>[];
  /** The agent asked during the attempt (`baton log --question`, MCP `ask`): the task waits for the answers. */
  waiting?: boolean;
}

/** `baton log` with the verdict (checks decide) and the agent's bugs, decisions and notes; committed on the branch. */
export async function logAttempt(project: Project, task: Task, log: AttemptLog): Promise<void> {
  await appendMemory(project.root, task.id, log.entries, task.title);
  const fromReport = reportToLog(log.report);
  await logTask(project, task.id, {
    ...fromReport,
    outcome: log.outcome,
    summary: log.summary,
    // An interrupted attempt is no verdict on the task: no blockers that would mark it blocked.
    blockers: log.outcome ? fromReport.blockers : [],
    questions: log.outcome ? fromReport.questions : [],
    waiting: !!log.outcome && log.waiting,
    commit: true,
  });
}

/**
 * `baton log` of the attempt, committed on the branch. When that fails (git
 * refuses the commit), the attempt is still recorded: its entries are written
 * to the task's memory uncommitted, and the error says so.
 */
export async function recordAttempt(project: Project, task: Task, log: AttemptLog): Promise<void> {
  try {
    await logAttempt(project, task, log);
  } catch (error) {
    if (!(error instanceof BatonError)) throw error;
    const time = isoNow();
    const result = log.outcome
      ? { time, kind: 'result', ref: log.outcome, body: log.summary }
      : { time, kind: 'note', body: log.summary };
    await appendMemory(project.root, task.id, [...log.entries, result, { time, kind: 'bug', body: `The attempt's record could not be committed: ${error.message}` }], task.title);
    throw new BatonError(`${error.message.replace(/; nothing was logged$/, '')}; the attempt is recorded in \`${rel(project.root, project.paths.memoryFile(task.id))}\` in ${project.root}, not committed`, {
      file: error.file, line: error.line, cause: error,
      hint: `${error.hint?.split('\n')[0] ?? 'Fix the cause.'} Then commit the memory file there, or run the task again (its next attempt commits it).`,
    });
  }
}
