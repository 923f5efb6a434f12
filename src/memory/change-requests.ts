/**
 * A person's requests for changes on a task (`baton review-task --request-changes`,
 * the board): `review changes-requested` entries in its memory. Written on the
 * base; read by the prompt (which carries the open ones first) and by `auto`
 * (a branch with an open request is not finished work).
 */
import type { MemoryEntry } from './entry.js';
import { parseMemory, readMemory } from './file.js';
import { showFile } from '../git/task-branch.js';
import { safeBranch, type Project } from '../workspace/context.js';
import { AGENTS } from '../workspace/paths.js';

export const CHANGES_REQUESTED = 'changes-requested';

/**
 * Requests not answered yet, oldest first. `own`: the memory of the checkout
 * or branch where the work is, in file order (entries of the same second keep
 * the order they were written in); a request there is answered by a
 * successful result after it. `base`: the base's copy, where the request was
 * written; one the branch has not brought in yet is open (the work cannot
 * have answered what it never saw). The same entry read twice counts once.
 */
export function openChangeRequests(own: readonly MemoryEntry[], base: readonly MemoryEntry[] = []): MemoryEntry[] {
  const isRequest = (e: MemoryEntry) => e.kind === 'review' && e.ref === CHANGES_REQUESTED;
  const key = (e: MemoryEntry) => `${e.time}\n${e.body.trim()}`;
  const lastSuccess = own.findLastIndex((e) => e.kind === 'result' && e.ref === 'success');
  const known = new Set(own.filter(isRequest).map(key));
  const open = own.filter((e, i) => isRequest(e) && i > lastSuccess);
  const seen = new Set(open.map(key));
  for (const e of base) {
    if (!isRequest(e) || known.has(key(e)) || seen.has(key(e))) continue;
    seen.add(key(e));
    open.push(e);
  }
  return open.sort((a, b) => a.time.localeCompare(b.time));
}

/** A task's memory as the base branch has it (this checkout's file when it is on the base). */
export function baseMemory(project: Project, id: string): MemoryEntry[] {
  const base = project.config.base_branch;
  if (safeBranch(project.root) === base) return readMemory(project.root, id).entries;
  const text = showFile(project.root, base, `${AGENTS.memory}/${id}.md`);
  return text === undefined ? [] : parseMemory(text, id).entries;
}

/**
 * The memory the work's side has: this checkout's when it is on `branch`,
 * else the branch tip's (the base's own copy says nothing of what the branch
 * answered), else this checkout's.
 */
export function workMemory(project: Project, branch: string, id: string): MemoryEntry[] {
  if (safeBranch(project.root) !== branch) {
    const text = showFile(project.root, branch, `${AGENTS.memory}/${id}.md`);
    if (text !== undefined) return parseMemory(text, id).entries;
  }
  return readMemory(project.root, id).entries;
}

/**
 * Whether a person asked for changes on the work of `branch` that it has not
 * answered yet. Reads this checkout's memory file first: only when it holds a
 * request does it cost a look at the branch (one git call).
 */
export function changesRequested(project: Project, id: string, branch: string): boolean {
  const here = readMemory(project.root, id).entries;
  if (!here.some((e) => e.kind === 'review' && e.ref === CHANGES_REQUESTED)) return false;
  return openChangeRequests(workMemory(project, branch, id), here).length > 0;
}
