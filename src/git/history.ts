/**
 * Commits as data: what the hooks' Node side (flush, rebuild, doctor) reads
 * from history. Entry text comes from the same sh + awk the hooks run, so a
 * rebuilt entry is byte for byte what the hook wrote.
 */
import { spawn } from 'node:child_process';
import { simpleGit } from 'simple-git';

export interface CommitRef {
  sha: string;
  parents: string[];
  /** The commit's `Task:` trailer, when it has one. */
  task?: string;
}

const TRAILER_TASK_RE = /^T-[0-9a-f]+$/;

/** Pure: the output of `git log --format=%H%x1f%P%x1f%(trailers…)`. */
export function parseCommitRefs(output: string): CommitRef[] {
  return output
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sha = '', parents = '', trailers = ''] = line.split('\x1f');
      const first = trailers.trim().split(/\s+/)[0] ?? '';
      return { sha, parents: parents.split(' ').filter(Boolean), task: TRAILER_TASK_RE.test(first) ? first : undefined };
    });
}

/** Commits selected by `revs` (e.g. `['HEAD', '--not', 'main']`), oldest first. */
export async function listCommits(root: string, revs: string[]): Promise<CommitRef[]> {
  const out = await simpleGit(root).raw([
    'log', '--topo-order', '--reverse', '--format=%H%x1f%P%x1f%(trailers:key=Task,valueonly,separator=%x20)', ...revs, '--',
  ]);
  return parseCommitRefs(out);
}

/** These commits alone (no history walk), in the order given; unknown SHAs are left out. */
export async function commitRefs(root: string, shas: string[]): Promise<CommitRef[]> {
  if (!shas.length) return [];
  try {
    const out = await simpleGit(root).raw([
      'log', '--no-walk=unsorted', '--format=%H%x1f%P%x1f%(trailers:key=Task,valueonly,separator=%x20)', ...shas, '--',
    ]);
    return parseCommitRefs(out);
  } catch {
    return []; // a SHA rewritten away: the caller treats it as not in history
  }
}

/** The full SHA of a commit-ish, or undefined when there is none. */
export async function resolveCommit(root: string, ref: string): Promise<string | undefined> {
  try {
    return (await simpleGit(root).raw(['rev-parse', '-q', '--verify', `${ref}^{commit}`])).trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function isAncestor(root: string, sha: string, of = 'HEAD'): Promise<boolean> {
  try {
    await simpleGit(root).raw(['merge-base', '--is-ancestor', sha, of]);
    return true;
  } catch {
    return false;
  }
}

/** The parents of the first commit that added `path` (the history baton knows about starts there). */
export async function commitsBefore(root: string, path: string): Promise<string[]> {
  const out = await simpleGit(root).raw(['log', '--diff-filter=A', '--format=%H %P', '--', path]);
  const lines = out.trim().split('\n').filter(Boolean);
  const first = lines[lines.length - 1];
  return first ? first.split(' ').slice(1) : [];
}

export async function gitPath(root: string, name: string): Promise<string> {
  return (await simpleGit(root).raw(['rev-parse', '--path-format=absolute', '--git-path', name])).trim();
}

export async function commonGitDir(root: string): Promise<string> {
  return (await simpleGit(root).raw(['rev-parse', '--path-format=absolute', '--git-common-dir'])).trim();
}

export async function stageFiles(root: string, files: string[]): Promise<void> {
  if (files.length) await simpleGit(root).raw(['add', '--', ...files]);
}

/** Worktree roots of the repository (`git worktree list`). */
export async function worktreeRoots(root: string): Promise<string[]> {
  const out = await simpleGit(root).raw(['worktree', 'list', '--porcelain']);
  return out.split('\n').filter((l) => l.startsWith('worktree ')).map((l) => l.slice('worktree '.length));
}

/**
 * Formatted memory entries of `shas`, one after another, made by the hooks'
 * own `baton_entries` (sh + awk in the package's hooks/ folder).
 */
export function commitEntriesText(root: string, shas: string[], pkg: string): Promise<string> {
  if (!shas.length) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', '. "$baton_pkg/hooks/baton.sh" && baton_entries'], {
      cwd: root,
      env: { ...process.env, baton_pkg: pkg },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(`git log failed: ${Buffer.concat(err).toString().trim()}`)),
    );
    child.stdin.end(shas.map((s) => `${s}\n`).join(''));
  });
}

/** Local branches under the task prefix (`task/…`). */
export async function taskBranches(root: string, prefix: string): Promise<string[]> {
  const out = await simpleGit(root).raw(['for-each-ref', '--format=%(refname:short)', `refs/heads/${prefix}`]);
  return out.split('\n').filter(Boolean);
}
