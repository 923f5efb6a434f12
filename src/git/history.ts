/**
 * Commits as data: what the hooks' Node side (flush, rebuild, doctor) reads
 * from history. Entry text comes from the same sh + awk the hooks run, so a
 * rebuilt entry is byte for byte what the hook wrote.
 */
import { spawn } from 'node:child_process';
import { lines, runGit, text, type GitTask } from './run.js';

export interface CommitRef {
  sha: string;
  parents: string[];
  /** The commit's `Task:` trailer, when it has one. */
  task?: string;
  /** Its `Baton-Commit:` trailer: baton's own bookkeeping (Start, Log, Done, Plan), when it touches only `.agents/`. */
  baton?: string;
}

/** The trailer that marks baton's own commits; hooks/format-entries.awk knows it too. */
export const BATON_COMMIT_TRAILER = 'Baton-Commit';

/** Files `baton init` writes beside `.agents/`: the agents' pointer files and husky's tracked hooks (baton_own in format-entries.awk names the same). */
const INIT_FILES = new Set(['AGENTS.md', '.gitattributes', 'CLAUDE.md', 'GEMINI.md', '.cursor/rules/baton.mdc', '.github/copilot-instructions.md']);

/** The agent hosts' baton commands `baton init --agents` writes (src/workflow/agent-hosts.ts). */
const HOST_COMMAND_FILE = /^(\.claude\/commands\/baton-[a-z]+\.md|\.gemini\/commands\/baton\/[a-z]+\.toml|\.github\/prompts\/baton-[a-z]+\.prompt\.md|\.cursor\/commands\/baton-[a-z]+\.md)$/;

/** The files baton's own commits may touch: `.agents/`, and what `baton init` writes beside it. */
export function isBatonPath(path: string): boolean {
  return path.startsWith('.agents/') || INIT_FILES.has(path) || /^\.husky\/[a-z-]+$/.test(path) || HOST_COMMAND_FILE.test(path);
}

const TRAILER_TASK_RE = /^T-[0-9a-f]+$/;

/** Pure: the output of `git log --format=%H%x1f%P%x1f%(trailers…)`. */
export function parseCommitRefs(output: string): CommitRef[] {
  return output
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sha = '', parents = '', trailers = '', own = ''] = line.split('\x1f');
      const first = trailers.trim().split(/\s+/)[0] ?? '';
      const kind = own.trim().split(/\s+/)[0] ?? '';
      return {
        sha, parents: parents.split(' ').filter(Boolean), task: TRAILER_TASK_RE.test(first) ? first : undefined,
        ...(/^[a-z]+$/.test(kind) ? { baton: kind } : {}),
      };
    });
}

const REF_FORMAT = `--format=%H%x1f%P%x1f%(trailers:key=Task,valueonly,separator=%x20)%x1f%(trailers:key=${BATON_COMMIT_TRAILER},valueonly,separator=%x20)`;

/** Git calls as data (arguments + a pure parser), run by `runGit`. */
export const tasks = {
  listCommits: (revs: string[]): GitTask<CommitRef[]> => ({
    args: ['log', '--topo-order', '--reverse', REF_FORMAT, ...revs, '--'], parse: (o) => parseCommitRefs(o.stdout),
  }),
  /** `--no-walk` fails on an unknown SHA: each is asked alone only then (rare). */
  commitRefs: (shas: string[]): GitTask<CommitRef[]> => ({
    args: ['log', '--no-walk=unsorted', REF_FORMAT, ...shas, '--'], codes: [0, 128], parse: (o) => (o.code === 0 ? parseCommitRefs(o.stdout) : []),
  }),
  /** Exit 1 with `-q --verify`: no such commit. */
  resolveCommit: (ref: string): GitTask<string | undefined> => ({
    args: ['rev-parse', '-q', '--verify', `${ref}^{commit}`], codes: [0, 1, 128], parse: (o) => (o.code === 0 ? o.stdout.trim() || undefined : undefined),
  }),
  /** Exit 0: an ancestor; 1: not one; 128: an unknown commit (not in history either). */
  isAncestor: (sha: string, of: string): GitTask<boolean> => ({
    args: ['merge-base', '--is-ancestor', sha, of], codes: [0, 1, 128], parse: (o) => o.code === 0,
  }),
  /** Undefined: no commit of HEAD's history added `path`. */
  commitsBefore: (path: string): GitTask<string[] | undefined> => ({
    args: ['log', '--diff-filter=A', '--format=%H %P', '--', path],
    parse: (o) => {
      const first = lines(o.stdout).pop();
      // A root commit has no parents: `%P` is empty, and an empty revision would make git fail.
      return first ? first.split(' ').slice(1).filter(Boolean) : undefined;
    },
  }),
  /** `<sha>` lines, each followed by the paths that commit changed (first parent). */
  changedPaths: (shas: string[]): GitTask<Map<string, string[]>> => ({
    // On stdin: a long history holds thousands of baton's commits, more than a command line takes.
    args: ['-c', 'core.quotePath=false', 'log', '--stdin', '--no-walk=unsorted', '--format=%x1e%H', '--name-only', '--diff-merges=first-parent'],
    input: shas.map((s) => `${s}\n`).join(''),
    parse: (o) => new Map(o.stdout.split('\x1e').filter((b) => b.trim()).map((b) => {
      const [sha = '', ...paths] = lines(b);
      return [sha, paths.filter(Boolean)];
    })),
  }),
  gitPath: (name: string) => text(['rev-parse', '--path-format=absolute', '--git-path', name]),
  commonGitDir: () => text(['rev-parse', '--path-format=absolute', '--git-common-dir']),
  stage: (files: string[]) => text(['add', '--', ...files]),
  worktreeRoots: (): GitTask<string[]> => ({
    args: ['worktree', 'list', '--porcelain'],
    parse: (o) => lines(o.stdout).filter((l) => l.startsWith('worktree ')).map((l) => l.slice('worktree '.length)),
  }),
  taskBranches: (prefix: string): GitTask<string[]> => ({
    args: ['for-each-ref', '--format=%(refname:short)', `refs/heads/${prefix}`], parse: (o) => lines(o.stdout),
  }),
};

/**
 * Only a commit whose trailer says baton made it *and* that touches nothing
 * outside `.agents/` counts as baton's own: a trailer an agent adds to its
 * work does not hide that work from memory.
 */
function confirmBaton(root: string, refs: CommitRef[]): CommitRef[] {
  const marked = refs.filter((c) => c.baton);
  if (!marked.length) return refs;
  const paths = runGit(root, tasks.changedPaths(marked.map((c) => c.sha)));
  return refs.map((c) => {
    if (!c.baton) return c;
    const files = paths.get(c.sha) ?? [];
    if (files.length && files.every(isBatonPath)) return c;
    const { baton: _forged, ...rest } = c;
    return rest;
  });
}

/** Commits selected by `revs` (e.g. `['HEAD', '--not', 'main']`), oldest first. */
export async function listCommits(root: string, revs: string[]): Promise<CommitRef[]> {
  return confirmBaton(root, runGit(root, tasks.listCommits(revs)));
}

/** These commits alone (no history walk), in the order given; unknown SHAs are left out. */
export async function commitRefs(root: string, shas: string[]): Promise<CommitRef[]> {
  if (!shas.length) return [];
  const all = runGit(root, tasks.commitRefs(shas));
  if (all.length || shas.length === 1) return confirmBaton(root, all);
  // One SHA was rewritten away: ask for each alone.
  return confirmBaton(root, shas.flatMap((sha) => runGit(root, tasks.commitRefs([sha]))));
}

/** The full SHA of a commit-ish, or undefined when there is none. */
export async function resolveCommit(root: string, ref: string): Promise<string | undefined> {
  return runGit(root, tasks.resolveCommit(ref));
}

/** Whether `sha` is in the history of `of` (false for a commit git does not know). */
export async function isAncestor(root: string, sha: string, of = 'HEAD'): Promise<boolean> {
  return runGit(root, tasks.isAncestor(sha, of));
}

/** The parents of the first commit that added `path` (the history baton knows about starts there); undefined when none did. */
export async function commitsBefore(root: string, path: string): Promise<string[] | undefined> {
  return runGit(root, tasks.commitsBefore(path));
}

export async function gitPath(root: string, name: string): Promise<string> {
  return runGit(root, tasks.gitPath(name)).trim();
}

export async function commonGitDir(root: string): Promise<string> {
  return runGit(root, tasks.commonGitDir()).trim();
}

export async function stageFiles(root: string, files: string[]): Promise<void> {
  if (files.length) runGit(root, tasks.stage(files));
}

/** Worktree roots of the repository (`git worktree list`). */
export async function worktreeRoots(root: string): Promise<string[]> {
  return runGit(root, tasks.worktreeRoots());
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
  return runGit(root, tasks.taskBranches(prefix));
}

/** Lines one commit added to one file, in runs: each run is lines added together (one hunk's `+` lines in a row). */
export interface AddedRuns {
  commit: string;
  path: string;
  runs: string[][];
}

/**
 * Pure: `git log -p -U0 --format=%x00%H` → the lines each commit added, per
 * file. Linear in the diffs (never in the size of each version); `\r` at the
 * end of a line is dropped (a file saved with CRLF reads as its LF twin).
 */
export function parseAddedRuns(output: string): AddedRuns[] {
  const out: AddedRuns[] = [];
  let commit = '';
  let current: AddedRuns | undefined;
  let run: string[] | undefined;
  // Between `diff --git` and the first `@@`: a content line `++ x` shows as `+++ x` only inside a hunk.
  let header = false;
  const endRun = () => {
    if (run && current) current.runs.push(run);
    run = undefined;
  };
  for (const line of output.split('\n')) {
    if (line.startsWith('\0')) {
      endRun();
      commit = line.slice(1).trim();
      current = undefined;
      continue;
    }
    if (line.startsWith('diff --git ')) {
      endRun();
      current = { commit, path: '', runs: [] };
      out.push(current);
      header = true;
      continue;
    }
    if (!current) continue;
    if (header) {
      if (line.startsWith('+++ ')) current.path = line.startsWith('+++ b/') ? line.slice(6) : '';
      else if (line.startsWith('@@')) header = false;
      continue;
    }
    if (line.startsWith('+')) {
      (run ??= []).push(line.slice(1).replace(/\r$/, ''));
      continue;
    }
    if (line.startsWith('\\')) continue; // "\ No newline at end of file"
    endRun();
  }
  endRun();
  return out.filter((a) => a.path && a.runs.length);
}

/**
 * What each commit of `rev`'s history added to the files under `paths`, newest
 * first. `--full-history`: a side a merge dropped is still read; a merge's
 * own additions are its diff against its first parent.
 */
export const addedRuns = (paths: string[], rev = 'HEAD'): GitTask<AddedRuns[]> => ({
  args: [
    '-c', 'core.quotePath=false', 'log', '--full-history', '--no-renames', '--no-color', '--no-ext-diff', '--no-textconv',
    '--diff-merges=first-parent', '-p', '--unified=0', '--format=%x00%H', rev, '--', ...paths,
  ],
  codes: [0, 128],
  parse: (o) => (o.code === 0 ? parseAddedRuns(o.stdout) : []),
});
