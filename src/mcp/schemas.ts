/** Output shapes the tools share (zod, turned into JSON Schema by the SDK). */
import * as z from 'zod';
import { STATUSES } from '../core/task.js';

export const status = z.enum(STATUSES);

/** The task a tool acts on, as a person or an agent names it. */
export const taskRef = z.string().describe('Task id or a unique prefix of it, e.g. `T-7f3a` or `7f3a`');

/** What a memory write (`log`, `ask`, `answer`) answers. */
export const logged = {
  id: z.string(), status, previous: status, entries: z.number().describe('Memory entries written'),
  dir: z.string(), onTaskBranch: z.boolean(), commit: z.string().optional(),
};

export const taskSummary = {
  id: z.string().describe('Task id, e.g. T-7f3a'),
  title: z.string(),
  status,
  phase: z.string().optional(),
  dependsOn: z.array(z.string()).describe('Ids of the tasks it waits on'),
  branch: z.string().optional().describe('Set when the status comes from an unmerged task branch'),
  statusHere: status.optional().describe('This checkout\'s status, when the one shown comes from the task\'s unmerged branch'),
  reason: z.string().optional().describe('Why a blocked task is blocked, when baton knows: `waiting for an answer` (see `inbox`)'),
  waitsFor: z.object({ id: z.string(), files: z.array(z.string()), why: z.string() }).optional()
    .describe('Ready, but its predicted files overlap this task at work (or ready before it): started after it'),
};
export const taskSummaryObject = z.object(taskSummary);

export const task = {
  ...taskSummary,
  files: z.array(z.string()).describe('Files to look at'),
  checks: z.array(z.string()).describe('Commands whose success proves the task'),
  role: z.string().optional(),
  created: z.string().optional(),
  path: z.string().describe('The task file, relative to the repository root'),
  body: z.string().describe('Markdown: Context, Requirements, Success criteria'),
};
export const taskObject = z.object(task);

export const memoryEntry = z.object({
  time: z.string().describe('ISO-8601 UTC'),
  kind: z.string().describe('commit, attempt, result, bug, decision, blocker, note, review, …'),
  ref: z.string().optional().describe('commit SHA for commit entries, outcome for result entries'),
  body: z.string(),
  task: z.string().optional().describe('The task id, or `project`'),
  line: z.number().optional(),
});

/** A task as the tools return it: everything but the line numbers kept for error messages. */
export function taskData<T extends { lines?: unknown }>(t: T): Omit<T, 'lines'> {
  const { lines: _lines, ...rest } = t;
  return rest;
}
