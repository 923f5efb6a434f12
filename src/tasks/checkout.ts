/**
 * Where a task lives in git: its branch name, the checkout (the main one or a
 * worktree) that has the branch checked out, and its memory and commits read
 * from wherever they are (the checkout, else the branch, else history).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { mainCheckoutOf } from '../git/gitdir.js';
import type { MemoryEntry } from '../memory/entry.js';
import { slugify, type Task } from '../core/task.js';
import { branchCommits, branchExists, listWorktrees, showFile, trailerCommits, type CommitRecord } from '../git/task-branch.js';
import { parseMemory, readMemory } from '../memory/file.js';
import { commitEntryFiles } from '../memory/commit-files.js';
import { foldCommits } from '../memory/compact.js';
import { rel, AGENTS, isUnder } from '../workspace/paths.js';
import { parseTaskText } from './task-files.js';
import { safeBranch, type Project } from '../workspace/context.js';

export function taskBranchName(project: Project, task: Pick<Task, 'id' | 'title' | 'branch'>): string {
  return task.branch ?? `${project.config.branch_prefix}${task.id}-${slugify(task.title)}`;
}

/**
 * Where `start --worktree` puts a task's worktree: `worktree_dir` from the
 * main checkout (the same place whichever worktree runs it), `{repo}` in it
 * being that checkout's folder name.
 */
export function worktreePath(project: Project, task: Pick<Task, 'id' | 'title'>): string {
  const main = mainCheckoutOf(project.root);
  return resolve(main, project.config.worktree_dir.replaceAll('{repo}', basename(main)), `${task.id}-${slugify(task.title)}`);
}

/** The folder where `branch` is checked out: this checkout first, else a worktree; undefined when nowhere. */
export function checkoutOf(project: Project, branch: string): { dir: string; worktree: boolean } | undefined {
  if (safeBranch(project.root) === branch) return { dir: project.root, worktree: false };
  const wt = listWorktrees(project.root).find((w) => w.branch === branch);
  if (!wt) return undefined;
  return { dir: wt.path, worktree: resolve(wt.path) !== resolve(project.root) };
}

/** A task's memory: from this checkout when it has any, else from the task's branch. */
export function taskMemory(project: Project, task: Task): MemoryEntry[] {
  const local = readMemory(project.root, task.id).entries;
  if (local.length) return local;
  const branch = taskBranchName(project, task);
  if (!branchExists(project.root, branch)) return local;
  const path = rel(project.root, project.paths.memoryFile(task.id));
  const text = showFile(project.root, branch, path);
  return text === undefined ? local : parseMemory(text, task.id).entries;
}

export { commitEntryFiles } from '../memory/commit-files.js';

/**
 * The task's commits: the `commit` entries of its memory (written by the
 * hooks), or when there are none (hooks off), git's history: commits with a
 * `Task:` trailer and the branch's commits not on the base.
 */
export function taskCommits(project: Project, task: Task, memory: MemoryEntry[] = taskMemory(project, task)): CommitRecord[] {
  // A folded task's commits are listed by its fold (memory/compact.ts), with the files they touched.
  const fromMemory = memory.flatMap((e): CommitRecord[] => e.kind === 'fold' ? foldCommits(e)
    : e.kind === 'commit' && e.ref ? [{ sha: e.ref, subject: e.body.split('\n')[0] ?? '', time: e.time, files: commitEntryFiles(e) }] : []);
  if (fromMemory.length) return fromMemory;
  const seen = new Set<string>();
  const out: CommitRecord[] = [];
  const branch = taskBranchName(project, task);
  const fromBranch = branchExists(project.root, branch) ? branchCommits(project.root, project.config.base_branch, branch) : [];
  for (const c of [...trailerCommits(project.root, task.id), ...fromBranch]) {
    if (seen.has(c.sha)) continue;
    seen.add(c.sha);
    out.push(c);
  }
  return out;
}

/** baton's own Start/Log/Done commits touch only `.agents/`: true to memory, noise in a summary. */
export function isBookkeeping(files: readonly { path: string }[]): boolean {
  return files.length > 0 && files.every((f) => isUnder(f.path, AGENTS.dir));
}

/** Files a task's commits touched, in first-touched order, without baton's own files. */
export function touchedFiles(commits: CommitRecord[]): string[] {
  const files = new Set<string>();
  for (const c of commits) for (const f of c.files) if (!isUnder(f.path, AGENTS.dir)) files.add(f.path);
  return [...files];
}

/**
 * A task as its own branch sees it (file and memory): from the checkout that
 * has the branch, else from the branch tip, else from this checkout.
 */
export function taskState(project: Project, task: Task): { task: Task; memory: MemoryEntry[]; from: string } {
  const branch = taskBranchName(project, task);
  const co = checkoutOf(project, branch);
  if (co) {
    const text = readFileSafe(join(co.dir, task.path));
    const there = text === undefined ? task : (parseTaskText(text, task.path).task ?? task);
    return { task: there, memory: readMemory(co.dir, task.id).entries, from: co.dir };
  }
  if (branchExists(project.root, branch)) {
    const text = showFile(project.root, branch, task.path);
    const there = text === undefined ? task : (parseTaskText(text, task.path).task ?? task);
    const mem = showFile(project.root, branch, rel(project.root, project.paths.memoryFile(task.id)));
    return { task: there, memory: mem === undefined ? [] : parseMemory(mem, task.id).entries, from: branch };
  }
  return { task, memory: readMemory(project.root, task.id).entries, from: project.root };
}

function readFileSafe(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}
