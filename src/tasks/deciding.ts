/**
 * What decides whether a task succeeded (its checks, its success criteria, its
 * dependencies and role) is read from the base: the plan as the Central Agent
 * or a person wrote it. The task branch is the side under judgement, and an
 * agent works there: what it changes of the plan is found here and refused at
 * merge unless a person accepts it.
 */
import { gitRun, showFile } from '../git/task-branch.js';
import type { Task } from '../core/task.js';
import { AGENTS } from '../workspace/paths.js';
import { findSection } from './markdown.js';
import { parseTaskText } from './task-files.js';

/** The task as `rev` (the base) has it; `task` itself when the base has no such file (a task made on its branch). */
export function taskAt(root: string, rev: string, task: Task): Task {
  const text = showFile(root, rev, task.path);
  if (text === undefined) return task;
  return parseTaskText(text, task.path).task ?? task;
}

/** The fields that decide success, in a form that compares equal when they say the same. */
export function decidingFields(task: Pick<Task, 'checks' | 'depends_on' | 'role' | 'body'>): Record<string, string> {
  const criteria = findSection(task.body, ['Success criteria'])?.content ?? '';
  return {
    checks: JSON.stringify(task.checks),
    depends_on: JSON.stringify([...task.depends_on].sort()),
    role: task.role ?? '',
    // Ticking a box is progress, not a change of what is asked.
    'success criteria': criteria.replace(/^(\s*[-*+]\s+)\[[xX ]\]/gm, '$1[ ]').replace(/\s+$/gm, ''),
  };
}

export interface PlanChange {
  path: string;
  /** What changed: `checks`, `success criteria`…, or `another task's file (modified)`. */
  what: string[];
}

/**
 * What `branch` changed of the plan since it left `base` (a three-dot diff, so
 * what the base did meanwhile is not counted): other tasks' files modified or
 * deleted, and the deciding fields of its own task. New task files are not
 * plan changes (tasks may be created on any branch).
 */
export function planChanges(root: string, base: string, branch: string, task: Pick<Task, 'id' | 'path'>): PlanChange[] {
  const fork = gitRun(root, ['merge-base', base, branch]);
  if (fork.code !== 0) return [];
  const from = fork.stdout.trim();
  const r = gitRun(root, ['diff', '--name-status', '-z', '--no-renames', from, branch, '--', AGENTS.tasks]);
  if (r.code !== 0) return [];
  const parts = r.stdout.split('\0');
  const out: PlanChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const status = parts[i]!;
    const path = parts[i + 1]!;
    if (status === 'A') continue;
    const before = showFile(root, from, path);
    const old = before === undefined ? undefined : parseTaskText(before, path).task;
    if (old?.id !== task.id) {
      out.push({ path, what: [`another task's file (${status === 'D' ? 'deleted' : 'modified'})`] });
      continue;
    }
    const after = showFile(root, branch, path);
    const now = after === undefined ? undefined : parseTaskText(after, path).task;
    if (!now) {
      out.push({ path, what: [status === 'D' ? 'the task file (deleted)' : 'the task file (no longer valid)'] });
      continue;
    }
    const a = decidingFields(old);
    const b = decidingFields(now);
    const what = Object.keys(a).filter((k) => a[k] !== b[k]);
    if (what.length) out.push({ path, what });
  }
  return out;
}

/** `git diff` of those files since the branch left the base, cut to `maxLines`. */
export function planChangesDiff(root: string, base: string, branch: string, paths: readonly string[], maxLines = 60): string {
  const r = gitRun(root, ['diff', '--no-color', '--no-renames', `${base}...${branch}`, '--', ...paths]);
  const lines = r.stdout.trimEnd().split('\n');
  return lines.length > maxLines ? [...lines.slice(0, maxLines), `… (${lines.length - maxLines} more lines: git diff ${base}...${branch} -- ${AGENTS.tasks})`].join('\n') : lines.join('\n');
}
