/**
 * `baton start`: take a task. Its branch (or a worktree on it), the status
 * `in-progress` written on that branch, an `attempt` entry in its memory, and
 * a commit of those two files so the base branch sees the work in flight.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkExcerpt } from '../core/check-output.js';
import { BatonError } from '../core/errors.js';
import { waitingOn } from '../core/graph.js';
import { resolveTask } from '../core/ids.js';
import { isoNow } from '../memory/entry.js';
import type { Task } from '../core/task.js';
import {
  addWorktree, batonMessage, branchExists, changedTrackedFiles, commitPaths, createBranch, gitRun, showFile, switchBranch,
} from '../git/task-branch.js';
import { adoptPendingPrompt } from '../prompt/pending.js';
import { deleteBranch, headCommit, removeNewWorktree, switchBack } from '../git/undo.js';
import { appendMemory, readMemory } from '../memory/file.js';
import { agentsPaths, rel, AGENTS, isUnder } from '../workspace/paths.js';
import { loadTasksStrict, parseTaskText } from '../tasks/task-files.js';
import type { Project } from '../workspace/context.js';
import { safeBranch } from '../workspace/context.js';
import { checkoutOf, taskBranchName, worktreePath } from '../tasks/checkout.js';
import { updateTask } from '../tasks/write.js';
import { keepFiles, runUndo, type UndoList } from './undo-steps.js';
import { checkEnv } from './checks.js';
import { withCheckoutLock } from '../workspace/pid-lock.js';

export interface StartOptions {
  /** Work in a separate worktree instead of switching this checkout. */
  worktree?: boolean;
  /** Start even if the task is not ready (waits on others, or is done). */
  force?: boolean;
}

export interface StartResult {
  id: string;
  title: string;
  branch: string;
  /** The folder to work in: this checkout or the worktree. */
  dir: string;
  worktree: boolean;
  /** Whether the branch was created now (false: an earlier attempt's branch). */
  created: boolean;
  attempt: number;
  /** Short SHA of baton's commit on the branch. */
  commit?: string;
  setup?: string;
  /** How the base came into an earlier attempt's branch that was closed (merged, or done there). */
  baseBroughtIn?: 'fast-forward' | 'merge';
}

/** Paths baton itself writes inside this task's scope; they never count as "your uncommitted work". */
export function ownPaths(project: Project, task: Pick<Task, 'id' | 'path'>): string[] {
  return [task.path, rel(project.root, project.paths.memoryFile(task.id)), `${AGENTS.prompts}/${task.id}.md`];
}

function assertReady(task: Task, tasks: readonly Task[]): void {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  if (task.status === 'done' || task.status === 'cancelled') {
    throw new BatonError(`\`${task.id}\` is ${task.status}; there is nothing to start`, {
      file: task.path, line: task.lines.status,
      hint: `To work on it again anyway: \`baton start ${task.id} --force\`.`,
    });
  }
  if (task.status !== 'todo') return; // in progress, in review or blocked: a retry or a resume
  const waits = waitingOn(task, byId);
  if (waits.length) {
    const list = waits.map((d) => `\`${d}\` (${byId.get(d)?.status ?? 'missing'})`).join(', ');
    throw new BatonError(`\`${task.id}\` is not ready: it waits on ${list}`, {
      file: task.path, line: task.lines.depends_on,
      hint: `Finish those first (\`baton next\` lists the ready tasks), or start it anyway with \`baton start ${task.id} --force\`.`,
    });
  }
}

/**
 * The task's file and those of the tasks it waits on must be committed on the
 * base: a task branch made from the base would not have them, the base would
 * show the started task as missing, and its dependents would wait on nothing.
 */
function assertPlanCommitted(project: Project, task: Task, tasks: readonly Task[], base: string): void {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const onBase = safeBranch(project.root) === base;
  const dirty = onBase ? new Set(changedTrackedFiles(project.root)) : new Set<string>();
  const files = [task, ...task.depends_on.map((d) => byId.get(d)).filter((t): t is Task => t !== undefined)].map((t) => t.path);
  const problems = files.flatMap((path) => {
    if (showFile(project.root, base, path) === undefined) return [`\`${path}\` is not committed on \`${base}\``];
    return dirty.has(path) ? [`\`${path}\` has changes not committed on \`${base}\``] : [];
  });
  if (!problems.length) return;
  const list = files.filter((p, i) => problems.some((m) => m.startsWith(`\`${p}\``)) && files.indexOf(p) === i).map((p) => `'${p}'`).join(' ');
  throw new BatonError(`${problems.join('; ')}; \`baton start ${task.id}\` needs the plan in git`, {
    file: task.path,
    hint: `Commit them on \`${base}\` first: \`git switch ${base} && git add -- ${list} && git commit -m "Plan: ${task.id}" -- ${list}\``,
  });
}

function assertClean(project: Project, task: Task, branch: string): void {
  const mine = new Set(ownPaths(project, task));
  const dirty = changedTrackedFiles(project.root).filter((p) => !mine.has(p) && !isUnder(p, AGENTS.prompts));
  if (!dirty.length) return;
  const shown = dirty.slice(0, 5).map((p) => `\`${p}\``).join(', ');
  throw new BatonError(`uncommitted changes (${shown}${dirty.length > 5 ? ` and ${dirty.length - 5} more` : ''}) would be carried to \`${branch}\``, {
    hint: 'Commit or stash them first, or work in a separate folder with `--worktree`.',
  });
}

function runSetup(dir: string, command: string): void {
  const r = spawnSync('sh', ['-c', command], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: checkEnv() });
  if (r.status === 0) return;
  // Read as a check's output is: what says why, plain text.
  const tail = checkExcerpt(`${r.stdout ?? ''}${r.stderr ?? ''}`, { cwd: dir, max: 1500 }).split('\n').join('\n  ');
  throw new BatonError(`the worktree is ready in ${dir}, but its setup \`${command}\` failed (exit ${r.status ?? 'by signal'})`, {
    file: AGENTS.config,
    hint: `Fix \`worktree_setup\` or run it by hand in the worktree.${tail ? `\n  ${tail}` : ''}`,
  });
}

/**
 * A new attempt on an earlier attempt's branch that was closed (merged into
 * the base, or done there) starts from the base: the base is brought in (a
 * fast-forward when the branch was merged, else a merge), so the branch has
 * the current plan and the review that reopened the task, and `done --merge`
 * merges without conflict. A branch still in progress (a resume) is left as
 * it is. Chosen over a fresh attempt branch: the branch name stays the one the
 * task file, memory, hooks and pull request already know.
 */
function isAncestor(dir: string, older: string, newer: string): boolean {
  return gitRun(dir, ['merge-base', '--is-ancestor', older, newer]).code === 0;
}

function bringBaseIn(project: Project, task: Task, branch: string, dir: string, undo: UndoList): StartResult['baseBroughtIn'] {
  const base = project.config.base_branch;
  if (!branchExists(project.root, base) || isAncestor(dir, base, 'HEAD')) return undefined;
  const merged = isAncestor(dir, 'HEAD', base);
  const there = existsSync(join(dir, task.path)) ? parseTaskText(readFileSync(join(dir, task.path), 'utf8'), task.path).task : undefined;
  if (!merged && there?.status !== 'done' && there?.status !== 'cancelled') return undefined;
  const before = headCommit(dir)!;
  const r = merged
    ? gitRun(dir, ['merge', '--ff-only', '--quiet', base])
    : gitRun(dir, ['merge', '--no-edit', '--quiet', '-m', `Merge ${base} into ${branch}: a new attempt starts from the base\n\nTask: ${task.id}`, base]);
  if (r.code !== 0) {
    if (!merged) gitRun(dir, ['merge', '--abort']);
    throw new BatonError(`\`${branch}\` was closed and \`${base}\` could not be brought into it: ${(r.stdout + r.stderr).trim().split('\n').slice(-2).join(' ')}`, {
      hint: `Bring it in by hand (\`git switch ${branch} && git merge ${base}\`, resolve, commit), then run \`baton start ${task.id}\` again.`,
    });
  }
  undo.push(() => gitRun(dir, ['reset', '--quiet', '--keep', before]));
  return merged ? 'fast-forward' : 'merge';
}

/** The folder to work in: the checkout that has the branch, a new worktree, or this checkout switched to the branch. */
function openCheckout(project: Project, task: Task, branch: string, existed: boolean, options: StartOptions, undo: UndoList): { dir: string; worktree: boolean; setup?: string } {
  const base = project.config.base_branch;
  const co = checkoutOf(project, branch);
  if (co && (options.worktree || !co.worktree)) return co;
  if (co) {
    throw new BatonError(`\`${branch}\` is already checked out in ${co.dir}`, {
      hint: `Work there, or run \`baton start ${task.id} --worktree\`.`,
    });
  }
  if (options.worktree) {
    const path = worktreePath(project, task);
    if (existsSync(path)) {
      throw new BatonError(`cannot create the worktree: ${path} already exists`, {
        hint: 'Remove that folder, or set `worktree_dir` in .agents/config.yaml to another place.',
      });
    }
    if (!existed && showFile(project.root, base, task.path) === undefined) {
      throw new BatonError(`\`${task.path}\` is not committed on \`${base}\`, so a worktree would not have it`, {
        hint: `Commit it first: \`git add .agents && git commit -m "Plan ${task.id}"\`.`,
      });
    }
    addWorktree(project.root, path, branch, existed ? undefined : base);
    undo.push(() => {
      removeNewWorktree(project.root, path);
      if (!existed) deleteBranch(project.root, branch);
    });
    return { dir: path, worktree: true, setup: project.config.worktree_setup.trim() || undefined };
  }
  assertClean(project, task, branch);
  const from = { branch: safeBranch(project.root), commit: headCommit(project.root) };
  if (existed) switchBranch(project.root, branch);
  else createBranch(project.root, branch, base);
  undo.push(() => {
    if (switchBack(project.root, from.branch, from.commit) && !existed) deleteBranch(project.root, branch);
  });
  return { dir: project.root, worktree: false };
}

export async function startTask(project: Project, ref: string, options: StartOptions = {}): Promise<StartResult> {
  const tasks = loadTasksStrict(project.root);
  const task = resolveTask(tasks, ref);
  if (!options.force) assertReady(task, tasks);
  const branch = taskBranchName(project, task);
  const base = project.config.base_branch;
  const existed = branchExists(project.root, branch);
  if (!existed && !branchExists(project.root, base)) {
    throw new BatonError(`the base branch \`${base}\` does not exist`, {
      file: AGENTS.config, hint: 'Set `base_branch:` to the branch task branches start from (e.g. `master`).',
    });
  }
  assertPlanCommitted(project, task, tasks, base);
  // Everything that can be known is checked above; from here, a failure takes back every step.
  const undo: UndoList = [];
  let opened: ReturnType<typeof openCheckout> | undefined;
  let updated: Task;
  let attempt: number;
  let commit: string | undefined;
  let baseBroughtIn: StartResult['baseBroughtIn'];
  try {
    opened = openCheckout(project, task, branch, existed, options, undo);
    const { dir, worktree } = opened;
    if (existed) baseBroughtIn = bringBaseIn(project, task, branch, dir, undo);
    const here: Project = { ...project, root: dir, paths: agentsPaths(dir) };
    // One writer at a time in a checkout: a parallel `baton log` there would trip on git's index lock.
    ({ updated, attempt, commit } = await withCheckoutLock(dir, 'commit', async () => {
      keepFiles(dir, [...ownPaths(here, task), AGENTS.plan], undo);
      const updated = updateTask(here, task.id, { status: 'in-progress', branch });
      const attempt = readMemory(dir, task.id).entries.filter((e) => e.kind === 'attempt').length + 1;
      // Relative: memory is committed, and an absolute path would name one person's machine.
      const where = worktree ? ` in the worktree \`${relative(project.root, dir) || '.'}\`` : '';
      await appendMemory(dir, task.id, [{ time: isoNow(), kind: 'attempt', body: `Attempt ${attempt} on branch \`${branch}\`${where}.` }], updated.title);
      adoptPendingPrompt(project.root, dir, task.id); // a prompt read before the start goes onto the branch
      const paths = ownPaths(here, updated).filter((p) => existsSync(join(dir, p)));
      return { updated, attempt, commit: commitPaths(dir, paths, batonMessage(`Start ${task.id}: ${updated.title}`, 'start', task.id)) };
    }));
  } catch (error) {
    runUndo(undo);
    if (error instanceof BatonError) {
      throw new BatonError(`${error.message}; \`baton start\` was undone`, {
        file: error.file, line: error.line, cause: error,
        hint: `${error.hint ?? 'Fix the cause and run it again.'}\n  The branch, the index and baton's files are as they were before \`baton start ${task.id}\`.`,
      });
    }
    throw error;
  }
  const { dir, worktree, setup } = opened;
  if (setup) runSetup(dir, setup);
  return { id: task.id, title: updated.title, branch, dir, worktree, created: !existed, attempt, commit, setup, ...(baseBroughtIn ? { baseBroughtIn } : {}) };
}
