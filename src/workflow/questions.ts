/**
 * A person in the loop: an agent asks (`baton log --question`, the report's
 * Questions, MCP `ask`), the task is blocked "waiting for an answer", the
 * inbox lists what waits across tasks, and `baton answer` (CLI, MCP, board)
 * records the answer where the task's branch is, opens the task again, and
 * its next prompt starts with the questions and their answers.
 */
import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import type { Status, Task } from '../core/task.js';
import { isoNow } from '../memory/entry.js';
import { appendMemory } from '../memory/file.js';
import { openQuestions, untrustedText, WAITING_FOR_ANSWER } from '../memory/questions.js';
import { batonMessage, commitPaths } from '../git/task-branch.js';
import { taskState } from '../tasks/checkout.js';
import { statedTasks, type Stated } from '../tasks/state.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { safeBranch, type Project } from '../workspace/context.js';
import { AGENTS } from '../workspace/paths.js';
import { logTask, type LogResult } from './log.js';

export interface InboxItem {
  id: string;
  title: string;
  status: Status;
  /** When it was asked (ISO-8601 UTC). */
  time: string;
  question: string;
  /** Where the task's memory was read: its worktree, its branch, or this checkout. */
  from: string;
}

/** Open questions across the plan, oldest first. Only blocked tasks (as every view shows them) are read. */
export async function inbox(project: Project): Promise<InboxItem[]> {
  const { tasks } = await statedTasks(project, loadTasksStrict(project.root));
  return inboxOf(project, tasks);
}

/**
 * The inbox of tasks already stated (the board has read them): those `waiting for an answer`.
 * Oldest first; questions asked in the same second (times are to the second) keep the plan's
 * order (created, then id), so every view lists them alike.
 */
export function inboxOf(project: Project, stated: readonly Stated<Task>[]): InboxItem[] {
  const items: InboxItem[] = [];
  for (const t of stated) {
    if (t.status !== 'blocked' || t.reason !== WAITING_FOR_ANSWER) continue;
    const { memory, from } = taskState(project, t);
    for (const q of openQuestions(memory)) items.push({ id: t.id, title: t.title, status: t.status, time: q.time, question: q.body, from });
  }
  const created = new Map(stated.map((t) => [t.id, t.created ?? '']));
  return items.sort((a, b) => order(a.time, b.time) || order(created.get(a.id)!, created.get(b.id)!) || order(a.id, b.id));
}

function order(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `baton log ID --question "…"`, MCP `ask`: the question recorded, the task blocked until it is answered. */
export function askQuestion(project: Project, ref: string, question: string): Promise<LogResult> {
  return logTask(project, ref, { questions: [untrustedText(question, 'question')] });
}

export interface AnswerResult extends LogResult {
  /** The questions this answer answered. */
  answered: string[];
  /** With --for-project: the decision written to memory/project.md, and its commit when this checkout is on the base. */
  decision?: { commit?: string };
}

/**
 * `baton answer ID "…"`: an `answer` entry in the task's memory (where its
 * branch is), the task open again (blocked → todo), so `auto` takes it; with
 * `forProject` the answer is also a project decision, which reaches every
 * task's prompt as decisions from reviews do.
 */
export async function answerTask(project: Project, ref: string, raw: string, opts: { forProject?: boolean } = {}): Promise<AnswerResult> {
  const text = untrustedText(raw, 'answer');
  const task = resolveTask(loadTasksStrict(project.root), ref);
  const open = openQuestions(taskState(project, task).memory);
  if (!open.length) {
    throw new BatonError(`\`${task.id}\` has no open question to answer`, {
      hint: '`baton inbox` lists the questions that wait for an answer; to tell a task something else, use `baton log ID --note "…"`.',
    });
  }
  const logged = await logTask(project, task.id, { answers: [text] });
  const result: AnswerResult = { ...logged, answered: open.map((q) => q.body) };
  if (opts.forProject) {
    const asked = open.map((q) => `"${q.body.split('\n')[0]}"`).join(', ');
    // Routed as decisions are (prompt/select.ts): one that names no task or file binds every task, so
    // the asking task's id stays out of it (its own memory has the answer).
    await appendMemory(project.root, 'project', [{ time: isoNow(), kind: 'decision', body: `${text}\n\n(A person's answer for the whole project, to the question ${asked}.)` }]);
    // On the base it is committed like a review's decisions; elsewhere it is left for the person to commit.
    const commit = safeBranch(project.root) === project.config.base_branch
      ? commitPaths(project.root, [AGENTS.memoryFile('project')], batonMessage(`Decision: answer to ${task.id}'s question`, 'plan'))
      : undefined;
    result.decision = { commit };
  }
  return result;
}
