/**
 * plan.md's task table after a merge that baton did not make. Task branches
 * never write the table (so merging several at once, an octopus merge, which
 * ignores the plan.md merge driver, meets no conflict in it), and a plain
 * `git merge`, a pull or a fast-forward brings task files whose statuses the
 * table does not show yet. The post-merge hook leaves `plan-stale` in the git
 * dir (hooks/baton.sh); the next baton command that commits anyway (cli/main.ts:
 * `COMMITTING`) rebuilds the table here and commits it, alone, when plan.md held
 * no change of the user's. Reading commands never commit.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot, gitDirOf } from '../git/gitdir.js';
import { batonMessage, commitPaths, gitRun } from '../git/task-branch.js';
import { agentsPaths } from '../workspace/paths.js';
import { onTaskBranch, openProject } from '../workspace/context.js';
import { withCheckoutLock } from '../workspace/pid-lock.js';
import { refreshPlanFile } from '../tasks/write.js';

export async function refreshPlanAfterMerge(cwd: string): Promise<void> {
  // Inside a git operation (a hook running baton) nothing is committed.
  if (process.env.GIT_INDEX_FILE || process.env.GIT_DIR) return;
  const root = findRepoRoot(cwd);
  if (!root || !existsSync(agentsPaths(root).plan)) return;
  const marker = join(gitDirOf(root), 'baton', 'plan-stale');
  if (!existsSync(marker)) return;
  const project = openProject(root);
  if (onTaskBranch(project)) return rmSync(marker, { force: true });
  await withCheckoutLock(root, 'commit', () => {
    if (!existsSync(marker)) return; // another baton process did it
    if (existsSync(join(gitDirOf(root), 'MERGE_HEAD'))) return; // a merge in progress: after it is committed
    const untouched = gitRun(root, ['diff', '--quiet', 'HEAD', '--', '.agents/plan.md']).code === 0;
    if (refreshPlanFile(project) && untouched) {
      commitPaths(root, ['.agents/plan.md'], batonMessage('Plan: the task table after a merge', 'plan'));
    }
    rmSync(marker, { force: true });
  });
}
