/**
 * An agent is untrusted: it works in its worktree, and what it does outside
 * it (the base branch moved, files written into the main checkout) or to
 * baton's own files there (`.agents/` deleted) is found after it stops,
 * undone where baton can, and recorded as a `bug` of the attempt.
 */
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { commitPaths, gitRun, listWorktrees } from '../git/task-branch.js';
import { gitDirOf } from '../git/gitdir.js';
import { AGENTS } from '../workspace/paths.js';
import type { Task } from '../core/task.js';

export interface Watch {
  base: string;
  /** The base branch's tip before the agent ran. */
  baseTip?: string;
  /** The main checkout and its `git status` before, when the agent works elsewhere. */
  main?: { dir: string; status: Set<string> };
  /** The worktree's HEAD before the agent ran, and its branch (`refs/heads/…`). */
  head?: string;
  branch?: string;
}

export interface Finding {
  /** The body of a `bug` entry. */
  bug: string;
  /** Why the attempt fails, when it does. */
  failure?: string;
}

const revParse = (dir: string, rev: string) => {
  const r = gitRun(dir, ['rev-parse', '--verify', '-q', rev]);
  return r.code === 0 ? r.stdout.trim() : undefined;
};

/** `git status` entries (untracked files one by one), as a set to compare. */
function statusOf(dir: string): Set<string> {
  const r = gitRun(dir, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignore-submodules']);
  return new Set(r.stdout.split('\0').filter(Boolean));
}

export function watchBefore(root: string, dir: string, base: string): Watch {
  const mainDir = listWorktrees(root)[0]?.path;
  return {
    base,
    baseTip: revParse(root, `refs/heads/${base}`),
    main: mainDir && resolve(mainDir) !== resolve(dir) && existsSync(mainDir) ? { dir: mainDir, status: statusOf(mainDir) } : undefined,
    head: revParse(dir, 'HEAD'),
    branch: gitRun(dir, ['symbolic-ref', '-q', 'HEAD']).stdout.trim() || undefined,
  };
}

const revList = (root: string, range: string) => gitRun(root, ['rev-list', range]).stdout.split('\n').filter(Boolean);

/**
 * The base now holds commits of the task's own line (its branch's first parents since the base it
 * was watched from) that it did not hold before the run: the agent put its branch there. Commits
 * the branch brought in from the base (an agent told to `git merge main` while the merge queue
 * landed another task) sit on the branch's second parents, not its line, and are other tasks' work.
 */
function ownWorkOnBase(root: string, watch: Watch, was: string, now: string): boolean {
  if (!watch.branch) return false;
  const mine = gitRun(root, ['rev-list', '--first-parent', `${was}..${watch.branch}`]).stdout.split('\n').filter(Boolean);
  if (!mine.length) return false;
  const added = new Set(revList(root, `${was}..${now}`));
  return mine.some((sha) => added.has(sha));
}

/**
 * The base moved backwards or sideways, or forward onto the agent's own
 * commits: put back where it was. Other forward moves are other tasks'
 * merges and stay.
 */
export function restoreBase(root: string, watch: Watch): Finding | undefined {
  const { base, baseTip: was } = watch;
  if (!was) return undefined;
  const now = revParse(root, `refs/heads/${base}`);
  if (now === was) return undefined;
  const forward = now !== undefined && gitRun(root, ['merge-base', '--is-ancestor', was, now]).code === 0;
  // Forward is other tasks' merges, unless it brought this agent's own commits (it merged itself).
  if (forward && !ownWorkOnBase(root, watch, was, now)) return undefined;
  const how0 = forward ? 'onto its own commits, a merge no check approved' : 'not forward';
  const put = gitRun(root, ['update-ref', '-m', 'baton: the base put back after an agent moved it', `refs/heads/${base}`, was, ...(now ? [now] : [])]);
  const short = (sha?: string) => (sha ? sha.slice(0, 7) : '(deleted)');
  const how = put.code === 0 ? `baton put it back at ${short(was)}` : `baton could not put it back (${put.stderr.trim()}); restore it with \`git update-ref refs/heads/${base} ${was}\``;
  return {
    bug: `The agent moved \`${base}\` from ${short(was)} to ${short(now)} (${how0}) while it ran; ${how}. An agent must only work on its own branch.`,
    failure: `the agent moved \`${base}\` (${short(was)} → ${short(now)}); it was put back`,
  };
}

const BASE_POLL_MS = 1000;

/**
 * While the agent runs: the base's tip, looked at every second. Moved back or
 * sideways, it is put back at once and `signal` aborts (the agent is
 * stopped); `stop()` ends the watch and says what was found.
 */
export function guardBase(root: string, watch: Watch, inMain: <T>(fn: () => T) => Promise<T>): { signal: AbortSignal; stop: () => Promise<Finding | undefined> } {
  const abort = new AbortController();
  let found: Finding | undefined;
  let looking: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    looking = looking.then(async () => {
      if (found) return;
      found = await inMain(() => restoreBase(root, watch));
      if (found) abort.abort();
    });
  }, BASE_POLL_MS);
  return {
    signal: abort.signal,
    stop: async () => {
      clearInterval(timer);
      await looking;
      return found;
    },
  };
}

/** Files the agent wrote (or deleted) in the main checkout while it ran: recorded, left as they are for a person to look at. */
export function mainCheckoutWrites(watch: Watch): Finding | undefined {
  if (!watch.main) return undefined;
  const after = statusOf(watch.main.dir);
  const changed = [...after].filter((e) => !watch.main!.status.has(e)).concat([...watch.main.status].filter((e) => !after.has(e)).map((e) => `${e} (undone)`));
  if (!changed.length) return undefined;
  const shown = changed.slice(0, 10).map((e) => `\`${e.slice(3)}\` (${e.slice(0, 2).trim() || 'changed'})`).join(', ');
  return {
    bug: `While the agent ran, files changed outside its worktree, in the main checkout ${watch.main.dir}: ${shown}${changed.length > 10 ? ` and ${changed.length - 10} more` : ''} ` +
      '(the agent wrote there, unless a person did at the same time). They were left there for a person to look at (`git status` in that checkout).',
  };
}

/**
 * The agent deleted the task's own file (with `.agents/` or alone): baton's
 * files as they were before it started are put back and committed, so the
 * attempt can be recorded and the next one can start.
 */
export function restoreAgentsFolder(dir: string, task: Pick<Task, 'id' | 'path'>, watch: Watch): Finding | undefined {
  if (!watch.head || existsSync(join(dir, task.path))) return undefined;
  const listed = gitRun(dir, ['ls-tree', '-r', '-z', '--name-only', watch.head, '--', AGENTS.dir]);
  const missing = listed.stdout.split('\0').filter((p) => p && !existsSync(join(dir, p)));
  for (let i = 0; i < missing.length; i += 200) gitRun(dir, ['checkout', watch.head, '--', ...missing.slice(i, i + 200)]);
  commitPaths(dir, missing, `Restore ${AGENTS.dir}/ files the agent deleted\n\nTask: ${task.id}`);
  return {
    bug: `The agent deleted baton's files (${missing.length} under \`${AGENTS.dir}/\`, the task's own file among them); baton put them back as they were before the attempt.`,
    failure: `the agent deleted \`${AGENTS.dir}/\` files (the task's own among them); they were put back`,
  };
}

/**
 * After the agent was stopped (its process group and everything carrying its
 * token killed), an `index.lock` in its worktree's git dir is its own,
 * left half-way through a git command: removed, so the attempt can be
 * recorded. Returns the lock's path when there was one.
 */
export function removeStaleIndexLock(dir: string): string | undefined {
  let lock: string;
  try {
    lock = join(gitDirOf(dir), 'index.lock');
  } catch {
    return undefined;
  }
  if (!existsSync(lock)) return undefined;
  rmSync(lock, { force: true });
  return lock;
}
