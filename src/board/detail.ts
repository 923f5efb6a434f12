/**
 * One task as its own branch sees it: the task file and memory from the
 * checkout or branch where it is worked on (`taskState`, as `done` and `pr`
 * read it), plus commits git has on the branch that memory does not list yet
 * (the hooks write a commit's entry at the next commit).
 */
import type { MemoryEntry } from '../memory/entry.js';
import type { Task } from '../core/task.js';
import { branchCommits, type CommitRecord } from '../git/task-branch.js';
import { summarizeUsage, type CostLine } from '../memory/usage.js';
import { safeBranch, type Project } from '../workspace/context.js';
import { isBookkeeping, taskBranchName, taskState } from '../tasks/checkout.js';
import { readMemory } from '../memory/file.js';
import type { Board, BoardTask } from './data.js';
import { lastPrompt, readReviews } from './data.js';
import { branchDiff, type BranchDiff } from '../git/diff.js';
import { AGENTS } from '../workspace/paths.js';
import { baseMemory, openChangeRequests } from '../memory/change-requests.js';

export interface TaskDetail {
  task: BoardTask;
  /** The task file's text as its branch has it. */
  there: Task;
  branch: string;
  /** Where task and memory were read from: a folder or a branch name. */
  from: string;
  onBranch: boolean;
  /** The branch is the one checked out where the board runs. */
  here: boolean;
  memory: MemoryEntry[];
  /** Commits on the unmerged branch with no `commit` entry in memory yet. */
  unrecorded: CommitRecord[];
  prompt?: string;
  cost: CostLine;
  reviews: string[];
  /** The unmerged branch's changes against the base, per file. */
  diff?: BranchDiff;
  /** A person's requests for changes that the branch has not answered yet. */
  requests: MemoryEntry[];
}

export function taskDetail(project: Project, board: Board, task: BoardTask): TaskDetail {
  const branch = taskBranchName(project, task);
  const onBranch = board.branches.has(branch);
  let there: Task = task;
  let memory: MemoryEntry[];
  let from = project.root;
  let unrecorded: CommitRecord[] = [];
  if (onBranch) {
    const state = taskState(project, task);
    there = state.task;
    memory = state.memory;
    from = state.from;
    const known = memory.filter((e) => e.kind === 'commit' && e.ref).map((e) => e.ref!);
    const recorded = (sha: string) => known.some((k) => k.startsWith(sha) || sha.startsWith(k));
    // baton's own Start/Log commits are no memory entries: not "unrecorded" either.
    unrecorded = branchCommits(project.root, 'HEAD', branch).filter((c) => !recorded(c.sha) && !isBookkeeping(c.files));
  } else {
    memory = readMemory(project.root, task.id).entries;
  }
  // Reviews by a person are written on the base: shown beside the branch's own memory.
  const onBase = onBranch ? baseMemory(project, task.id) : memory;
  const requests = openChangeRequests(memory, onBase);
  if (onBranch) {
    const seen = new Set(memory.map((e) => `${e.time} ${e.kind} ${e.ref ?? ''}`));
    memory = [...memory, ...onBase.filter((e) => e.kind === 'review' && !seen.has(`${e.time} ${e.kind} ${e.ref ?? ''}`))];
  }
  const diff = onBranch ? branchDiff(project.root, project.config.base_branch, branch, AGENTS.dir) : undefined;
  const dirs = task.worktree ? [task.worktree] : [];
  const reviews = readReviews(project)
    .filter((r) => r.text.includes(task.id))
    .map((r) => r.name);
  return {
    task, there, branch, from, onBranch, here: safeBranch(project.root) === branch, memory, unrecorded, reviews,
    prompt: lastPrompt(project, task.id, dirs),
    cost: summarizeUsage(memory).total,
    requests,
    ...(diff ? { diff } : {}),
  };
}
