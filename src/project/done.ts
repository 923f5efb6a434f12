/**
 * `baton done`: close a task on its branch (status `done`, memory complete,
 * baton's files committed) and, with `merge`, merge the branch into the base.
 * Every refusal (a conflict, a failing check, uncommitted work) is found
 * before anything is written.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import { isoNow } from '../core/memory.js';
import type { Task } from '../core/task.js';
import {
  branchExists, changedTrackedFiles, changedUnder, commitPaths, gitRun, listWorktrees, mergeConflicts, mergeInto, switchBranch,
} from '../git/task-branch.js';
import { appendMemory } from '../store/memory.js';
import { agentsPaths } from '../store/paths.js';
import { loadTasksStrict } from '../store/tasks.js';
import { checkEntryBody, runChecks, type CheckResult } from './checks.js';
import { safeBranch, type Project } from './context.js';
import { flushHookQueue } from './flush-queue.js';
import { ownPaths } from './start.js';
import { checkoutOf, taskBranchName } from './task-checkout.js';
import { refreshPlanFile, updateTask } from './tasks.js';

export interface DoneOptions {
  merge?: boolean;
  /** Do not run the task's checks before merging. */
  skipChecks?: boolean;
  /** Per check, in milliseconds (default 10 minutes). */
  checkTimeoutMs?: number;
}

export interface DoneResult {
  id: string;
  branch: string;
  /** Baton's commit on the task branch (undefined: nothing to commit). */
  commit?: string;
  /** Commit entries written from git history because the hooks recorded none. */
  backfilled: number;
  checks: CheckResult[];
  merged?: { into: string; commit: string; dir: string };
  worktreeRemoved?: string;
  /** Why the worktree could not be removed (the merge itself succeeded). */
  worktreeKept?: string;
  /** The branch this checkout is on afterwards. */
  checkout?: string;
  /** Closed on the branch its work was done on (no task branch): nothing to merge. */
  inPlace?: boolean;
}

function dirtyOutside(project: Project, dir: string, task: Task): string[] {
  const mine = new Set(ownPaths(project, task));
  return changedTrackedFiles(dir).filter((p) => !mine.has(p) && !p.startsWith('.agents/prompts/'));
}

function refuseDirty(dir: string, files: string[], what: string): never {
  const shown = files.slice(0, 5).map((p) => `\`${p}\``).join(', ');
  throw new BatonError(`uncommitted changes in ${dir} (${shown}${files.length > 5 ? ` and ${files.length - 5} more` : ''}) ${what}`, {
    hint: 'Commit them (or stash them), then run `baton done` again.',
  });
}

/**
 * Commit entries for the branch's commits the hooks did not record (hooks off,
 * not installed, or a commit they missed), by the one rule the flush, doctor
 * and rebuild apply (src/memory/attribution.ts), in the hooks' own format.
 */
async function backfillEntries(dir: string, id: string, base: string, branch: string): Promise<number> {
  const { taskCommitsOnBranch } = await import('../memory/attribution.js');
  const { syncCommitEntries } = await import('../memory/sync.js');
  return (await syncCommitEntries(dir, id, { expected: await taskCommitsOnBranch(dir, id, base, branch) })).added;
}

interface DonePlan {
  task: Task;
  branch: string;
  base: string;
  /** Where the branch is checked out now; undefined: this checkout switches to it for the commit. */
  co?: { dir: string; worktree: boolean };
  startedOn?: string;
  /** The checkout the merge happens in (it is, or will be switched to, the base). */
  mergeDir?: string;
  /** The task was worked on right here (no task branch): it is closed in this checkout. */
  here?: boolean;
}

function checkoutForMerge(project: Project, base: string, co: DonePlan['co']): string {
  const baseCo = checkoutOf(project, base);
  if (baseCo) return baseCo.dir;
  if (!co) return project.root;
  // The task lives in a worktree: merge in the main checkout (git lists it first).
  return co.worktree ? (listWorktrees(project.root)[0]?.path ?? project.root) : co.dir;
}

/** Every refusal that can be known before touching anything. */
function preflight(project: Project, ref: string, options: DoneOptions): DonePlan {
  const task = resolveTask(loadTasksStrict(project.root), ref);
  const branch = taskBranchName(project, task);
  const base = project.config.base_branch;
  if (!branchExists(project.root, branch)) {
    const on = safeBranch(project.root);
    // Work done directly on a non-task branch (a solo repo, a quick fix on main) is closed where it is.
    if (on && !on.startsWith(project.config.branch_prefix)) return { task, branch: on, base, startedOn: on, here: true };
    throw new BatonError(`\`${task.id}\` has no branch \`${branch}\``, {
      hint: `Start it with \`baton start ${task.id}\`, or switch to the branch its work is on and run \`baton done ${task.id}\` there.`,
    });
  }
  const co = checkoutOf(project, branch);
  const plan: DonePlan = { task, branch, base, co, startedOn: safeBranch(project.root) };
  const dirty = dirtyOutside(project, co?.dir ?? project.root, task);
  if (dirty.length && !co) refuseDirty(project.root, dirty, `would be carried to \`${branch}\``);
  if (!options.merge) return plan;
  if (dirty.length) refuseDirty(co!.dir, dirty, `on \`${branch}\` would be left out of the merge`);
  if (!branchExists(project.root, base)) {
    throw new BatonError(`the base branch \`${base}\` does not exist`, { file: '.agents/config.yaml', hint: 'Set `base_branch:` to the branch to merge into.' });
  }
  plan.mergeDir = checkoutForMerge(project, base, co);
  if (plan.mergeDir !== (co?.dir ?? project.root)) {
    const busy = changedTrackedFiles(plan.mergeDir).filter((p) => !p.startsWith('.agents/prompts/'));
    if (busy.length) refuseDirty(plan.mergeDir, busy, `would get in the way of the merge into \`${base}\``);
  }
  const conflicts = mergeConflicts(project.root, base, branch);
  if (conflicts.length) {
    throw new BatonError(`\`${branch}\` cannot be merged into \`${base}\`: ${conflicts.map((f) => `\`${f}\``).join(', ')} would conflict`, {
      hint: `Nothing was changed. Bring \`${base}\` into the branch and resolve there (\`git switch ${branch} && git merge ${base}\`), then run \`baton done ${task.id} --merge\` again.`,
    });
  }
  return plan;
}

async function checksOrRefuse(plan: DonePlan, dir: string, checks: string[], options: DoneOptions, undo: () => void): Promise<CheckResult[]> {
  if (!options.merge || options.skipChecks || !checks.length) return [];
  const results = await runChecks(dir, checks, options.checkTimeoutMs ?? 600_000);
  const failed = results.find((c) => !c.passed);
  if (!failed) return results;
  undo();
  const how = failed.timedOut ? 'timed out' : `exit ${failed.code ?? 'by signal'}`;
  const tail = failed.tail ? `\n  ${failed.tail.split('\n').slice(-10).join('\n  ')}` : '';
  throw new BatonError(`the check \`${failed.command}\` failed on \`${plan.branch}\` (${how}); not merged`, {
    hint: `Nothing was changed. Fix it on the branch and run \`baton done ${plan.task.id} --merge\` again (or pass \`--skip-checks\`).${tail}`,
  });
}

/** Status done, memory complete (queued and missing commits, check results), committed on the branch. */
async function closeOnBranch(project: Project, plan: DonePlan, dir: string, checks: CheckResult[]): Promise<{ task: Task; commit?: string; backfilled: number }> {
  const { task, branch, base } = plan;
  await flushHookQueue(dir);
  const here: Project = { ...project, root: dir, paths: agentsPaths(dir) };
  const there = resolveTask(loadTasksStrict(dir), task.id);
  const now = isoNow();
  // Closed in place (no task branch), its commits are on the base already and recorded there.
  const backfilled = plan.here ? 0 : await backfillEntries(dir, task.id, base, branch);
  const checkEntries = checks.map((c) => ({ time: now, kind: 'check', ref: c.passed ? 'pass' : 'fail', body: checkEntryBody(c) }));
  await appendMemory(dir, task.id, checkEntries, there.title);
  const updated = there.status === 'done' ? there : updateTask(here, task.id, plan.here ? { status: 'done' } : { status: 'done', branch });
  // On the base, plan.md's task table changed with the status: it goes in the same commit.
  // The flush may also have written other memory files (project.md, a task a trailer named):
  // they go in the same commit, so the checkout is clean afterwards.
  const paths = [...new Set([...ownPaths(here, updated), ...(plan.here ? ['.agents/plan.md'] : []), ...changedUnder(dir, '.agents/memory')])]
    .filter((p) => existsSync(join(dir, p)));
  const commit = commitPaths(dir, paths, `Done ${task.id}: ${updated.title}\n\nTask: ${task.id}`);
  return { task: updated, commit, backfilled };
}

/** Merge into the base with plan.md refreshed in the same commit; then the worktree goes. */
function mergeTask(project: Project, plan: DonePlan, title: string, result: DoneResult): void {
  const mergeDir = plan.mergeDir!;
  if (safeBranch(mergeDir) !== plan.base) switchBranch(mergeDir, plan.base);
  const baseProject: Project = { ...project, root: mergeDir, paths: agentsPaths(mergeDir) };
  const commit = mergeInto(mergeDir, plan.branch, `Merge ${plan.branch}: ${title}\n\nTask: ${plan.task.id}`, () =>
    refreshPlanFile(baseProject) ? ['.agents/plan.md'] : [],
  );
  result.merged = { into: plan.base, commit, dir: mergeDir };
  if (plan.co?.worktree) {
    // Tracked work is merged; what is left there is untracked (build output, node_modules).
    const r = gitRun(mergeDir, ['worktree', 'remove', '--force', plan.co.dir]);
    if (r.code === 0) result.worktreeRemoved = plan.co.dir;
    else result.worktreeKept = `${plan.co.dir}: ${r.stderr.trim()}`;
  }
}

/** No task branch: status done, memory flushed, baton's files committed on the branch this checkout is on. */
async function closeHere(project: Project, plan: DonePlan, options: DoneOptions): Promise<DoneResult> {
  const checks = await checksOrRefuse(plan, project.root, plan.task.checks, options, () => {});
  const closed = await closeOnBranch(project, { ...plan, base: plan.branch }, project.root, checks);
  return { id: plan.task.id, branch: plan.branch, commit: closed.commit, backfilled: 0, checks, checkout: plan.branch, inPlace: true };
}

export async function doneTask(project: Project, ref: string, options: DoneOptions = {}): Promise<DoneResult> {
  const plan = preflight(project, ref, options);
  if (plan.here) return closeHere(project, plan, options);
  const { co, branch, startedOn } = plan;
  if (!co) switchBranch(project.root, branch);
  const dir = co?.dir ?? project.root;
  const switchBack = () => {
    if (!co && startedOn && startedOn !== branch) switchBranch(project.root, startedOn);
  };
  const checksToRun = resolveTask(loadTasksStrict(dir), plan.task.id).checks;
  const checks = await checksOrRefuse(plan, dir, checksToRun, options, switchBack);
  const closed = await closeOnBranch(project, plan, dir, checks);
  const result: DoneResult = { id: plan.task.id, branch, commit: closed.commit, backfilled: closed.backfilled, checks };
  if (options.merge) mergeTask(project, plan, closed.task.title, result);
  else switchBack();
  result.checkout = safeBranch(project.root);
  return result;
}
