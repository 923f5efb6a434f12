/** Creating and changing tasks by hand, with the whole plan validated before any write. */
import { lfText, withEolOf } from '../core/eol.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError, problemToError, type Problem } from '../core/errors.js';
import { graphProblems } from '../core/graph.js';
import { newTaskId, resolveTask } from '../core/ids.js';
import { isStatus, oneLineTitle, STATUSES, taskFileName, type Task } from '../core/task.js';
import { CONTROL_RE, firstControl } from '../core/terminal.js';
import { withLockSync, writeFileAtomic, writeFilesAtomic } from '../workspace/atomic.js';
import { setFrontMatterFields } from '../workspace/frontmatter.js';
import { readPlan, withTaskBlock } from './plan.js';
import { loadTasks, loadTasksStrict, parseTaskText, renderTaskFile, tasksInvalid } from './task-files.js';
import { onTaskBranch, type Project } from '../workspace/context.js';
import { stateDir, AGENTS } from '../workspace/paths.js';

export interface NewTask {
  title: string;
  dependsOn?: string[];
  phase?: string;
  checks?: string[];
  files?: string[];
  role?: string;
  status?: string;
  context?: string;
  requirements?: string[];
  criteria?: string[];
}

export function taskBody(input: Pick<NewTask, 'context' | 'requirements' | 'criteria'>): string {
  const list = (items: string[] | undefined, box: boolean) =>
    (items ?? []).map((i) => (box ? `- [ ] ${i}` : `- ${i}`)).join('\n');
  const section = (title: string, content: string) => (content ? `## ${title}\n\n${content}\n` : `## ${title}\n`);
  return [
    section('Context', input.context?.trim() ?? ''),
    section('Requirements', list(input.requirements, false)),
    section('Success criteria', list(input.criteria, true)),
  ].join('\n');
}

/**
 * A title typed by a person: one line (breaks become spaces); any other
 * control character is refused before anything is written, because it would
 * break the branch name, the commit message or the terminal later.
 */
export function checkedTitle(raw: string): string {
  const title = oneLineTitle(raw);
  if (!title) throw new BatonError('a task needs a title', { hint: 'baton task add "Add login endpoint"' });
  const bad = firstControl(title);
  if (bad) {
    throw new BatonError(`the title contains a control character (${bad}); nothing was written`, {
      hint: 'Give the title as plain text, without escape sequences.',
    });
  }
  return title;
}

/** A title a model wrote: one line, control characters dropped (a plan is not refused for one stray byte). */
function cleanedTitle(raw: string): string {
  return oneLineTitle(raw).replace(new RegExp(CONTROL_RE.source, 'g'), '').trim();
}

/** Build the file text of a new task. Pure apart from the random id. */
export function newTaskFile(input: NewTask, existing: readonly Task[], now = new Date()): { task: Task; text: string } {
  const title = checkedTitle(input.title);
  const status = input.status ?? 'todo';
  if (!isStatus(status)) throw new BatonError(`unknown status \`${status}\``, { hint: `Use one of: ${STATUSES.join(', ')}.` });
  const deps = (input.dependsOn ?? []).map((ref) => resolveTask(existing, ref).id);
  const id = newTaskId(new Set(existing.map((t) => t.id)));
  const path = `${AGENTS.tasks}/${taskFileName(id, title)}`;
  const text = renderTaskFile(
    {
      id,
      title,
      status,
      depends_on: [...new Set(deps)],
      phase: input.phase,
      files: input.files,
      checks: input.checks,
      role: input.role,
      created: now.toISOString(),
    },
    taskBody(input),
  );
  const parsed = parseTaskText(text, path);
  if (!parsed.task) throw tasksInvalid(parsed.problems);
  return { task: parsed.task, text };
}

/** The first cycle or dangling dependency that `after` has and `before` had not. */
export function newGraphProblem(before: readonly Task[], after: readonly Task[]): Problem | undefined {
  const had = new Set(graphProblems(before).map((p) => p.message));
  return graphProblems(after).find((p) => !had.has(p.message));
}

/** Refuse a change that would leave the plan with a cycle or a dangling dependency. */
export function assertGraph(before: readonly Task[], after: readonly Task[]): void {
  const fresh = newGraphProblem(before, after);
  if (fresh) throw problemToError(fresh);
}

/** The plan.md text with a fresh task block, or undefined when it is not ours to change. */
function planUpdate(project: Project, tasks: readonly Task[]): [string, string] | undefined {
  if (onTaskBranch(project) || !existsSync(project.paths.plan)) return undefined;
  const raw = readPlan(project.root);
  const before = lfText(raw);
  const after = withTaskBlock(before, tasks);
  return after === before ? undefined : [project.paths.plan, withEolOf(after, raw)];
}

/** The tasks on disk with `changed` in place of their old versions, and the new ones added: what plan.md's table shows. */
export function withChanged(onDisk: readonly Task[], changed: readonly Task[]): Task[] {
  const mine = new Map(changed.map((t) => [t.id, t]));
  const known = new Set(onDisk.map((t) => t.id));
  return [...onDisk.map((t) => mine.get(t.id) ?? t), ...changed.filter((t) => !known.has(t.id))];
}

/**
 * Write changed task files and plan.md's table. Under a lock, the table is
 * built from the task files on disk at that moment plus this change, so two
 * baton processes writing at once cannot drop each other's tasks from it.
 */
export function writeTasks(project: Project, changed: { task: Task; text: string }[], all: readonly Task[]): void {
  const files = new Map<string, string>(changed.map((c) => [join(project.root, c.task.path), c.text]));
  const write = () => {
    let current: readonly Task[] = all;
    if (!onTaskBranch(project) && existsSync(project.paths.plan)) current = withChanged(loadTasks(project.root).tasks, changed.map((c) => c.task));
    const plan = planUpdate(project, current);
    if (plan) files.set(plan[0], plan[1]);
    writeFilesAtomic(files);
  };
  withTasksLock(project, write);
}

/** Run `write` holding the lock every writer of task files and plan.md takes (the planner's and reviewer's changes too: see change.ts). */
export function withTasksLock<T>(project: Project, write: () => T): T {
  let lockDir: string | undefined;
  try {
    lockDir = stateDir(project.root);
  } catch {
    lockDir = undefined; // not a checkout git knows: nobody to race with
  }
  return lockDir ? withLockSync(join(lockDir, 'tasks.lock'), write) : write();
}

export function addTasks(project: Project, inputs: NewTask[]): Task[] {
  const before = loadTasksStrict(project.root);
  const all = [...before];
  const made: { task: Task; text: string }[] = [];
  for (const input of inputs) {
    const item = newTaskFile(input, all);
    all.push(item.task);
    made.push(item);
  }
  assertGraph(before, all);
  writeTasks(project, made, all);
  return made.map((m) => m.task);
}

export interface TaskChanges {
  status?: string;
  title?: string;
  phase?: string | null;
  dependsOn?: string[];
  addDeps?: string[];
  removeDeps?: string[];
  checks?: string[];
  files?: string[];
  role?: string | null;
  branch?: string | null;
}

/** Change front matter fields of one task; the rest of its file stays as written. */
export function setTask(project: Project, ref: string, changes: TaskChanges): Task {
  const tasks = loadTasksStrict(project.root);
  const task = resolveTask(tasks, ref);
  const updates: Record<string, unknown> = {};
  if (changes.status !== undefined) {
    if (!isStatus(changes.status)) {
      throw new BatonError(`unknown status \`${changes.status}\``, { hint: `Use one of: ${STATUSES.join(', ')}.` });
    }
    updates.status = changes.status;
  }
  if (changes.title !== undefined) {
    if (!oneLineTitle(changes.title)) throw new BatonError('the title cannot be empty', { hint: 'Give a short title.' });
    updates.title = checkedTitle(changes.title);
  }
  const optional = (v: string | null | undefined) => (v === null || v === '' ? undefined : v);
  if (changes.phase !== undefined) updates.phase = optional(changes.phase);
  if (changes.role !== undefined) updates.role = optional(changes.role);
  if (changes.branch !== undefined) updates.branch = optional(changes.branch);
  if (changes.checks !== undefined) updates.checks = changes.checks;
  if (changes.files !== undefined) updates.files = changes.files;
  if (changes.dependsOn || changes.addDeps || changes.removeDeps) {
    let deps = changes.dependsOn ? changes.dependsOn.map((r) => resolveTask(tasks, r).id) : [...task.depends_on];
    for (const r of changes.addDeps ?? []) deps.push(resolveTask(tasks, r).id);
    const removed = new Set((changes.removeDeps ?? []).map((r) => resolveTask(tasks, r).id));
    deps = [...new Set(deps)].filter((d) => !removed.has(d));
    if (deps.includes(task.id)) throw new BatonError(`\`${task.id}\` cannot depend on itself`, { hint: 'Remove it from the list.' });
    updates.depends_on = deps;
  }
  return replaceTaskText(project, tasks, task, (text) => setFrontMatterFields(text, task.path, updates));
}

/** Replace a task file's whole text (from `task edit`), validated like any change. */
export function replaceTaskText(project: Project, tasks: readonly Task[], task: Task, edit: (text: string) => string): Task {
  const file = join(project.root, task.path);
  const before = readFileSync(file, 'utf8');
  const after = edit(before);
  const parsed = parseTaskText(after, task.path);
  if (!parsed.task) throw tasksInvalid(parsed.problems);
  if (parsed.task.id !== task.id) {
    throw new BatonError(`the id cannot change (was \`${task.id}\`, now \`${parsed.task.id}\`)`, {
      file: task.path, line: parsed.task.lines.id, hint: 'Create a new task with `baton task add` instead.',
    });
  }
  const all = tasks.map((t) => (t.id === task.id ? parsed.task! : t));
  assertGraph(tasks, all);
  if (after === before) return parsed.task;
  writeTasks(project, [{ task: parsed.task, text: after }], all);
  return parsed.task;
}

/** Write a task's new text on behalf of the loop (start, log, done): same checks, also plan.md. */
export function updateTask(project: Project, ref: string, updates: Record<string, unknown>): Task {
  const tasks = loadTasksStrict(project.root);
  const task = resolveTask(tasks, ref);
  return replaceTaskText(project, tasks, task, (text) => setFrontMatterFields(text, task.path, updates));
}

export function refreshPlanFile(project: Project): boolean {
  let written = false;
  withTasksLock(project, () => {
    const plan = planUpdate(project, loadTasksStrict(project.root));
    if (plan) writeFileAtomic(plan[0], plan[1]);
    written = plan !== undefined;
  });
  return written;
}

/**
 * A new task's file when the caller has already chosen its id and resolved
 * its dependencies (the planner and reviewer name tasks by their own keys and
 * map them to ids first, so a task may depend on one listed after it).
 */
export function taskFileWithId(input: NewTask, id: string, dependsOn: readonly string[], now = new Date()): { task: Task; text: string } {
  const title = cleanedTitle(input.title);
  if (!title) throw new BatonError('a task needs a title', { hint: 'Give every task a `title`.' });
  const status = input.status ?? 'todo';
  if (!isStatus(status)) throw new BatonError(`unknown status \`${status}\``, { hint: `Use one of: ${STATUSES.join(', ')}.` });
  const path = `${AGENTS.tasks}/${taskFileName(id, title)}`;
  const text = renderTaskFile(
    {
      id, title, status, depends_on: [...new Set(dependsOn)], phase: input.phase || undefined,
      files: input.files, checks: input.checks, role: input.role, created: now.toISOString(),
    },
    taskBody(input),
  );
  const parsed = parseTaskText(text, path);
  if (!parsed.task) throw tasksInvalid(parsed.problems);
  return { task: parsed.task, text };
}
