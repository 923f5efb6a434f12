/**
 * The one way baton runs git. A git call is data, as in simple-git's tasks:
 * the arguments, the exit codes that are answers (not failures), and a pure
 * parser of what git printed. `runGit` spawns it and checks the exit code;
 * anything else is a `GitError` that keeps the command, the code and stderr.
 *
 * Why not simple-git: its `.raw()` rejects only when git writes to stderr, so
 * `merge-base --is-ancestor` (which answers "no" with exit 1 and silence)
 * read as "yes", and dropped commits stayed in memory. Network commands
 * (fetch, push) do go through simple-git, in network.ts, for its stall
 * timeout, abort signal and progress; its `errors` handler there reads every
 * exit code.
 */
import { BatonError } from '../core/errors.js';

export interface GitOutput {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout as bytes (for `cat-file --batch`, whose sizes count bytes). */
  bytes: Buffer;
}

export interface GitTask<T> {
  args: readonly string[];
  input?: string;
  /** Exit codes that are an answer rather than a failure (default: 0 only; `any`: the parser reads the code). */
  codes?: readonly number[] | 'any';
  parse: (out: GitOutput) => T;
}

export class GitError extends BatonError {
  readonly args: readonly string[];
  readonly code: number;
  readonly stderr: string;

  constructor(args: readonly string[], code: number, stderr: string, cause?: unknown, hint?: string) {
    const said = gitSaid(stderr);
    super(`\`git ${args.join(' ')}\` failed${code >= 0 ? ` (exit ${code})` : ''}${said ? `: ${said}` : ''}`, {
      hint: hint ?? (code < 0 ? 'Install git and make sure it is on PATH.' : 'Fix what git reports and run the command again.'),
      cause,
    });
    this.name = 'GitError';
    this.args = args;
    this.code = code;
    this.stderr = stderr;
  }
}

/**
 * Pure: what of git's stderr goes into the message: its last 3 lines, and before
 * them the lines that say what failed and where (`fatal: Unable to create
 * '/repo/.git/index.lock': File exists.`), which git follows with advice.
 */
export function gitSaid(stderr: string): string {
  const all = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const last = all.slice(-3);
  const naming = all.slice(0, -3).filter((l) => /^(fatal|error):/i.test(l) || /'[^']*\/[^']*'|"[^"]*\/[^"]*"/.test(l)).slice(0, 3);
  return [...naming, ...last].join(' ');
}

/** Run a git task in `cwd`: its parsed answer, or a GitError. */
export function runGit<T>(cwd: string, task: GitTask<T>): T {
  // Loaded on first use: commands answered from files alone (status, task show) never pay for child_process.
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const r = spawnSync('git', task.args as string[], {
    cwd, input: task.input, maxBuffer: MAX_BUFFER_MIB * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
  });
  if (r.error) throw spawnError(cwd, task.args, r.error);
  const code = r.status ?? -1;
  const bytes = r.stdout ?? Buffer.alloc(0);
  const out: GitOutput = { code, bytes, stdout: bytes.toString('utf8'), stderr: (r.stderr ?? Buffer.alloc(0)).toString('utf8') };
  const codes = task.codes ?? [0];
  if (codes !== 'any' && !codes.includes(code)) throw new GitError(task.args, code, out.stderr || out.stdout);
  return task.parse(out);
}

const MAX_BUFFER_MIB = 256;

/** Why git could not run, said for what it is: a folder that is gone, an answer too big, or no git. */
function spawnError(cwd: string, args: readonly string[], error: Error & { code?: string }): GitError {
  const { existsSync } = process.getBuiltinModule('node:fs');
  if (error.code === 'ENOBUFS') {
    return new GitError(args, -1, `its output passed ${MAX_BUFFER_MIB} MiB (ENOBUFS)`, error, 'Nothing was changed. This is a bug in baton (a read that grows with the history): please report it with the command you ran.');
  }
  if (error.code === 'ENOENT' && !existsSync(cwd)) {
    return new GitError(args, -1, `the folder ${cwd} does not exist (ENOENT)`, error, 'It was moved or deleted. Run baton from a checkout that exists; for a removed worktree, `git worktree prune` forgets it.');
  }
  if (error.code === 'ENOENT') return new GitError(args, -1, 'git was not found (ENOENT)', error, 'Install git and make sure it is on PATH.');
  return new GitError(args, -1, error.message, error, 'Fix the cause above and run the command again.');
}

/** A task whose answer is its exit code being 0 (e.g. `merge-base --is-ancestor`: 0 yes, 1 no). */
export function yesNo(args: readonly string[]): GitTask<boolean> {
  return { args, codes: [0, 1], parse: (o) => o.code === 0 };
}

/** A task whose answer is stdout, trimmed of the final newline. */
export function text(args: readonly string[], input?: string): GitTask<string> {
  return { args, input, parse: (o) => o.stdout.replace(/\n$/, '') };
}

/** Pure: lines of output, empty ones left out. */
export function lines(out: string): string[] {
  return out.split('\n').filter(Boolean);
}
