/**
 * The hooks' queue, in each worktree's own git dir (`<git-dir>/baton/`):
 * `queue-<branch>` lines `<sha> <task>` (post-commit, post-merge; the task is
 * `T-…`, `project`, or `tip` for a merged branch tip, recorded only where its
 * `Task:` trailer sends it) and `rewrites-<branch>` lines `<old> <new>`
 * (post-rewrite); `/` in a branch is `%`. test/faults-formats.test.ts pins
 * this format to what hooks/baton.sh writes.
 * The hooks in hooks/baton.sh write them; Node claims and empties them.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stateDirIn } from '../workspace/paths.js';

export function branchKey(branch: string): string {
  return branch.split('/').join('%');
}

export interface Queued {
  sha: string;
  task: string;
}

export interface Claim {
  queued: Queued[];
  /** old SHA → new SHA, in the order git reported them. */
  rewrites: [string, string][];
  /** Remove the claimed files (after the memory is written). */
  release(): void;
  /** Put the claimed lines back (when writing the memory failed). */
  restore(): void;
}

function linesOf(path: string): string[][] {
  return readFileSync(path, 'utf8').split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 2 && f[0]);
}

/** Files for this branch, including claims a failed or concurrent run left behind (`queue-<key>.<pid>`). */
function filesFor(queueDir: string, prefix: string): string[] {
  if (!existsSync(queueDir)) return [];
  return readdirSync(queueDir)
    .filter((n) => n === prefix || n.startsWith(`${prefix}.`))
    .map((n) => join(queueDir, n));
}

/** Take this branch's queue and rewrites: renamed first, so a commit made meanwhile starts a new queue. */
export function claimQueue(gitDir: string, branch: string): Claim {
  const dir = stateDirIn(gitDir);
  const key = branchKey(branch);
  const claimed: { path: string; original: string; kind: 'queue' | 'rewrites' }[] = [];
  for (const kind of ['queue', 'rewrites'] as const) {
    const prefix = `${kind}-${key}`;
    for (const path of filesFor(dir, prefix)) {
      const to = `${join(dir, prefix)}.claimed-${process.pid}-${claimed.length}`;
      try {
        renameSync(path, to);
        claimed.push({ path: to, original: join(dir, prefix), kind });
      } catch {
        /* taken by another flush */
      }
    }
  }
  const queued: Queued[] = [];
  const rewrites: [string, string][] = [];
  for (const c of claimed) {
    for (const [a, b] of linesOf(c.path)) {
      if (c.kind === 'queue') queued.push({ sha: a!, task: b! });
      else rewrites.push([a!, b!]);
    }
  }
  return {
    queued,
    rewrites,
    release: () => claimed.forEach((c) => rmSync(c.path, { force: true })),
    restore: () => claimed.forEach((c) => renameSync(c.path, `${c.original}.${process.pid}`)),
  };
}

/**
 * Everything queued in a git dir: what doctor counts as pending. With `branches`,
 * only the queues of those branches: a deleted branch's queue is never read again,
 * so what waits there is lost, not pending (its commits may be on the base).
 */
export function pendingShas(gitDir: string, branches?: ReadonlySet<string>): Set<string> {
  const dir = stateDirIn(gitDir);
  const out = new Set<string>();
  if (!existsSync(dir)) return out;
  const keys = branches && [...branches].map(branchKey);
  const live = (name: string, kind: string) => !keys || keys.some((k) => name === `${kind}-${k}` || name.startsWith(`${kind}-${k}.`));
  for (const name of readdirSync(dir).filter((n) => live(n, n.split('-', 1)[0]!))) {
    if (name.startsWith('queue-')) for (const [sha] of linesOf(join(dir, name))) out.add(sha!);
    if (name.startsWith('rewrites-')) for (const [, sha] of linesOf(join(dir, name))) out.add(sha!);
  }
  return out;
}

/** Follow old → new chains (amend after amend) to the SHA that is current. */
export function finalSha(rewrites: ReadonlyMap<string, string>, sha: string): string {
  let current = sha;
  for (let i = 0; i < 1000 && rewrites.has(current); i++) current = rewrites.get(current)!;
  return current;
}
