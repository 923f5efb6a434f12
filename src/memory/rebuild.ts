/**
 * `baton memory rebuild [ID]`: commit entries made again from history (the
 * `Task:` trailer and the task branch), in the current worktree. Every
 * non-commit entry stays where it is; so does every commit entry that is
 * still right, with its text made again from git.
 */
import { existsSync, readdirSync } from 'node:fs';
import { currentBranch } from '../git/gitdir.js';
import { commitsBefore, listCommits, resolveCommit } from '../git/history.js';
import { readConfig } from '../store/config.js';
import { agentsPaths } from '../store/paths.js';
import { attribute, branchOnlyCommits, taskOfBranch } from './attribution.js';
import { syncCommitEntries, type SyncResult } from './sync.js';

export async function rebuildMemory(root: string, id?: string): Promise<SyncResult[]> {
  const config = readConfig(root);
  let branch: string | undefined;
  try {
    branch = currentBranch(root);
  } catch {
    branch = undefined;
  }
  if (!(await resolveCommit(root, 'HEAD'))) return [];
  const branchTask = taskOfBranch(branch, config.branch_prefix);
  // History baton knows about starts with the commit that added .agents/.
  const before = await commitsBefore(root, '.agents/config.yaml');
  const commits = await listCommits(root, before.length ? ['HEAD', '--not', ...before] : ['HEAD']);
  const own = branchTask ? await branchOnlyCommits(root, config.base_branch) : undefined;
  const groups = attribute(commits, branchTask, new Set((own ?? []).map((c) => c.sha)));
  const ids = new Set(id ? [id] : [...groups.keys(), ...existingMemoryIds(root)]);
  if (!config.record_off_task_commits) ids.delete('project');
  const results: SyncResult[] = [];
  for (const each of [...ids].sort()) {
    results.push(await syncCommitEntries(root, each, { expected: groups.get(each) ?? [], regenerate: true }));
  }
  return results;
}

function existingMemoryIds(root: string): string[] {
  const dir = agentsPaths(root).memory;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.md') && !n.startsWith('.') && (/^T-[0-9a-f]+\.md$/.test(n) || n === 'project.md'))
    .map((n) => n.slice(0, -3));
}
