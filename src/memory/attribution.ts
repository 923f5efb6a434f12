/**
 * Which memory file a commit belongs in. Its `Task:` trailer names the task;
 * a commit without one belongs to the task branch it was made on (when it is
 * in `HEAD --not <base>`), and any other commit to `project`.
 */
import { TASK_ID_RE } from '../core/task.js';
import { listCommits, resolveCommit, type CommitRef } from '../git/history.js';

/** `task/T-7f3a-add-login` → `T-7f3a` (with the configured prefix); undefined off task branches. */
export function taskOfBranch(branch: string | undefined, prefix: string): string | undefined {
  if (!branch || !branch.startsWith(prefix)) return undefined;
  const id = /^(T-[0-9a-f]+)(?:-|$)/.exec(branch.slice(prefix.length))?.[1];
  return id && TASK_ID_RE.test(id) ? id : undefined;
}

/** Commits of the current branch that are not in the base (empty when the base does not exist). */
export async function branchOnlyCommits(root: string, base: string, rev = 'HEAD'): Promise<CommitRef[] | undefined> {
  if (!(await resolveCommit(root, base)) || !(await resolveCommit(root, rev))) return undefined;
  return listCommits(root, [rev, '--not', base]);
}

/** The commits on this branch that belong to `task`, oldest first. */
export async function taskCommitsOnBranch(root: string, task: string, base: string, rev = 'HEAD'): Promise<string[]> {
  const own = await branchOnlyCommits(root, base, rev);
  // baton's own Start/Log/Done commits are bookkeeping, never `commit` entries.
  if (own) return own.filter((c) => !c.baton && (!c.task || c.task === task)).map((c) => c.sha);
  if (!(await resolveCommit(root, rev))) return [];
  return (await listCommits(root, [rev])).filter((c) => !c.baton && c.task === task).map((c) => c.sha);
}

/** Group commits by memory file: trailer, else branch task for branch-only commits, else `project`. */
export function attribute(commits: readonly CommitRef[], branchTask: string | undefined, branchOnly: ReadonlySet<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of commits) {
    if (c.baton) continue; // baton's own bookkeeping: no entry anywhere
    const id = c.task ?? (branchTask && branchOnly.has(c.sha) ? branchTask : 'project');
    const list = out.get(id);
    if (list) list.push(c.sha);
    else out.set(id, [c.sha]);
  }
  return out;
}
