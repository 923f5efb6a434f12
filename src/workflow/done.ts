/**
 * `baton done`: close a task on its branch (status `done`, memory complete,
 * baton's files committed) and, with `merge`, merge the branch into the base.
 * Every refusal (a conflict, a failing check, uncommitted work) is found
 * before anything is written.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import { isoNow, type MemoryEntry } from '../memory/entry.js';
import { redact } from '../core/redact.js';
import type { Task } from '../core/task.js';
import { commonGitDirOf, gitDirOf } from '../git/gitdir.js';
import {
  batonMessage, branchCommits, branchExists, changedTrackedFiles, changedUnder, commitPathsFolding, gitRun, listWorktrees, mergeConflicts, mergeInto, missingWorktrees, pruneWorktrees, showFile, switchBranch,
} from '../git/task-branch.js';
import { appendMemory, readMemory } from '../memory/file.js';
import { agentsPaths, rel, AGENTS, isUnder } from '../workspace/paths.js';
import { loadTasksStrict, parseTaskText } from '../tasks/task-files.js';
import { checkEntryBody, runChecks, type CheckResult } from './checks.js';
import { safeBranch, type Project } from '../workspace/context.js';
import { flushHookQueue } from './flush-queue.js';
import { withCheckoutLock } from '../workspace/pid-lock.js';
import { keepFiles, runUndo, type UndoList } from './undo-steps.js';
import { discardChangesSince } from '../git/undo.js';
import { isLinkedWorktree, removeWorktreeIfSafe } from './done-worktree.js';
import { ownPaths } from './start.js';
import { checkoutOf, isBookkeeping, taskBranchName, taskCommits, taskMemory, taskState } from '../tasks/checkout.js';
import { refreshPlanFile, updateTask } from '../tasks/write.js';
import { planChanges, planChangesDiff, taskAt } from '../tasks/deciding.js';
import { adoptPendingPrompt } from '../prompt/pending.js';

/** baton's commits that wait at the branch tip for the one after the work: `log`, and a failed `check`. */
const FOLDED = ['log', 'check'] as const;

export interface DoneOptions {
  merge?: boolean;
  /** Do not run the task's checks before merging. */
  skipChecks?: boolean;
  /** Per check, in milliseconds (default 10 minutes). */
  checkTimeoutMs?: number;
  /** Close (and merge) a task that shows no work, or whose last result is not a success. */
  force?: boolean;
  /** Merge a branch that changed the plan (other tasks' files, its own checks or criteria): a person read the diff. */
  acceptPlanChanges?: boolean;
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
  /** The task's worktree, whose folder was gone (deleted by hand): git forgot it and the task was closed from this checkout. */
  worktreePruned?: string;
  /** The worktree that was kept, and why (the merge itself succeeded). */
  worktreeKept?: { dir: string; why: string };
  /** The branch this checkout is on afterwards. */
  checkout?: string;
  /** Closed on the branch its work was done on (no task branch): nothing to merge. */
  inPlace?: boolean;
  /** `memory_fold_after` set: the tasks this merge pushed past it, folded on the base (or why not). */
  folded?: { ids: string[]; commit?: string; error?: string };
}

/**
 * Where `baton start --remote` notes the claim it took (remote, claim SHA), so a later
 * `baton done` gives back that claim and no other (src/remote/manual.ts). In the common
 * git dir: every worktree of the clone sees it; it is never committed.
 */
export function heldClaimPath(root: string, id: string): string {
  return join(commonGitDirOf(root), 'baton', 'claims', `${id}.json`);
}

function dirtyOutside(project: Project, dir: string, task: Task): string[] {
  const mine = new Set(ownPaths(project, task));
  return changedTrackedFiles(dir).filter((p) => !mine.has(p) && !isUnder(p, AGENTS.prompts));
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
  // And entries the file held once and lost (a merge resolved by keeping one side): the task closes whole.
  const { restoreMemory } = await import('../memory/restore.js');
  const { restored } = await restoreMemory(dir, id);
  return restored + (await syncCommitEntries(dir, id, { expected: await taskCommitsOnBranch(dir, id, base, branch) })).added;
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
  /** Its worktree's folder was gone: git forgot it (`git worktree prune`). */
  prunedWorktree?: string;
}

function checkoutForMerge(project: Project, base: string, co: DonePlan['co']): string {
  const baseCo = checkoutOf(project, base);
  if (baseCo) return baseCo.dir;
  if (!co) return project.root;
  // The task lives in a worktree: merge in the main checkout (git lists it first).
  return co.worktree ? (listWorktrees(project.root)[0]?.path ?? project.root) : co.dir;
}

/**
 * A task that was never started, or whose dependencies are not done, is not
 * closed (unless `--force`): its check may pass on the base by chance, and a
 * later prompt would describe a branch that never existed. Its state is the
 * one every view shows (tasks/state.ts); a dependency counts as done when it
 * is done here or on the base branch (this checkout may be an older task branch).
 */
async function assertStartable(project: Project, tasks: Task[], task: Task): Promise<void> {
  const { statedTasks } = await import('../tasks/state.js');
  const { tasks: [shown] } = await statedTasks(project, [task]);
  const id = task.id;
  const at = { file: task.path, line: task.lines.status };
  const base = project.config.base_branch;
  const branch = taskBranchName(project, task);
  // A task branch made by hand (`git switch -c`) with commits of its own counts as started.
  const workedOnBranch = () => branchExists(project.root, branch) && branchExists(project.root, base)
    && branchCommits(project.root, base, branch).some((c) => !isBookkeeping(c.files));
  if (shown!.status === 'todo' && !workedOnBranch()) {
    throw new BatonError(`\`${id}\` was never started (its status is \`todo\` here and on its branch, and no task branch has commits of its own); not closed`, {
      ...at,
      hint: `Nothing was changed (no check run, nothing committed). Start it with \`baton start ${id}\`, do the work and \`baton log ${id} --outcome success --summary "…"\`, then run \`baton done ${id}\` again; or close it anyway with \`baton done ${id} --force\`.`,
    });
  }
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const doneOnBase = (dep: Task): boolean => {
    const text = showFile(project.root, base, dep.path);
    return text !== undefined && parseTaskText(text, dep.path).task?.status === 'done';
  };
  const unmet = task.depends_on.filter((d) => {
    const dep = byId.get(d);
    return !dep || (dep.status !== 'done' && !doneOnBase(dep));
  });
  if (!unmet.length) return;
  const list = unmet.map((d) => `\`${d}\` (${byId.get(d)?.status ?? 'missing'})`).join(', ');
  throw new BatonError(`\`${id}\` waits on ${list}, not done on \`${base}\`; not closed`, {
    file: task.path, line: task.lines.depends_on ?? task.lines.status,
    hint: `Nothing was changed (no check run, nothing committed). Finish and merge those first (\`baton status\` shows where they stand), or close it anyway with \`baton done ${id} --force\`.`,
  });
}

/**
 * A `git commit` under way in `dir` (baton's pre-commit hook notes git's pid; post-commit
 * clears it): its editor may be open. Switching or merging under it would make it fail.
 */
function commitUnderWay(dir: string): number | undefined {
  let text = '';
  try {
    text = readFileSync(join(gitDirOf(dir), 'baton', 'committing'), 'utf8').trim();
  } catch {
    return undefined;
  }
  const pid = Number(text);
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

function refuseCommitUnderWay(dirs: (string | undefined)[], id: string): void {
  for (const dir of new Set(dirs.filter((d): d is string => !!d))) {
    const pid = commitUnderWay(dir);
    if (pid === undefined) continue;
    throw new BatonError(`a \`git commit\` is under way in ${dir} (git, pid ${pid}; its message editor may be open); nothing was changed`, {
      hint: `Finish that commit (save and close the editor) or abort it, then run \`baton done ${id}\` again.`,
    });
  }
}

/** Every refusal that can be known before touching anything. */
async function preflight(project: Project, ref: string, options: DoneOptions): Promise<DonePlan> {
  const tasks = loadTasksStrict(project.root);
  const task = resolveTask(tasks, ref);
  if (!options.force) await assertStartable(project, tasks, task);
  const branch = taskBranchName(project, task);
  const base = project.config.base_branch;
  if (!branchExists(project.root, branch)) {
    const on = safeBranch(project.root);
    // Work done directly on a non-task branch (a solo repo, a quick fix on main) is closed where it is.
    if (on && !on.startsWith(project.config.branch_prefix)) {
      const here: DonePlan = { task, branch: on, base, startedOn: on, here: true };
      if (!options.force) assertWorkDone(project, here, options);
      return here;
    }
    throw new BatonError(`\`${task.id}\` has no branch \`${branch}\``, {
      hint: `Start it with \`baton start ${task.id}\`, or switch to the branch its work is on and run \`baton done ${task.id}\` there.`,
    });
  }
  // Its worktree deleted by hand (`rm -rf`): git still lists it; it is forgotten, and closed from this checkout.
  const gone = missingWorktrees(project.root).find((w) => w.branch === branch);
  if (gone) pruneWorktrees(project.root);
  const co = checkoutOf(project, branch);
  const plan: DonePlan = { task, branch, base, co, startedOn: safeBranch(project.root), prunedWorktree: gone?.path };
  if (!options.force) assertWorkDone(project, plan, options);
  const dirty = dirtyOutside(project, co?.dir ?? project.root, task);
  if (dirty.length && !co) refuseDirty(project.root, dirty, `would be carried to \`${branch}\``);
  if (!options.merge) {
    refuseCommitUnderWay([project.root, co?.dir], task.id);
    return plan;
  }
  if (dirty.length) refuseDirty(co!.dir, dirty, `on \`${branch}\` would be left out of the merge`);
  if (!branchExists(project.root, base)) {
    throw new BatonError(`the base branch \`${base}\` does not exist`, { file: AGENTS.config, hint: 'Set `base_branch:` to the branch to merge into.' });
  }
  plan.mergeDir = checkoutForMerge(project, base, co);
  if (plan.mergeDir !== (co?.dir ?? project.root)) {
    const busy = changedTrackedFiles(plan.mergeDir).filter((p) => !isUnder(p, AGENTS.prompts));
    if (busy.length) refuseDirty(plan.mergeDir, busy, `would get in the way of the merge into \`${base}\``);
  }
  refuseCommitUnderWay([project.root, co?.dir, plan.mergeDir], task.id);
  if (!options.acceptPlanChanges) refusePlanChanges(project, plan);
  const conflicts = mergeConflicts(project.root, base, branch);
  if (conflicts.length) {
    throw new BatonError(`\`${branch}\` cannot be merged into \`${base}\`: ${conflicts.map((f) => `\`${f}\``).join(', ')} would conflict`, {
      hint: `Nothing was changed. Bring \`${base}\` into the branch and resolve there (\`git switch ${branch} && git merge ${base}\`), then run \`baton done ${task.id} --merge\` again.`,
    });
  }
  return plan;
}

/**
 * The branch is the side under judgement: what it changed of the plan (other
 * tasks' files, its own checks, criteria, dependencies or role) is not merged
 * unless a person, having read the diff, passes `--accept-plan-changes`.
 */
export function refusePlanChanges(project: Project, plan: Pick<DonePlan, 'task' | 'base' | 'branch'>): void {
  const changes = planChanges(project.root, plan.base, plan.branch, plan.task);
  if (!changes.length) return;
  const what = changes.map((c) => `\`${c.path}\` (${c.what.join(', ')})`).join('; ');
  const diff = planChangesDiff(project.root, plan.base, plan.branch, changes.map((c) => c.path));
  throw new BatonError(`\`${plan.branch}\` changes the plan: ${what}; not merged`, {
    hint: `Nothing was changed. What decides a task is read from \`${plan.base}\`, never from its branch. ` +
      `Undo those changes on the branch, or, if a person made them on purpose, run \`baton done ${plan.task.id} --merge --accept-plan-changes\`.\n` +
      `  ${diff.split('\n').join('\n  ')}`,
  });
}

async function checksOrRefuse(project: Project, plan: DonePlan, dir: string, checks: string[], options: DoneOptions, undo: () => void): Promise<CheckResult[]> {
  if (!options.merge || options.skipChecks || !checks.length) return [];
  const results = await runChecks(dir, checks, options.checkTimeoutMs ?? 600_000);
  const failed = results.find((c) => !c.passed);
  if (!failed) return results;
  // The failure is part of the task's record: the next attempt (and the reviewer) must see it.
  const recorded = await recordFailedChecks(project, plan, dir, results);
  undo();
  const how = failed.timedOut ? 'timed out' : `exit ${failed.code ?? 'by signal'}`;
  const lines = failed.tail;
  const tail = lines ? `\n  ${redact(lines).split('\n').join('\n  ')}` : '';
  const where = recorded ? `Its output is in the task's memory (commit ${recorded} on \`${plan.branch}\`); nothing else was changed.` : 'Nothing was changed.';
  throw new BatonError(`the check \`${failed.command}\` failed on \`${plan.branch}\` (${how}); not merged`, {
    hint: `${where} Fix it on the branch and run \`baton done ${plan.task.id} --merge\` again (or pass \`--skip-checks\`).${tail}`,
  });
}

/** `check` entries for a run with a failure (what each failing one's output says), committed on the branch. */
async function recordFailedChecks(project: Project, plan: DonePlan, dir: string, results: CheckResult[]): Promise<string | undefined> {
  const here: Project = { ...project, root: dir, paths: agentsPaths(dir) };
  const now = isoNow();
  const entries = results.map((c) => ({
    time: now, kind: 'check', ref: c.passed ? 'pass' : 'fail', body: checkEntryBody(c.passed ? { ...c, tail: '' } : c),
  }));
  const memory = rel(dir, here.paths.memoryFile(plan.task.id));
  return withCheckoutLock(dir, 'commit', async () => {
    const undo: UndoList = [];
    keepFiles(dir, [memory], undo);
    try {
      await appendMemory(dir, plan.task.id, entries, plan.task.title);
      const failed = results.filter((c) => !c.passed).map((c) => `\`${c.command}\``).join(', ');
      // The attempt's Log commit (and an earlier failed check's) folds into this one: one commit of baton's after the work.
      return commitPathsFolding(dir, [memory], batonMessage(`Check failed ${plan.task.id}: ${failed}`, 'check', plan.task.id), FOLDED);
    } catch {
      runUndo(undo); // the refusal is what matters; a record that cannot be committed is not left half-written
      return undefined;
    }
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
  // Memory is append-only: entries the branch removed or changed (this task's or any other's) come back.
  if (!plan.here) await restoreRewrites(dir, task.id, base, there.title);
  const checkEntries = checks.map((c) => ({ time: now, kind: 'check', ref: c.passed ? 'pass' : 'fail', body: checkEntryBody(c) }));
  await appendMemory(dir, task.id, checkEntries, there.title);
  const updated = there.status === 'done' ? there : updateTask(here, task.id, plan.here ? { status: 'done' } : { status: 'done', branch });
  // On the base, plan.md's task table changed with the status: it goes in the same commit.
  // The flush may also have written other memory files (project.md, a task a trailer named):
  // they go in the same commit, so the checkout is clean afterwards.
  if (!plan.here) adoptPendingPrompt(project.root, dir, task.id);
  const paths = [...new Set([...ownPaths(here, updated), ...(plan.here ? [AGENTS.plan] : []), ...changedUnder(dir, AGENTS.memory)])]
    .filter((p) => existsSync(join(dir, p)));
  // The Log commit (and a failed check's) at the tip folds into Done: one commit of baton's after the work.
  const commit = commitPathsFolding(dir, paths, batonMessage(`Done ${task.id}: ${updated.title}`, 'done', task.id), FOLDED);
  return { task: updated, commit, backfilled };
}

/** The error that stopped `done`, after going back to where it started; a failed switch back is said too, never in its place. */
function withSwitchBack(error: unknown, switchBack: () => void, startedOn: string | undefined): unknown {
  try {
    switchBack();
    return error;
  } catch (back) {
    if (!(error instanceof BatonError)) return error;
    return new BatonError(error.message, {
      file: error.file, line: error.line, cause: error,
      hint: `${error.hint ?? ''}\n  The checkout could not go back to \`${startedOn}\`: ${back instanceof Error ? back.message : String(back)}`.trim(),
    });
  }
}

async function restoreRewrites(dir: string, id: string, base: string, title: string): Promise<void> {
  const { restoreRewrittenMemory } = await import('../memory/append-only.js');
  const rewrites = await restoreRewrittenMemory(dir, base);
  if (!rewrites.length) return;
  const what = rewrites.map((r) => `${r.restored} in \`${r.path}\``).join(', ');
  await appendMemory(dir, id, [{
    time: isoNow(), kind: 'bug',
    body: `The agent rewrote memory: its commits removed or changed entries (${what}) that memory files held when the branch left \`${base}\`. ` +
      'Memory is append-only; baton put them back as they were.',
  }], title);
}

/**
 * `closeOnBranch` as one step: one writer at a time in the checkout (a
 * parallel `baton log` would trip on git's index lock), and when its commit
 * fails, baton's files go back to how they were after the hooks' queue was
 * written, so nothing is left half-closed and a retry writes nothing twice.
 */
async function closeAtomically(project: Project, plan: DonePlan, dir: string, checks: CheckResult[]): Promise<Awaited<ReturnType<typeof closeOnBranch>>> {
  return withCheckoutLock(dir, 'commit', async () => {
    await flushHookQueue(dir);
    const undo: UndoList = [];
    keepFiles(dir, [...ownPaths(project, plan.task), AGENTS.plan], undo);
    try {
      return await closeOnBranch(project, plan, dir, checks);
    } catch (error) {
      runUndo(undo);
      if (!(error instanceof BatonError)) throw error;
      throw new BatonError(`${error.message}; \`${plan.task.id}\` was not closed`, {
        file: error.file, line: error.line, cause: error,
        hint: `${error.hint ?? 'Fix the cause.'}\n  Its task file and memory are as they were: run \`baton done ${plan.task.id}\` again.`,
      });
    }
  });
}

/** Merge into the base with plan.md refreshed in the same commit; then the worktree goes. */
function mergeTask(project: Project, plan: DonePlan, title: string, result: DoneResult): void {
  const mergeDir = plan.mergeDir!;
  if (safeBranch(mergeDir) !== plan.base) switchBranch(mergeDir, plan.base);
  const baseProject: Project = { ...project, root: mergeDir, paths: agentsPaths(mergeDir) };
  const commit = mergeInto(mergeDir, plan.branch, `Merge ${plan.branch}: ${title}\n\nTask: ${plan.task.id}`, () => {
    // Merged means done on the base, whatever git's 3-way merge made of the status: a review that
    // reopened the task on the base changed it there, while the branch went back to `done`.
    const merged = resolveTask(loadTasksStrict(mergeDir), plan.task.id);
    const fixed = merged.status === 'done' ? [] : [updateTask(baseProject, plan.task.id, { status: 'done', branch: plan.branch }).path];
    // Writing the task file also rewrites plan.md's table: it goes in the merge commit either way.
    const planChanged = refreshPlanFile(baseProject) || (fixed.length > 0 && existsSync(join(mergeDir, AGENTS.plan)));
    return [...fixed, ...(planChanged ? [AGENTS.plan] : [])];
  });
  result.merged = { into: plan.base, commit, dir: mergeDir };
  // `co.worktree` is false when this command runs inside the task's worktree: ask git which checkout it is.
  if (plan.co && (plan.co.worktree || isLinkedWorktree(plan.co.dir))) removeWorktreeIfSafe(project, plan.co.dir, mergeDir, result);
}

/**
 * Refusals about the work itself, unless `--force`: a task that shows no work
 * (no commit of its own, no result, no passed check, no check to run now),
 * and, for a merge, a task that is blocked or whose last result is not a success.
 */
function assertWorkDone(project: Project, plan: DonePlan, options: DoneOptions): void {
  const { task: onBranch, memory } = plan.here ? { task: plan.task, memory: taskMemory(project, plan.task) } : taskState(project, plan.task);
  const id = plan.task.id;
  const result = memory.filter((e) => e.kind === 'result').pop();
  if (options.merge && (onBranch.status === 'blocked' || (result && result.ref !== 'success'))) {
    const why = onBranch.status === 'blocked' ? `is blocked${result ? ` (its last result: ${result.ref ?? 'unknown'})` : ''}` : `has a ${result!.ref ?? 'unknown'} result as its last`;
    throw new BatonError(`\`${id}\` ${why}; not merged`, {
      file: plan.task.path, line: plan.task.lines.status,
      hint: `Nothing was changed. Finish it and \`baton log ${id} --outcome success\`, or merge it as it is with \`baton done ${id} --merge --force\`.`,
    });
  }
  const commits = plan.here
    ? taskCommits(project, plan.task, memory)
    : [...branchCommits(project.root, plan.base, plan.branch), ...taskCommits(project, plan.task, memory)];
  const worked = commits.some((c) => !isBookkeeping(c.files))
    || result !== undefined
    || memory.some((e) => e.kind === 'check' && e.ref === 'pass')
    || (options.merge && !options.skipChecks && onBranch.checks.length > 0);
  if (worked) return;
  throw new BatonError(`\`${id}\` shows no work: no commits of its own, no result and no checks; not closed`, {
    file: plan.task.path, line: plan.task.lines.status,
    hint: `Nothing was changed. Commit its work (or \`baton log ${id} --outcome success --summary "…"\` if it was done elsewhere), or close it anyway with \`baton done ${id} --force\`.`,
  });
}

/** No task branch: status done, memory flushed, baton's files committed on the branch this checkout is on. */
async function closeHere(project: Project, plan: DonePlan, options: DoneOptions): Promise<DoneResult> {
  const checks = await checksOrRefuse(project, plan, project.root, plan.task.checks, options, () => {});
  // One writer at a time in a checkout: a parallel `baton log` there would trip on git's index lock.
  const closed = await closeAtomically(project, { ...plan, base: plan.branch }, project.root, checks);
  return { id: plan.task.id, branch: plan.branch, commit: closed.commit, backfilled: 0, checks, checkout: plan.branch, inPlace: true };
}

export async function doneTask(project: Project, ref: string, options: DoneOptions = {}): Promise<DoneResult> {
  const plan = await preflight(project, ref, options);
  if (plan.here) return closeHere(project, plan, options);
  const { co, branch, startedOn } = plan;
  // What was already changed under .agents/ before this command switched the checkout (it came along, and goes back).
  const before = co ? new Set<string>() : new Set(changedUnder(project.root, AGENTS.dir));
  if (!co) switchBranch(project.root, branch);
  const dir = co?.dir ?? project.root;
  // A failure on a branch this command switched to: what it wrote there goes (the flush too: history has it), then back.
  const switchBack = (failed = true) => {
    if (co || !startedOn || startedOn === branch) return;
    if (failed) discardChangesSince(project.root, AGENTS.dir, before);
    switchBranch(project.root, startedOn);
  };
  // Checks come from the base (the plan as written), never from the branch under judgement.
  const checksToRun = taskAt(project.root, plan.base, plan.task).checks;
  const checks = await checksOrRefuse(project, plan, dir, checksToRun, options, switchBack);
  let closed: Awaited<ReturnType<typeof closeOnBranch>>;
  try {
    closed = await closeAtomically(project, plan, dir, checks);
  } catch (error) {
    throw withSwitchBack(error, switchBack, startedOn);
  }
  const result: DoneResult = { id: plan.task.id, branch, commit: closed.commit, backfilled: closed.backfilled, checks, worktreePruned: plan.prunedWorktree };
  if (options.merge) {
    mergeTask(project, plan, closed.task.title, result);
    result.folded = await foldAfterMerge(project, result.merged!.dir);
  } else switchBack(false);
  result.checkout = safeBranch(project.root);
  return result;
}

/**
 * With `memory_fold_after` set, each merge folds the memory of the tasks it
 * pushed past that many finished tasks (usually one), in a commit of its own on
 * the base: memory stays bounded with no step to remember. A fold that fails
 * never fails the merge; it is said, and `baton memory compact` does it later.
 */
async function foldAfterMerge(project: Project, dir: string): Promise<DoneResult['folded']> {
  const after = project.config.memory_fold_after;
  if (!after) return undefined;
  try {
    const { compactMemory } = await import('./memory-compact.js');
    const r = await compactMemory({ ...project, root: dir, paths: agentsPaths(dir) }, { olderThan: after });
    return r.folded.length ? { ids: r.folded.map((f) => f.id), commit: r.committed?.commit } : undefined;
  } catch (error) {
    return { ids: [], error: error instanceof Error ? error.message : String(error) };
  }
}
