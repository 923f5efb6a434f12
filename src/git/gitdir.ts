/**
 * Find a checkout's root and git directory with the file system alone: the
 * hot commands must not spawn git or load simple-git just to know where they are.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The folder for baton's own state inside a git dir: locks, caches, the hooks' files. Never tracked. */
export const STATE_DIR = 'baton';

export function findRepoRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The worktree's own git dir (`.git`, or what a worktree's `.git` file points to). */
export function gitDirOf(root: string): string {
  const dotGit = join(root, '.git');
  if (statSync(dotGit).isDirectory()) return dotGit;
  const line = readFileSync(dotGit, 'utf8').trim();
  const target = line.replace(/^gitdir:\s*/, '');
  return resolve(root, target);
}

/** The common git dir shared by all worktrees (where hooks and refs live). */
export function commonGitDirOf(root: string): string {
  const gitDir = gitDirOf(root);
  const common = join(gitDir, 'commondir');
  if (!existsSync(common)) return gitDir;
  return resolve(gitDir, readFileSync(common, 'utf8').trim());
}

/** The current branch name, read from HEAD; undefined when detached. */
export function currentBranch(root: string): string | undefined {
  const head = readFileSync(join(gitDirOf(root), 'HEAD'), 'utf8').trim();
  return head.startsWith('ref: refs/heads/') ? head.slice('ref: refs/heads/'.length) : undefined;
}

/**
 * A clone whose history stops short (`git clone --depth`, what CI checks out) or
 * is cut by grafts: a commit git does not see may still exist, beyond the cut.
 * Read from the git dir alone (`shallow`, `info/grafts`).
 */
export function truncatedHistory(root: string): 'shallow' | 'grafted' | undefined {
  try {
    const common = commonGitDirOf(root);
    if (existsSync(join(common, 'shallow'))) return 'shallow';
    if (existsSync(join(common, 'info', 'grafts'))) return 'grafted';
  } catch {
    /* not a checkout: nothing is cut */
  }
  return undefined;
}

/** The main checkout of the repository `root` belongs to (a worktree's too); `root` itself when the git dir is elsewhere. */
export function mainCheckoutOf(root: string): string {
  const common = commonGitDirOf(root);
  return basename(common) === '.git' ? dirname(common) : resolve(root);
}

/** currentBranch, or undefined when HEAD cannot be read (no checkout here). */
export function safeBranch(root: string): string | undefined {
  try {
    return currentBranch(root);
  } catch {
    return undefined;
  }
}
