/**
 * Work in flight: task branches not yet merged into the current branch, read
 * without checking them out. Only `git for-each-ref` and `git cat-file` run,
 * and only when task branches exist (found from the refs on disk first).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Status, Task, TaskHead } from '../core/task.js';
import { commonGitDirOf } from '../git/gitdir.js';
import type { Project } from '../workspace/context.js';
import { parseTaskText } from './task-files.js';

export interface InFlight {
  id: string;
  branch: string;
  /** The status the task has on its branch. */
  status: Status;
}

function hasTaskRefs(project: Project): boolean {
  const common = commonGitDirOf(project.root);
  const prefix = project.config.branch_prefix;
  if (existsSync(join(common, 'refs', 'heads', prefix))) {
    try {
      if (readdirSync(join(common, 'refs', 'heads', prefix)).length) return true;
    } catch {
      /* prefix is not a folder */
    }
  }
  const packed = join(common, 'packed-refs');
  return existsSync(packed) && readFileSync(packed, 'utf8').includes(` refs/heads/${prefix}`);
}

export async function inFlight(project: Project, local: readonly TaskHead[]): Promise<InFlight[]> {
  if (!hasTaskRefs(project)) return [];
  const { taskFilesOnBranches } = await import('../git/branches.js');
  const byId = new Map(local.map((t) => [t.id, t]));
  const files = await taskFilesOnBranches(project.root, project.config.branch_prefix, new Map(local.map((t) => [t.id, t.path])));
  const out: InFlight[] = [];
  for (const f of files) {
    const t = byId.get(f.id);
    const there = parseTaskText(f.text, t!.path).task;
    if (!there || there.status === t!.status) continue;
    out.push({ id: f.id, branch: f.branch, status: there.status });
  }
  return out;
}
