/** `baton task list` and the MCP tool `task_list`: the tasks in dependency order, filtered, from one function. */
import { topoOrder } from '../core/graph.js';
import type { Status, TaskHead } from '../core/task.js';
import { loadTaskHeadsStrict } from '../tasks/task-files.js';
import type { Project } from '../workspace/context.js';

export interface TaskListFilter {
  status?: Status;
  phase?: string;
}

export async function listTasks(project: Project, filter: TaskListFilter = {}): Promise<(TaskHead & { reason?: string })[]> {
  // The state every view shows: work on unmerged task branches laid over this checkout's files.
  const { statedTasks } = await import('../tasks/state.js');
  let tasks = topoOrder((await statedTasks(project, loadTaskHeadsStrict(project.root))).tasks);
  if (filter.status) tasks = tasks.filter((t) => t.status === filter.status);
  if (filter.phase) tasks = tasks.filter((t) => t.phase === filter.phase);
  return tasks;
}
