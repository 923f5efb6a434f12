/**
 * What `baton auto` does in the main checkout: one run at a time, a clean
 * base with the plan committed, reading each task's branch, merging, reviewing.
 */
import { BatonError } from '../core/errors.js';
import type { MemoryEntry } from '../memory/entry.js';
import type { Task } from '../core/task.js';
import { batonMessage, branchExists, changedTrackedFiles, commitPaths, gitRun, showFile, unmergedBranches } from '../git/task-branch.js';
import { parseUsageEntry } from '../memory/usage.js';
import { openChangeRequests } from '../memory/change-requests.js';
import { ACCEPTED_BY } from '../agents/review-doc.js';
import { parseMemory, readMemory } from '../memory/file.js';
import { openQuestions } from '../memory/questions.js';
import { rel, AGENTS, isUnder } from '../workspace/paths.js';
import { loadTasksStrict, parseTaskText } from '../tasks/task-files.js';
import type { Display } from './auto-events.js';
import { safeBranch, type Project } from '../workspace/context.js';
import { doneTask } from './done.js';
import { flushHookQueue } from './flush-queue.js';
import { acquirePidLock } from '../workspace/pid-lock.js';
import { taskBranchName } from '../tasks/checkout.js';

/** One `baton auto` per repository: a second one would race the first for tasks and merges. */
export function acquireRunLock(project: Project): () => void {
  return acquirePidLock(project.root, 'auto', (pid) => new BatonError(`another \`baton auto\` (pid ${pid}) is running in this repository`, {
    hint: `Wait for it, or stop it with Ctrl-C (or \`kill -INT ${pid}\`); \`baton auto\` then resumes where it stopped.`,
  }));
}

/**
 * The main checkout must be on the base branch and clean (merges happen
 * there), and the plan committed (worktrees are made from the base's commits).
 */
export async function prepareBase(project: Project, merge: boolean): Promise<string | undefined> {
  const base = project.config.base_branch;
  const on = safeBranch(project.root);
  await flushHookQueue(project.root);
  const agentsDirty = gitRun(project.root, ['status', '--porcelain', '--', '.agents']).stdout.trim() !== '';
  if ((merge || agentsDirty) && on !== base) {
    throw new BatonError(`this checkout is on \`${on ?? 'a detached HEAD'}\`, but \`baton auto\` works from \`${base}\``, {
      hint: `Switch back first (\`git switch ${base}\`), or set \`base_branch\` in .agents/config.yaml.`,
    });
  }
  const dirty = changedTrackedFiles(project.root).filter((p) => !isUnder(p, AGENTS.dir));
  if (merge && dirty.length) {
    const shown = dirty.slice(0, 5).map((p) => `\`${p}\``).join(', ');
    throw new BatonError(`uncommitted changes in ${project.root} (${shown}) would get in the way of merging tasks into \`${base}\``, {
      hint: 'Commit or stash them, then run `baton auto` again (or pass --no-merge).',
    });
  }
  return agentsDirty ? commitPaths(project.root, ['.agents'], batonMessage('Plan changes before baton auto', 'plan')) : undefined;
}

export interface BranchState {
  /** Finished on its branch (done, or a logged success in review) and not merged. */
  doneOnBranch: boolean;
  /** `result failure` entries: attempts that counted against --max-attempts. */
  failures: number;
  /** The outcome of the last result logged on the branch. */
  last?: string;
  /** The agent asked, and a person has not answered yet: `auto` leaves it until they do. */
  waitsForAnswer?: boolean;
  /** A person answered after the last result: the next attempt has something new to go on. */
  answeredSince?: boolean;
}

export function branchState(project: Project, task: Task): BranchState {
  const branch = taskBranchName(project, task);
  if (!branchExists(project.root, branch)) return { doneOnBranch: false, failures: 0 };
  const text = showFile(project.root, branch, task.path);
  const status = text === undefined ? undefined : parseTaskText(text, task.path).task?.status;
  const memText = showFile(project.root, branch, rel(project.root, project.paths.memoryFile(task.id)));
  const onBranch = memText === undefined ? [] : parseMemory(memText, task.id).entries;
  const results = onBranch.filter((e) => e.kind === 'result');
  const last = results.at(-1)?.ref;
  const here = readMemory(project.root, task.id).entries;
  const lastAnswer = onBranch.filter((e) => e.kind === 'answer').at(-1);
  // Partial work (no checks to prove it) that a later review accepted counts as finished.
  const accepted = last === 'partial' && here.some(
    (e) => e.kind === 'review' && e.body.includes(ACCEPTED_BY) && e.time >= results.at(-1)!.time,
  );
  // A person asked for changes (`baton review-task --request-changes`) that the branch has not answered: work to redo.
  const changesAsked = openChangeRequests(onBranch, here).length > 0;
  return {
    // A merged branch of a task the base calls open again (a review reopened it) is no finished work.
    doneOnBranch: (status === 'done' || (status === 'review' && last === 'success') || accepted) && !changesAsked && !isMerged(project, branch),
    failures: results.filter((e) => e.ref === 'failure').length,
    last,
    ...(openQuestions(onBranch).length ? { waitsForAnswer: true } : {}),
    ...(lastAnswer && lastAnswer.time >= (results.at(-1)?.time ?? '') ? { answeredSince: true } : {}),
  };
}

/**
 * `baton done ID --merge`. `judged`: the checks just passed in the worktree
 * this run. A branch found finished (its status says so) was not judged by
 * this run, and its status is the branch's word: the base's checks run first.
 */
export async function mergeTask(project: Project, id: string, judged = true): Promise<void> {
  // The loop has judged the work itself (a success, or a partial a review accepted): `done`'s own refusals are for people.
  await doneTask(project, id, { merge: true, skipChecks: judged, force: true });
}

/**
 * `baton auto --remote R --no-merge`: a finished task's pull request, by `baton pr ID --create`'s
 * code path (gh). A missing or failing gh is one line through `note`, and the run goes on.
 */
export async function openPullRequest(project: Project, task: Task, remote: string, note: (line: string) => void): Promise<string | undefined> {
  try {
    // Loaded only here: drafting reads the task's sections with the markdown parser.
    const { createPullRequest, draftPullRequest } = await import('./pr.js');
    return createPullRequest(project, draftPullRequest(project, task.id), { remote }) || undefined;
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    note(`${task.id}: ${why} (its branch is on ${remote}; \`baton pr ${task.id} --create\` tries again)`);
    return undefined;
  }
}

/** Whether `branch` is already part of the base. */
export function isMerged(project: Project, branch: string): boolean {
  return gitRun(project.root, ['merge-base', '--is-ancestor', branch, project.config.base_branch]).code === 0;
}

/** USD recorded in `usage` entries: the base's memory, or a task's unmerged branch where it has one. */
export function spentUsd(project: Project): number {
  let total = 0;
  const add = (entries: MemoryEntry[]) => {
    for (const e of entries) total += parseUsageEntry(e)?.costUsd ?? 0;
  };
  add(readMemory(project.root, 'project').entries);
  const unmerged = new Set(unmergedBranches(project.root, project.config.branch_prefix, project.config.base_branch));
  for (const t of loadTasksStrict(project.root)) {
    const branch = taskBranchName(project, t);
    const text = unmerged.has(branch) ? showFile(project.root, branch, rel(project.root, project.paths.memoryFile(t.id))) : undefined;
    add(text === undefined ? readMemory(project.root, t.id).entries : parseMemory(text, t.id).entries);
  }
  return total;
}

/** Follow-ups a review filed for this task (its `review` entries on the base) that are not done yet. */
export function openFollowUps(project: Project, task: Task, tasks: readonly Task[]): string[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const ids = new Set<string>();
  for (const e of readMemory(project.root, task.id).entries) {
    if (e.kind !== 'review') continue;
    for (const m of e.body.matchAll(/filed follow-up (T-[0-9a-f]+)/g)) ids.add(m[1]!);
  }
  return [...ids].filter((id) => {
    const s = byId.get(id)?.status;
    return s !== undefined && s !== 'done' && s !== 'cancelled';
  });
}

export interface ReviewOutcome {
  id?: string;
  accepted?: string[];
  /** Reviews cannot run here (no reviewer model configured): auto goes on without them. */
  disabled?: boolean;
  costUsd: number;
}

/** `baton review`, its files committed on the base so new worktrees see the follow-ups. */
export async function reviewNow(project: Project, signal: AbortSignal, display: Display): Promise<ReviewOutcome> {
  display.note('review: the Central Agent reads the memory since the last review');
  try {
    const r = await runReviewer(project, signal);
    const commit = commitPaths(project.root, ['.agents'], batonMessage(`Review ${r.id ?? ''}`.trim(), 'plan'));
    display.note(`review ${r.id ?? ''}: ${r.summary}${commit ? ` (committed ${commit})` : ''}`);
    return { id: r.id, costUsd: r.costUsd, accepted: r.accepted };
  } catch (error) {
    if (signal.aborted) return { costUsd: 0 };
    const message = error instanceof BatonError ? error.message : String(error);
    display.note(`review skipped: ${message}. \`baton auto\` goes on without reviews (--no-review silences this).`);
    return { disabled: true, costUsd: 0 };
  }
}

async function runReviewer(project: Project, signal: AbortSignal): Promise<{ id?: string; summary: string; costUsd: number; accepted: string[] }> {
  // Loaded only when a review runs: it brings the model client.
  const { reviewWithModel } = await import('./auto-review.js');
  return reviewWithModel(project, signal);
}
