/** Which tasks `baton auto` takes next, and why the others are not done: read from the files. */
import { nextTasks } from '../core/graph.js';
import type { Task } from '../core/task.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { branchState, openFollowUps, type BranchState } from './auto-steps.js';
import type { Project } from '../workspace/context.js';
import { openQuestions, WAITING_FOR_ANSWER } from '../memory/questions.js';
import { readMemory } from '../memory/file.js';

export interface Candidate {
  task: Task;
  state: BranchState;
}

/**
 * Ready tasks in `baton next` order, with what their branches say. A task the
 * base still calls `todo` may be in progress on its branch: it is continued.
 */
export function candidates(project: Project, merge: boolean, skip: (id: string) => boolean): Candidate[] {
  const tasks = loadTasksStrict(project.root);
  const open = tasks.map((t) => (t.status === 'in-progress' ? { ...t, status: 'todo' as const } : t));
  const out: Candidate[] = [];
  for (const task of nextTasks(open)) {
    if (skip(task.id)) continue;
    const state = branchState(project, task);
    if (waitReason(project, task, tasks, state, merge)) continue;
    out.push({ task, state });
  }
  return out;
}

/** Why a ready task is not taken now; undefined when it is. */
function waitReason(project: Project, task: Task, tasks: readonly Task[], state: BranchState, merge: boolean): string | undefined {
  if (state.doneOnBranch && !merge) return 'done on its branch, not merged';
  if (state.waitsForAnswer) return `${WAITING_FOR_ANSWER}: \`baton answer ${task.id} "…"\``;
  // Nothing can verify a task without checks, so running it again would not either: a review or a person accepts it.
  if (state.last === 'partial' && !task.checks.length && !state.doneOnBranch && !state.answeredSince) return `partial and no checks: accept it with \`baton done ${task.id} --merge\``;
  // A failed task that a review filed fixes for is retried once they are done.
  const fixes = state.failures ? openFollowUps(project, task, tasks) : [];
  if (fixes.length) return `waits on its follow-up${fixes.length > 1 ? 's' : ''} ${fixes.join(', ')}`;
  return undefined;
}

/** Every task not done, with the reason: what this run said about it, else what the files say. */
export function leftOver(project: Project, said: ReadonlyMap<string, string>, merge: boolean): { id: string; title: string; why: string }[] {
  const tasks = loadTasksStrict(project.root);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  return tasks
    .filter((t) => t.status !== 'done' && t.status !== 'cancelled')
    .map((t) => {
      const waits = t.depends_on.filter((d) => byId.get(d)?.status !== 'done');
      const why = said.get(t.id)
        ?? (t.status === 'blocked' ? blockedWhy(project, t) : waits.length ? `waits on ${waits.join(', ')}` : undefined)
        ?? waitReason(project, t, tasks, branchState(project, t), merge)
        ?? 'not started';
      return { id: t.id, title: t.title, why };
    });
}

/** A task blocked here (asked with `baton log --question` before any branch): waiting for an answer, or just blocked. */
function blockedWhy(project: Project, task: Task): string {
  return openQuestions(readMemory(project.root, task.id).entries).length ? `${WAITING_FOR_ANSWER}: \`baton answer ${task.id} "…"\`` : 'blocked';
}
