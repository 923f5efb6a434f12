/**
 * A planner's or reviewer's decision as plain data, and the one place it is
 * written. The agent builds it from what it read; the use case hands it here,
 * and under the tasks lock it is checked against the files as they are at
 * that moment: a task added meanwhile stays (and gets its row in plan.md's
 * table, rebuilt from every task on disk), and a task file changed meanwhile
 * is never overwritten with text made from its old version.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { BatonError } from '../core/errors.js';
import type { Task } from '../core/task.js';
import { onTaskBranch, type Project } from '../workspace/context.js';
import { writeFilesAtomic } from '../workspace/atomic.js';
import { readPlan, withTaskBlock } from './plan.js';
import { withPlanEdit, type PlanEdit } from './plan-edit.js';
import { loadTasks } from './task-files.js';
import { assertGraph, withChanged, withTasksLock } from './write.js';

export interface TaskFileText {
  task: Task;
  text: string;
}

export interface TaskChange {
  /** New task files, with ids chosen and dependencies resolved. */
  created: TaskFileText[];
  /** Existing task files' new text; `base` is the text it was made from. */
  updated: (TaskFileText & { base: string })[];
  /** plan.md's prose to change; plan.md is written (with a fresh table) when this is set or plan.md exists. */
  plan?: PlanEdit;
  /** Other new files under `.agents/` (a review), absolute paths; refused if one exists already. */
  added?: { path: string; text: string }[];
}

export interface ChangeOutcome {
  /** Every task after the change, as on disk. */
  tasks: Task[];
  planChanged: boolean;
}

/** What the change would write, against the files as they are now; writes nothing (`--dry-run`). */
export function previewTaskChange(project: Project, change: TaskChange): ChangeOutcome {
  const { tasks, planChanged } = resolveChange(project, change);
  return { tasks, planChanged };
}

/** Write the change under the tasks lock: every check and plan.md's table use the files on disk inside it. */
export function applyTaskChange(project: Project, change: TaskChange): ChangeOutcome {
  return withTasksLock(project, () => {
    const { files, tasks, planChanged } = resolveChange(project, change);
    writeFilesAtomic(files);
    return { tasks, planChanged };
  });
}

const AGAIN = 'Run the command again: it starts from the files as they are now. Nothing was written.';

function resolveChange(project: Project, change: TaskChange): ChangeOutcome & { files: Map<string, string> } {
  const root = project.root;
  const onDisk = loadTasks(root).tasks;
  const taken = new Set(onDisk.map((t) => t.id));
  const files = new Map<string, string>();
  for (const c of change.created) {
    if (taken.has(c.task.id) || existsSync(join(root, c.task.path))) {
      throw new BatonError(`the id \`${c.task.id}\` was taken by a task written while this change was made`, { file: c.task.path, hint: AGAIN });
    }
    files.set(join(root, c.task.path), c.text);
  }
  for (const u of change.updated) {
    const file = join(root, u.task.path);
    const now = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (now !== u.base) {
      throw new BatonError(`\`${u.task.id}\` was ${now === undefined ? 'removed' : 'changed'} while this change was made`, { file: u.task.path, hint: AGAIN });
    }
    files.set(file, u.text);
  }
  for (const a of change.added ?? []) {
    if (existsSync(a.path)) {
      const shown = isAbsolute(a.path) ? relative(root, a.path) : a.path;
      throw new BatonError(`\`${shown}\` was written while this change was made`, { file: shown, hint: AGAIN });
    }
    files.set(a.path, a.text);
  }
  const tasks = withChanged(onDisk, [...change.updated, ...change.created].map((c) => c.task));
  assertGraph(onDisk, tasks);
  let planChanged = false;
  if (!onTaskBranch(project) && (change.plan || existsSync(project.paths.plan))) {
    const before = readPlan(root);
    const after = withTaskBlock(withPlanEdit(before, change.plan ?? {}), tasks);
    planChanged = after !== before;
    if (planChanged) files.set(project.paths.plan, after);
  }
  return { files, tasks, planChanged };
}
