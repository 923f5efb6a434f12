/**
 * After `baton done --merge`: the task's worktree is removed only when
 * nothing in it would be lost. Never `--force`.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AGENTS, isUnder, reportPath } from '../workspace/paths.js';
import { commonGitDirOf, gitDirOf } from '../git/gitdir.js';
import { changedTrackedFiles, gitRun } from '../git/task-branch.js';
import { untrackedFiles } from '../git/worktree-state.js';
import type { Project } from '../workspace/context.js';

/**
 * The worktree goes only when nothing in it would be lost: never `--force`.
 * Untracked files (not ignored ones), uncommitted changes, a git command or a
 * merge in progress there, or this very command running inside it: it stays,
 * and the result says why.
 */
export function removeWorktreeIfSafe(project: Project, dir: string, mergeDir: string, result: { id: string; worktreeRemoved?: string; worktreeKept?: { dir: string; why: string } }): void {
  const keep = (why: string) => void (result.worktreeKept = { dir, why });
  if (resolve(project.root) === resolve(dir)) {
    return keep(`you ran \`baton done\` from inside it. Once you have left it: \`git worktree remove ${dir}\``);
  }
  const busy = worktreeBusy(dir);
  if (busy) return keep(`${busy}. Finish that, then: \`git worktree remove ${dir}\``);
  setBatonLeftoversAside(project, dir, result.id);
  const untracked = untrackedFiles(dir);
  const changed = changedTrackedFiles(dir);
  if (untracked.length || changed.length) {
    const list = (files: string[]) => `${files.slice(0, 5).map((f) => `\`${f}\``).join(', ')}${files.length > 5 ? ` and ${files.length - 5} more` : ''}`;
    const what = [changed.length ? `uncommitted changes (${list(changed)})` : '', untracked.length ? `untracked files (${list(untracked)})` : ''].filter(Boolean).join(' and ');
    return keep(`it has ${what}, which removing it would delete. Save or delete them, then: \`git worktree remove ${dir}\``);
  }
  const r = gitRun(mergeDir, ['worktree', 'remove', dir]);
  if (r.code === 0) result.worktreeRemoved = dir;
  else keep(`\`git worktree remove\` refused: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
}

/**
 * What baton itself leaves in a worktree is no reason to keep it: the prompts
 * it keeps under `.agents/prompts/` (rewritten on the next `baton prompt`), and
 * a `REPORT.md` an agent saved at the root as older prompts asked, moved into
 * the git dir (`reports/<id>-REPORT.md` beside the saved reports) so nothing
 * is lost. Anything else left there still keeps the worktree.
 */
function setBatonLeftoversAside(project: Project, dir: string, id: string): void {
  const untracked = untrackedFiles(dir);
  const changed = changedTrackedFiles(dir);
  const others = [...untracked, ...changed].filter((p) => p !== 'REPORT.md' && !isUnder(p, AGENTS.prompts));
  if (others.length) return; // it stays anyway; what is there is left exactly as it was
  const prompts = changed.filter((p) => isUnder(p, AGENTS.prompts));
  if (prompts.length) gitRun(dir, ['checkout', '--', ...prompts]);
  for (const p of untracked.filter((f) => isUnder(f, AGENTS.prompts))) rmSync(join(dir, p), { force: true });
  if (untracked.includes('REPORT.md')) {
    const target = join(dirname(reportPath(project.root, id)), `${id}-REPORT.md`);
    mkdirSync(dirname(target), { recursive: true });
    renameSync(join(dir, 'REPORT.md'), target);
  }
}

/** A worktree added with `git worktree add` (not the repository's main checkout). */
export function isLinkedWorktree(dir: string): boolean {
  try {
    return resolve(gitDirOf(dir)) !== resolve(commonGitDirOf(dir));
  } catch {
    return false;
  }
}

/** A commit, merge, rebase or cherry-pick under way in that worktree, described; undefined when none. */
function worktreeBusy(dir: string): string | undefined {
  let gitDir: string;
  try {
    gitDir = gitDirOf(dir);
  } catch {
    return undefined;
  }
  if (existsSync(join(gitDir, 'index.lock'))) return 'a git command (a commit?) is running there';
  for (const [file, what] of [['MERGE_HEAD', 'a merge'], ['rebase-merge', 'a rebase'], ['rebase-apply', 'a rebase'], ['CHERRY_PICK_HEAD', 'a cherry-pick']] as const) {
    if (existsSync(join(gitDir, file))) return `${what} is in progress there`;
  }
  return undefined;
}
