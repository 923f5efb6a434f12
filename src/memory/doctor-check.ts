/** `baton doctor`: commits on task branches that are neither in memory nor queued by the hooks. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../core/errors.js';
import { catFiles } from '../git/branches.js';
import { commonGitDir, resolveCommit, taskBranches, worktreeRoots } from '../git/history.js';
import { localBranches, missingWorktrees, pruneWorktrees, unmergedBranches } from '../git/task-branch.js';
import { currentBranch } from '../git/gitdir.js';
import type { DoctorCheck } from '../workspace/context.js';
import { parseMemory } from './file.js';
import { taskCommitsOnBranch, taskOfBranch } from './attribution.js';
import { shortSha } from '../workspace/package.js';
import { pendingShas } from './queue.js';
import { recordCheck } from './record-check.js';
import { foldedShas } from './compact.js';

/** Both of doctor's memory checks: the record in this checkout, and unmerged task branches. */
export const memoryCheck: DoctorCheck = async (project, opts) => [...(await recordCheck(project, opts)), ...(await branchesCheck(project))];

export const branchesCheck: DoctorCheck = async (project, opts = {}) => {
  const { root, config } = project;
  const problems: Problem[] = [];
  // A worktree deleted with `rm -rf`: git still lists it (and keeps its branch checked out there).
  const gone = missingWorktrees(root);
  if (gone.length && opts.fix) {
    pruneWorktrees(root);
    opts.fixed?.push(`git worktrees: forgot ${gone.map((w) => w.path).join(', ')} (folder gone; \`git worktree prune\`)`);
  } else {
    for (const w of gone) {
      problems.push({
        file: w.path, severity: 'warning',
        message: `the worktree${w.branch ? ` of \`${w.branch}\`` : ''} is gone (its folder was deleted), but git still lists it`,
        hint: 'Run `git worktree prune` (or `baton doctor --fix`); the branch and its commits stay.',
      });
    }
  }
  const common = await commonGitDir(root);
  const pending = new Set<string>();
  const live = localBranches(root);
  for (const dir of [common, ...subdirs(join(common, 'worktrees'))]) for (const sha of pendingShas(dir, live)) pending.add(sha);
  // A branch checked out in a worktree: read its working files (flushed, maybe not yet committed).
  const checkedOut = new Map<string, string>();
  for (const wt of await worktreeRoots(root)) {
    try {
      const b = currentBranch(wt);
      if (b) checkedOut.set(b, wt);
    } catch {
      /* a worktree that is gone */
    }
  }
  // A branch merged into the base has its commits there, where the record check reads them.
  const base = await resolveCommit(root, config.base_branch);
  const branches = base ? unmergedBranches(root, config.branch_prefix, config.base_branch) : await taskBranches(root, config.branch_prefix);
  for (const branch of branches) {
    const id = taskOfBranch(branch, config.branch_prefix);
    if (!id) continue;
    const file = `.agents/memory/${id}.md`;
    const wt = checkedOut.get(branch);
    const text = wt
      ? existsSync(join(wt, file)) ? readFileSync(join(wt, file), 'utf8') : ''
      : ((await catFiles(root, [`${branch}:${file}`])).get(`${branch}:${file}`) ?? '');
    const entries = parseMemory(text).entries;
    const refs = new Set(entries.filter((e) => e.kind === 'commit' && e.ref).map((e) => e.ref!));
    const folded = foldedShas(entries);
    const missing = (await taskCommitsOnBranch(root, id, config.base_branch, branch)).filter(
      (sha) => !refs.has(shortSha(sha)) && !pending.has(sha) && !folded.some((f) => sha.startsWith(f)),
    );
    if (!missing.length) continue;
    const shown = missing.slice(0, 5).map(shortSha).join(', ') + (missing.length > 5 ? ', …' : '');
    problems.push({
      file,
      severity: 'warning',
      message: `${missing.length} commit${missing.length === 1 ? '' : 's'} on \`${branch}\` missing from memory: ${shown}`,
      hint: `Run \`baton memory rebuild ${id}\` on \`${branch}\`${wt && wt !== root ? ` (in ${wt})` : ''} to add them from history.`,
    });
  }
  return problems;
};

function subdirs(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).map((n) => join(dir, n)) : [];
}
