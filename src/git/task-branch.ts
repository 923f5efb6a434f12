/**
 * Git for the task loop: branches, worktrees, baton's own commits and merges.
 * Each call is `git <args>` run synchronously (the CLI does one thing at a
 * time here, and exit codes matter: `merge-tree` says "conflict" with exit 1).
 * Parsers of git's output are pure functions, exported for tests.
 */
import { BatonError } from '../core/errors.js';
import { gitSaid, runGit, type GitOutput } from './run.js';
import { BATON_COMMIT_TRAILER, isBatonPath } from './history.js';

/**
 * The message of one of baton's own commits (Start, Log, Done, Plan, ...): its
 * `Baton-Commit:` trailer keeps it out of memory's `commit` entries (the hooks'
 * awk and src/git/history.ts read it), beside the `Task:` trailer when there is a task.
 */
export function batonMessage(subject: string, kind: string, task?: string): string {
  return `${subject}\n\n${task ? `Task: ${task}\n` : ''}${BATON_COMMIT_TRAILER}: ${kind}`;
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Any exit code is an answer here: the caller reads it (see src/git/run.ts). */
export function gitRun(cwd: string, args: string[], input?: string): GitResult {
  return runGit(cwd, { args, input, codes: 'any', parse: (o: GitOutput) => ({ code: o.code, stdout: o.stdout, stderr: o.stderr }) });
}

function gitOk(cwd: string, args: string[], input?: string): string {
  const r = gitRun(cwd, args, input);
  if (r.code !== 0) {
    throw new BatonError(`\`git ${args.join(' ')}\` failed: ${gitSaid(r.stderr || r.stdout)}`, {
      hint: 'Fix what git reports above and run the command again.',
    });
  }
  return r.stdout;
}

export function branchExists(root: string, name: string): boolean {
  return gitRun(root, ['show-ref', '--verify', '--quiet', `refs/heads/${name}`]).code === 0;
}

/** Tracked files with staged or unstaged changes (untracked files are not counted: switching keeps them). */
export function changedTrackedFiles(root: string): string[] {
  return parseStatusZ(gitOk(root, ['status', '--porcelain', '-z', '--untracked-files=no']));
}

/** `git status --porcelain -z` → paths (renames give the new path). */
export function parseStatusZ(text: string): string[] {
  const parts = text.split('\0');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.length < 4) continue;
    out.push(p.slice(3));
    if (p[0] === 'R' || p[0] === 'C') i++; // the original path follows
  }
  return out;
}

/** Changed or new files below `dir` (relative to the checkout at `root`). */
export function changedUnder(root: string, dir: string): string[] {
  return parseStatusZ(gitOk(root, ['status', '--porcelain', '-z', '--untracked-files=all', '--', dir]));
}

export function switchBranch(root: string, name: string): void {
  gitOk(root, ['switch', '--quiet', name]);
}

export function createBranch(root: string, name: string, from: string): void {
  gitOk(root, ['switch', '--quiet', '-c', name, from]);
}

export interface Worktree {
  path: string;
  head?: string;
  /** Short branch name, when one is checked out there. */
  branch?: string;
}

export function listWorktrees(root: string): Worktree[] {
  return parseWorktrees(gitOk(root, ['worktree', 'list', '--porcelain']));
}

/** `git worktree list --porcelain` → worktrees. */
export function parseWorktrees(text: string): Worktree[] {
  const out: Worktree[] = [];
  for (const block of text.split(/\n\n+/)) {
    const wt: Partial<Worktree> = {};
    for (const line of block.split('\n')) {
      if (line.startsWith('worktree ')) wt.path = line.slice('worktree '.length);
      else if (line.startsWith('HEAD ')) wt.head = line.slice(5);
      else if (line.startsWith('branch refs/heads/')) wt.branch = line.slice('branch refs/heads/'.length);
    }
    if (wt.path) out.push(wt as Worktree);
  }
  return out;
}

/** Worktrees git still lists whose folder is gone (removed with `rm -rf`, not `git worktree remove`). */
export function missingWorktrees(root: string): Worktree[] {
  const { existsSync } = process.getBuiltinModule('node:fs');
  return listWorktrees(root).slice(1).filter((w) => !existsSync(w.path));
}

/** Forget worktrees whose folder is gone (`git worktree prune`): their branches stay. */
export function pruneWorktrees(root: string): void {
  gitOk(root, ['worktree', 'prune']);
}

export function addWorktree(root: string, path: string, branch: string, from?: string): void {
  gitOk(root, from ? ['worktree', 'add', '--quiet', '-b', branch, path, from] : ['worktree', 'add', '--quiet', path, branch]);
}

export function removeWorktree(root: string, path: string): void {
  gitOk(root, ['worktree', 'remove', path]);
}

/**
 * Commit exactly these paths (whatever else is staged stays staged and out of
 * the commit). Returns the short SHA, or undefined when they had no changes.
 */
export function commitPaths(cwd: string, paths: string[], message: string): string | undefined {
  if (!paths.length) return undefined;
  gitOk(cwd, ['add', '--', ...paths]);
  const changed = gitRun(cwd, ['diff', '--cached', '--quiet', '--', ...paths]).code !== 0;
  if (!changed) return undefined;
  gitOk(cwd, ['commit', '--quiet', '-m', message, '--', ...paths]);
  return gitOk(cwd, ['rev-parse', '--short=7', 'HEAD']).trim();
}

/**
 * baton's own commits at the tip of the checked-out branch whose kind is in
 * `kinds` (e.g. Log commits waiting for Done), newest first, with the files
 * they changed: none when one touches anything but baton's files, or is in
 * another ref (pushed, or another branch has it), so rewriting them is safe.
 */
function foldableTip(cwd: string, kinds: readonly string[]): { parent: string; files: string[] } | undefined {
  const r = gitRun(cwd, ['-c', 'core.quotePath=false', 'log', '-n', '20', '--first-parent', '--name-only',
    `--format=%x1e%H%x1f%P%x1f%(trailers:key=${BATON_COMMIT_TRAILER},valueonly,separator=%x20)`, 'HEAD']);
  if (r.code !== 0) return undefined;
  let parent: string | undefined;
  let oldest: string | undefined;
  const files = new Set<string>();
  for (const block of r.stdout.split('\x1e').filter((b) => b.trim())) {
    const [head = '', ...paths] = block.split('\n');
    const [sha = '', parents = '', kind = ''] = head.split('\x1f');
    const changed = paths.filter(Boolean);
    const own = kinds.includes(kind.trim()) && parents.split(' ').length === 1 && changed.length > 0 && changed.every(isBatonPath);
    if (!own) break;
    oldest = sha;
    parent = parents.trim();
    for (const f of changed) files.add(f);
  }
  if (!oldest || !parent) return undefined;
  const head = gitRun(cwd, ['symbolic-ref', '-q', 'HEAD']).stdout.trim();
  const holders = gitRun(cwd, ['for-each-ref', '--contains', oldest, '--format=%(refname)']).stdout.split('\n').filter(Boolean);
  if (!head || holders.some((ref) => ref !== head)) return undefined;
  return { parent, files: [...files] };
}

/**
 * `commitPaths`, folding baton's own commits of `kinds` at the branch tip
 * into this one (a Log commit goes into the Done commit that follows it), so
 * an attempt reaches the base with one commit of baton's after the work.
 */
export function commitPathsFolding(cwd: string, paths: string[], message: string, kinds: readonly string[]): string | undefined {
  const fold = foldableTip(cwd, kinds);
  if (!fold) return commitPaths(cwd, paths, message);
  const tip = gitOk(cwd, ['rev-parse', 'HEAD']).trim();
  gitOk(cwd, ['reset', '--quiet', '--soft', fold.parent]);
  try {
    return commitPaths(cwd, [...new Set([...paths, ...fold.files])], message) ?? undefined;
  } catch (error) {
    gitRun(cwd, ['reset', '--quiet', '--soft', tip]); // as it was: the folded commits are the tip again
    throw error;
  }
}

/**
 * Files that would conflict if `branch` were merged into `base`, computed
 * without touching any checkout (`git merge-tree --write-tree`, git ≥ 2.38).
 */
export function mergeConflicts(root: string, base: string, branch: string): string[] {
  const r = gitRun(root, ['merge-tree', '--write-tree', '--name-only', '--no-messages', base, branch]);
  if (r.code === 0) return [];
  if (r.code === 1) return [...new Set(r.stdout.split('\n').slice(1).filter(Boolean))];
  throw new BatonError(`could not test the merge of \`${branch}\` into \`${base}\`: ${r.stderr.trim()}`, {
    hint: 'baton needs git 2.38 or newer (`git --version`).',
  });
}

/** The commit each of these local branches points at (missing branches are left out). One git call. */
export function branchTips(root: string, branches: readonly string[]): Map<string, string> {
  const tips = new Map<string, string>();
  if (!branches.length) return tips;
  const r = gitRun(root, ['for-each-ref', '--format=%(objectname) %(refname)', ...branches.map((b) => `refs/heads/${b}`)]);
  for (const line of r.stdout.split('\n')) {
    const m = /^([0-9a-f]{40,64}) refs\/heads\/(.+)$/.exec(line);
    if (m) tips.set(m[2]!, m[1]!);
  }
  return tips;
}

/** Every local branch, by name (`refs/heads/…`), in one git call. */
export function localBranches(root: string): Set<string> {
  const r = gitRun(root, ['for-each-ref', '--format=%(refname)', 'refs/heads']);
  return new Set(r.stdout.split('\n').filter((l) => l.startsWith('refs/heads/')).map((l) => l.slice('refs/heads/'.length)));
}

/** Merge `branch` into the checked-out branch at `cwd` and commit, with the extra paths `prepare` writes. */
export function mergeInto(cwd: string, branch: string, message: string, prepare: () => string[]): string {
  const r = gitRun(cwd, ['merge', '--no-ff', '--no-commit', branch]);
  if (r.code !== 0) {
    gitRun(cwd, ['merge', '--abort']);
    throw new BatonError(`merging \`${branch}\` failed: ${gitSaid(r.stdout + r.stderr)}`, {
      hint: 'The merge was undone. Merge the branch by hand (`git merge` and resolve), then run `baton done` again.',
    });
  }
  const extra = prepare();
  if (extra.length) gitOk(cwd, ['add', '--', ...extra]);
  gitOk(cwd, ['commit', '--quiet', '--no-edit', '-m', message]);
  return gitOk(cwd, ['rev-parse', '--short=7', 'HEAD']).trim();
}

export interface CommitRecord {
  sha: string;
  subject: string;
  /** Committer time, ISO UTC to the second (empty when unknown). */
  time: string;
  files: { path: string; added: string; deleted: string }[];
}

/**
 * NUL before each record (git refuses a NUL in a message, so no message can
 * start a record); the fields git writes itself first, the message's after.
 */
const LOG_FORMAT = '--format=%x00%H%x1f%ct%x1f%s%x1f%B%x1f';

/** Commits on `branch` that are not on `base`, oldest first. */
export function branchCommits(root: string, base: string, branch: string): CommitRecord[] {
  const r = gitRun(root, ['log', '--reverse', '--no-merges', '--numstat', LOG_FORMAT, `${base}..${branch}`]);
  return r.code === 0 ? parseLog(r.stdout) : [];
}

/** Commits anywhere with a `Task: <id>` trailer, oldest first. */
export function trailerCommits(root: string, id: string): CommitRecord[] {
  const r = gitRun(root, ['log', '--all', '--reverse', '--no-merges', '--numstat', '-E', `--grep=^Task: ${id}$`, LOG_FORMAT]);
  return r.code === 0 ? parseLog(r.stdout) : [];
}

/** Output of `git log --numstat` with LOG_FORMAT → records. Pure. */
export function parseLog(text: string): CommitRecord[] {
  const out: CommitRecord[] = [];
  for (const chunk of text.split('\0').slice(1)) {
    const fields = chunk.split('\x1f');
    const [sha = '', seconds = '', subject = ''] = fields;
    // numstat follows the last separator; a subject or body may hold the separator too.
    const stat = fields.length >= 5 ? fields[fields.length - 1]! : '';
    const time = seconds ? new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') : '';
    const files = stat
      .split('\n')
      .map((l) => /^(\d+|-)\t(\d+|-)\t(.+)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ added: m[1]!, deleted: m[2]!, path: m[3]! }));
    out.push({ sha: sha.slice(0, 7), subject, time, files });
  }
  return out;
}

/** Local task branches (`refs/heads/<prefix>…`) not merged into `base`, known-merged tips cached. */
export { unmergedBranches } from './merged-tips.js';

/** The text of `<rev>:<path>`, or undefined when it does not exist there. */
export function showFile(root: string, rev: string, path: string): string | undefined {
  const r = gitRun(root, ['show', `${rev}:${path}`]);
  return r.code === 0 ? r.stdout : undefined;
}
