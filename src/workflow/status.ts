/** `baton status` and `baton next`: derived views of the plan. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isReady, nextTasks, topoOrder, waitingOn } from '../core/graph.js';
import type { MemoryEntry } from '../memory/entry.js';
import { STATUSES, type Status, type Task, type TaskHead } from '../core/task.js';
import { readMemory, memoryFileNames } from '../memory/file.js';
import { loadTaskHeadsThenBodies, loadTasksStrict } from '../tasks/task-files.js';
import type { Project } from '../workspace/context.js';
import type { InFlight } from '../tasks/in-flight.js';
import { headline, statedTasks, type Stated } from '../tasks/state.js';
import { commitEntryFiles, isBookkeeping } from '../tasks/checkout.js';
import { Predictor } from '../tasks/predicted-files.js';
import { waitText } from '../core/overlap.js';
import { readQueueState, type QueueState } from './merge-queue-state.js';
import { executorFor } from '../agents/implementer.js';
import { activePauses, type ExecutorPause } from '../workspace/executor-pauses.js';
import { pidAlive } from '../workspace/pid-lock.js';

export interface TaskSummary {
  id: string;
  title: string;
  status: Status;
  phase?: string;
  depends_on: string[];
  /** Set when the status shown comes from an unmerged task branch. */
  branch?: string;
  /** This checkout's status, when the shown one comes from the branch. */
  statusHere?: Status;
  /** Why a blocked task is blocked, when baton knows (`waiting for an answer`). */
  reason?: string;
  /** A ready task whose predicted files overlap a task at work (or one to take before it): `baton auto` starts it after that one. */
  waitsFor?: { id: string; files: string[]; why: string };
  /** Its executor hit a rate or usage limit: `baton auto` leaves it until then (ISO). */
  paused?: { executor: string; until: string };
}

export interface StatusReport {
  total: number;
  /** `2/5 done · 1 ready · 1 todo`: each task counted once, the board's header says the same. */
  headline: string;
  counts: Record<Status, number>;
  phases: { phase: string; total: number; done: number; counts: Partial<Record<Status, number>> }[];
  ready: TaskSummary[];
  inProgress: TaskSummary[];
  blocked: (TaskSummary & { waiting_on: string[] })[];
  inFlight: InFlight[];
  recent: MemoryEntry[];
  /** `baton auto`'s merge queue in this clone: what waits or is being verified, the last verdicts (absent: no run has had one). */
  mergeQueue?: MergeQueueView;
}

export interface MergeQueueView {
  /** A `baton auto` holds it now. */
  running: boolean;
  entries: QueueState['entries'];
  recent: QueueState['recent'];
  batches: number;
  retries: number;
}

function mergeQueueView(root: string): MergeQueueView | undefined {
  const state = readQueueState(root);
  if (!state) return undefined;
  return { running: state.pid > 0 && pidAlive(state.pid), entries: state.entries, recent: state.recent, batches: state.batches, retries: state.retries };
}

export function summary(t: Stated<TaskHead>): TaskSummary {
  return {
    id: t.id, title: t.title, status: t.status, phase: t.phase, depends_on: t.depends_on,
    ...(t.branch ? { branch: t.branch } : {}), ...(t.statusHere ? { statusHere: t.statusHere } : {}),
    ...(t.reason ? { reason: t.reason } : {}),
  };
}

/**
 * Tasks as the base branch sees them, with work in flight on unmerged task
 * branches laid over them (a task finished on its branch counts as done there).
 */
export async function effectiveTasks(project: Project, withBranches: boolean): Promise<{ tasks: Stated<Task>[]; flights: InFlight[] }> {
  return overlay(project, loadTasksStrict(project.root), withBranches);
}

/** effectiveTasks without bodies, and the bodies on demand from the same pass over the folder (for withWaits). */
async function effectiveHeads(project: Project, withBranches: boolean): Promise<{ tasks: Stated<TaskHead>[]; flights: InFlight[]; bodies: () => Task[] }> {
  const local = loadTaskHeadsThenBodies(project.root);
  return { ...(await overlay(project, local.tasks, withBranches)), bodies: local.bodies };
}

async function overlay<T extends TaskHead>(project: Project, local: T[], withBranches: boolean): Promise<{ tasks: Stated<T>[]; flights: InFlight[] }> {
  return statedTasks(project, local, { branches: withBranches });
}

export async function statusReport(project: Project, opts: { recent?: number; branches?: boolean } = {}): Promise<StatusReport> {
  const { tasks, flights, bodies } = await effectiveHeads(project, opts.branches ?? true);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const pauses = activePauses(project.root); // read once for both lists
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const phases = new Map<string, StatusReport['phases'][number]>();
  const inOrder = topoOrder(tasks);
  for (const t of inOrder) {
    counts[t.status]++;
    const key = t.phase ?? '(no phase)';
    const p = phases.get(key) ?? { phase: key, total: 0, done: 0, counts: {} };
    p.total++;
    if (t.status === 'done') p.done++;
    p.counts[t.status] = (p.counts[t.status] ?? 0) + 1;
    phases.set(key, p);
  }
  const ordered = inOrder.filter((t) => isReady(t, byId));
  const blocked = inOrder
    .filter((t) => t.status === 'blocked' || (t.status === 'todo' && !isReady(t, byId)))
    .map((t) => ({ ...summary(t), waiting_on: t.status === 'todo' ? waitingOn(t, byId) : [] }));
  return {
    total: tasks.length,
    headline: headline(tasks),
    counts,
    phases: [...phases.values()],
    ready: withPauses(project, pauses, withWaits(project, ordered.map(summary), inOrder.filter((t) => t.status === 'in-progress'), bodies), byId),
    inProgress: withPauses(project, pauses, inOrder.filter((t) => t.status === 'in-progress' || t.status === 'review').map(summary), byId),
    blocked,
    // A branch that says done, but a person asked for changes: open again, as every list says.
    inFlight: flights.map((f) => {
      const shown = byId.get(f.id)?.status;
      return f.status === 'done' && shown && shown !== 'review' && shown !== 'done' ? { ...f, status: shown } : f;
    }),
    recent: recentMemory(project, opts.recent ?? 5),
    ...optional('mergeQueue', mergeQueueView(project.root)),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** The newest entries across memory files, reading only the most recently changed files. */
export function recentMemory(project: Project, count: number): MemoryEntry[] {
  const dir = project.paths.memory;
  if (count <= 0 || !existsSync(dir)) return [];
  const files = memoryFileNames(dir) // folders and broken links named `*.md` are skipped (doctor reports them)
    .map((n) => ({ n, m: statSync(join(dir, n)).mtimeMs }))
    .sort((a, b) => b.m - a.m)
    .slice(0, count);
  const entries = files.flatMap((f) => readMemory(project.root, f.n.slice(0, -3)).entries).filter((e) => e.kind !== 'commit' || !isBookkeeping(commitEntryFiles(e)));
  return entries.sort((a, b) => a.time.localeCompare(b.time)).slice(-count);
}

export async function nextReport(project: Project): Promise<TaskSummary[]> {
  const { tasks, bodies } = await effectiveHeads(project, true);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  return withPauses(project, activePauses(project.root), withWaits(project, nextTasks(tasks).map(summary), tasks.filter((t) => t.status === 'in-progress'), bodies), byId);
}

/** Tasks whose executor is paused by a rate or usage limit, marked with until when. */
function withPauses<T extends TaskSummary>(project: Project, pauses: ReadonlyMap<string, ExecutorPause>, list: T[], byId: ReadonlyMap<string, TaskHead>): T[] {
  if (!pauses.size) return list;
  return list.map((t) => {
    let executor: string;
    try {
      executor = executorFor(project.config, byId.get(t.id) ?? {}).name;
    } catch {
      return t; // an unknown executor: `doctor` and `run` say so
    }
    const p = pauses.get(executor);
    return p ? { ...t, paused: { executor, until: p.until } } : t;
  });
}

/**
 * Ready tasks that `baton auto` would hold back: their predicted files overlap
 * a task in progress, or a ready task taken before them (core/overlap.ts).
 * `bodies`: the tasks with their bodies from the caller's own pass over the folder (not a second one), read only when needed.
 */
export function withWaits<T extends TaskSummary>(project: Project, ready: T[], running: readonly { id: string }[], bodies?: () => readonly Task[]): T[] {
  if (!ready.length || (ready.length < 2 && !running.length)) return ready;
  const full = new Map((bodies ? bodies() : loadTasksStrict(project.root)).map((t) => [t.id, t]));
  const pick = (ids: readonly { id: string }[]) => ids.map((t) => full.get(t.id)).filter((t): t is Task => t !== undefined);
  const waits = new Predictor(project, [...full.values()]).schedule(pick(ready), pick(running));
  return ready.map((t) => {
    const w = waits.get(t.id);
    return w ? { ...t, waitsFor: { id: w.on, files: w.files, why: waitText(w) } } : t;
  });
}
