/**
 * Who works on what, as the shared remote says: its claims and its task
 * branches, read after one `git fetch` of exactly those refs. Used by
 * `baton status --remote` and `baton next --remote` (and by their config key),
 * never otherwise, so reading the plan stays as fast as it was.
 */
import { nextTasks } from '../core/graph.js';
import type { Status, Task } from '../core/task.js';
import { catFiles } from '../git/branches.js';
import { gitRun } from '../git/task-branch.js';
import type { Project } from '../workspace/context.js';
import { parseTaskText, loadTasksStrict } from '../tasks/task-files.js';
import { effectiveTasks, summary, withWaits, type TaskSummary } from '../workflow/status.js';
import { isExpired } from './claims.js';
import { shownStatus } from '../tasks/state.js';
import { fetchShared } from './sync.js';
import { readSeenQueue } from './queue-refs.js';

export interface BoardClaim {
  id: string;
  runner: string;
  expires: string;
  since: string;
  expired: boolean;
}

export interface BoardBranch {
  id: string;
  branch: string;
  /** The task's status on the remote's branch. */
  status: Status;
}

export interface Board {
  remote: string;
  claims: BoardClaim[];
  branches: BoardBranch[];
  /** The shared merge queue (`refs/baton/queue/*`), oldest first: tasks being verified and merged by their runner. */
  queue: { id: string; sha: string; runner?: string }[];
}

export async function remoteBoard(project: Project, remote: string, tasks: readonly Task[]): Promise<Board> {
  const claims = (await fetchShared(project, remote)).map((c) => ({ id: c.task, runner: c.runner, expires: c.expires, since: c.since, expired: isExpired(c) }));
  const prefix = project.config.branch_prefix;
  const strip = `refs/remotes/${remote}/`;
  const r = gitRun(project.root, ['for-each-ref', '--format=%(refname)', strip]);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const found = (r.code === 0 ? r.stdout.split('\n') : [])
    .map((ref) => ref.slice(strip.length))
    .filter((b) => b.startsWith(prefix))
    .map((branch) => ({ branch, id: /^(T-[0-9a-f]+)/.exec(branch.slice(prefix.length))?.[1] ?? '' }))
    .filter((b) => byId.has(b.id));
  const specs = found.map((b) => `${strip}${b.branch}:${byId.get(b.id)!.path}`);
  const texts = specs.length ? await catFiles(project.root, specs) : new Map<string, string>();
  const branches: BoardBranch[] = [];
  found.forEach((b, i) => {
    const text = texts.get(specs[i]!);
    const there = text === undefined ? undefined : parseTaskText(text, byId.get(b.id)!.path).task;
    if (there && there.status !== byId.get(b.id)!.status) branches.push({ id: b.id, branch: b.branch, status: there.status });
  });
  const queue = readSeenQueue(project.root, remote).map((q) => {
    const claim = claims.find((c) => c.id === q.id);
    return claim ? { ...q, runner: claim.runner } : q;
  });
  return { remote, claims, branches, queue };
}

/** A live claim on `id`, if any. */
export function liveClaim(board: Board, id: string): BoardClaim | undefined {
  return board.claims.find((c) => c.id === id && !c.expired);
}

/** Finished on a remote branch (awaiting its merge or pull request): not to be taken again. */
export function finishedOnRemote(board: Board, id: string): BoardBranch | undefined {
  return board.branches.find((b) => b.id === id && (b.status === 'done' || b.status === 'review'));
}

export type RemoteNextTask = TaskSummary & { claimed_by?: string; claim_expires?: string };

/**
 * `baton next --remote`: the ready tasks as the remote sees them. A task's state
 * is its remote branch's where the remote has one (else this clone's branches,
 * else the base), and a task in progress is offered again unless a live claim
 * holds it: the claim decides, so a clone that has pulled the task's branch and
 * a fresh clone show the same list. Finished on a branch: not offered.
 */
export async function remoteNext(project: Project, remote: string): Promise<RemoteNextTask[]> {
  const { tasks } = await effectiveTasks(project, true);
  const board = await remoteBoard(project, remote, loadTasksStrict(project.root));
  const there = new Map(board.branches.map((b) => [b.id, b]));
  // Finished on a branch but not merged counts as awaiting review, as in effectiveTasks: dependents wait.
  const seen = tasks.map((t) => {
    // Done (or cancelled) here stays so: a stale remote branch of a merged task does not reopen it.
    const b = t.status === 'done' || t.status === 'cancelled' ? undefined : there.get(t.id);
    if (!b) return t;
    // The same answer whether or not this clone has the branch too: shown from the remote's, beside this checkout's file.
    const { statusHere, ...rest } = t;
    const here = statusHere ?? t.status;
    const status = shownStatus(here, b.status);
    return { ...rest, status, branch: b.branch, ...(status !== here ? { statusHere: here } : {}) };
  });
  const byId = new Map(seen.map((t) => [t.id, t]));
  const open = seen.map((t) => (t.status === 'in-progress' ? { ...t, status: 'todo' as const } : t));
  const ready = nextTasks(open).map((t) => {
    const s = summary(byId.get(t.id)!);
    const c = liveClaim(board, t.id);
    return c ? { ...s, claimed_by: c.runner, claim_expires: c.expires } : s;
  });
  // A task some runner holds is at work: a ready task whose files overlap it waits (what `baton auto --remote` does).
  const atWork = seen.filter((t) => t.status === 'in-progress' || liveClaim(board, t.id));
  const free = ready.filter((t) => !liveClaim(board, t.id));
  const waits = new Map(withWaits(project, free, atWork).map((t) => [t.id, t]));
  return ready.map((t) => waits.get(t.id) ?? t);
}

/** Lines for `baton status`: claims and remote branch states. */
export function renderBoard(board: Board, titles: ReadonlyMap<string, string>): string[] {
  const lines = ['', `On \`${board.remote}\`: ${board.claims.length} claim${board.claims.length === 1 ? '' : 's'}`];
  for (const c of board.claims) {
    lines.push(`  ${c.id}  ${titles.get(c.id) ?? ''}  claimed by ${c.runner} ${c.expired ? `(lease ended ${c.expires}; another runner may take it over)` : `until ${c.expires}`}`);
  }
  for (const b of board.branches) lines.push(`  ${b.id}  ${titles.get(b.id) ?? ''}  ${b.status} on ${board.remote}/${b.branch}`);
  for (const q of board.queue) lines.push(`  ${q.id}  ${titles.get(q.id) ?? ''}  in the merge queue${q.runner ? ` (${q.runner} verifies it)` : ''}`);
  return lines;
}
