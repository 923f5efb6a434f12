/**
 * The one answer to "what state is this task in, here and on its branch".
 * Every view (`status`, `task list`, `task show`, `graph`, `next`, MCP, the
 * board) and `done`'s refusals read it, so they never disagree: the status in
 * this checkout's task file, with the status on an unmerged task branch laid
 * over it (work in flight), and whether it is ready.
 */
import { isReady, waitingOn } from '../core/graph.js';
import { STATUSES, type Status, type TaskHead } from '../core/task.js';
import type { Project } from '../workspace/context.js';
import { inFlight, type InFlight } from './in-flight.js';
import { openQuestions, WAITING_FOR_ANSWER } from '../memory/questions.js';
import { taskState } from './checkout.js';
import { readMemory } from '../memory/file.js';
import { changesRequested } from '../memory/change-requests.js';

/**
 * The status to show for a task whose file says `here` and whose unmerged
 * branch says `there`. Finished on a branch but not merged: its code is not on
 * this branch yet, so dependents are not ready here; it awaits review (merge).
 * A task cancelled here stays cancelled.
 */
export function shownStatus(here: Status, there: Status | undefined): Status {
  // Cancelled here is a person's decision (`baton review-task --cancel`): whatever the branch says, it is off.
  if (there === undefined || here === 'cancelled') return here;
  return there === 'done' ? 'review' : there;
}

/** A task with the state every view shows: `status` is the shown one, `statusHere` what this checkout's file says. */
export type Stated<T extends TaskHead> = T & {
  /** Set (the branch) when `status` comes from an unmerged task branch. */
  branch?: string;
  /** This checkout's status, when it differs from the shown one. */
  statusHere?: Status;
  /** Why a blocked task is blocked, when baton knows: `waiting for an answer` (an agent's open question). */
  reason?: string;
};

/** Tasks with the work on unmerged task branches laid over them (`branches: false`: this checkout only). */
export async function statedTasks<T extends TaskHead>(project: Project, local: T[], opts: { branches?: boolean } = {}): Promise<{ tasks: Stated<T>[]; flights: InFlight[] }> {
  if (opts.branches === false) return { tasks: withReasons(project, local), flights: [] };
  const flights = await inFlight(project, local);
  if (!flights.length) return { tasks: withReasons(project, local), flights };
  const over = new Map(flights.map((f) => [f.id, f]));
  const tasks = local.map((t): Stated<T> => {
    const f = over.get(t.id);
    if (!f) return t;
    let status = shownStatus(t.status, f.status);
    // Finished there, but a person asked for changes (`baton review-task --request-changes`): open again, as the base says.
    if (status === 'review' && changesRequested(project, t.id, f.branch)) status = t.status;
    return { ...t, status, branch: f.branch, ...(status !== t.status ? { statusHere: t.status } : {}) };
  });
  return { tasks: withReasons(project, tasks, over), flights };
}

/**
 * Blocked tasks with an open question say so. Only blocked ones are read, and only those with work
 * in flight on their branch are read there (`taskState`, git calls); the others from this
 * checkout's memory file, so a plan with hundreds of blocked tasks costs file reads, not processes.
 */
function withReasons<T extends TaskHead>(project: Project, tasks: Stated<T>[], flying: ReadonlyMap<string, unknown> = new Map()): Stated<T>[] {
  return tasks.map((t) => {
    if (t.status !== 'blocked') return t;
    const memory = flying.has(t.id) ? taskState(project, t as unknown as Parameters<typeof taskState>[1]).memory : readMemory(project.root, t.id).entries;
    return openQuestions(memory).length ? { ...t, reason: WAITING_FOR_ANSWER } : t;
  });
}

/** One task's state among the (already stated) tasks: the same answer the lists give. */
export interface TaskState {
  status: Status;
  ready: boolean;
  /** Dependencies that are not done (for a `todo` task). */
  waitingOn: string[];
  branch?: string;
  statusHere?: Status;
  /** Why it is blocked, when baton knows (`waiting for an answer`). */
  reason?: string;
}

export function stateIn<T extends Stated<TaskHead>>(task: T, byId: ReadonlyMap<string, TaskHead>): TaskState {
  return {
    status: task.status,
    ready: isReady(task, byId),
    waitingOn: task.status === 'todo' ? waitingOn(task, byId) : [],
    ...(task.branch && task.statusHere ? { branch: task.branch, statusHere: task.statusHere } : {}),
    ...(task.reason ? { reason: task.reason } : {}),
  };
}

/**
 * Counts for a headline, each task once: a ready task counts as `ready`, not
 * also as `todo` (the CLI's `status` and the board's header print these).
 */
export function headlineCounts(tasks: readonly TaskHead[]): { label: string; count: number }[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const ready = tasks.filter((t) => isReady(t, byId)).length;
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
  counts.set('todo', (counts.get('todo') ?? 0) - ready);
  return [{ label: 'ready', count: ready }, ...STATUSES.filter((s) => s !== 'done').map((s) => ({ label: s, count: counts.get(s) ?? 0 }))]
    .filter((c) => c.count > 0);
}

/** `2/5 done · 1 ready · 1 in-progress · 1 todo`: the same line in every view. */
export function headline(tasks: readonly TaskHead[]): string {
  const done = tasks.filter((t) => t.status === 'done').length;
  return [`${done}/${tasks.length} done`, ...headlineCounts(tasks).map((c) => `${c.count} ${c.label}`)].join(' · ');
}
