/** `baton task list` and the MCP tool `task_list`: the tasks in dependency order, filtered, from one function. */
import { topoOrder } from '../core/graph.js';
import type { Status, TaskHead } from '../core/task.js';
import { loadTaskHeadsStrict } from '../tasks/task-files.js';
import type { Project } from '../workspace/context.js';

export interface TaskListFilter {
  status?: Status;
  phase?: string;
}

export function listTasks(project: Project, filter: TaskListFilter = {}): TaskHead[] {
  let tasks = topoOrder(loadTaskHeadsStrict(project.root));
  if (filter.status) tasks = tasks.filter((t) => t.status === filter.status);
  if (filter.phase) tasks = tasks.filter((t) => t.phase === filter.phase);
  return tasks;
}
