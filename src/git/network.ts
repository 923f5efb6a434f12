/**
 * git over the network (fetch, push, ls-remote) through simple-git, for what
 * the spawnSync runner in run.ts lacks there: a stall timeout (`timeout.block`:
 * a push to a remote that stops answering ends), an AbortSignal (Ctrl-C ends
 * it), progress events on long fetches. Local plumbing stays in run.ts.
 *
 * simple-git's `.raw()` resolves or rejects on stderr alone (see run.ts), so the
 * `errors` handler here records every exit code and the caller reads it: a
 * push the remote refuses (exit 1) is an answer, never mistaken for success.
 */
import { GitPluginError, simpleGit, type SimpleGitProgressEvent } from 'simple-git';
import { BatonError } from '../core/errors.js';
import { gitSaid } from './run.js';

export interface NetworkOptions {
  /** Stop a command that receives nothing from the remote for this long (ms). */
  stallMs?: number;
  /** Ends the command (Ctrl-C, a lost claim). */
  signal?: AbortSignal;
  /** Progress of a transfer; default: one updating line on stderr when it is a terminal, once it has taken a second. */
  progress?: (event: SimpleGitProgressEvent) => void;
}

export interface NetworkResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const DEFAULT_STALL_MS = 60_000;

/**
 * simple-git drops GIT_* variables from git's environment unless named: name the
 * ones the person running baton set (GIT_SSH_COMMAND, GIT_CONFIG_GLOBAL, …), as run.ts passes them.
 */
function ambientGitEnv(): string[] {
  return Object.keys(process.env).filter((k) => k.startsWith('GIT_') && k !== 'GIT_CONFIG_PARAMETERS');
}

function terminalProgress(remote: string): { handler?: (e: SimpleGitProgressEvent) => void; end: () => void } {
  if (!process.stderr.isTTY) return { end: () => {} };
  const started = Date.now();
  let shown = false;
  return {
    handler: (e) => {
      if (Date.now() - started < 1000) return;
      shown = true;
      process.stderr.write(`\r${remote}: ${e.stage} ${e.progress}% (${e.processed}/${e.total})\u001b[K`);
    },
    end: () => {
      if (shown) process.stderr.write('\n');
    },
  };
}

/** Run `git <args>` against `remote`: its exit code and output, or a BatonError for a stall, an abort, or no git. */
export async function gitNetwork(cwd: string, remote: string, args: readonly string[], opts: NetworkOptions = {}): Promise<NetworkResult> {
  const stallMs = opts.stallMs ?? DEFAULT_STALL_MS;
  const shown = opts.progress ? { handler: opts.progress, end: () => {} } : terminalProgress(remote);
  let result: NetworkResult | undefined;
  const git = simpleGit({
    baseDir: cwd,
    timeout: { block: stallMs },
    ...(opts.signal ? { abort: opts.signal } : {}),
    ...(shown.handler ? { progress: shown.handler } : {}),
    allowEnvironment: ambientGitEnv(),
    errors: (error, r) => {
      result = { code: r.exitCode, stdout: Buffer.concat(r.stdOut).toString('utf8'), stderr: Buffer.concat(r.stdErr).toString('utf8') };
      // A stall, an abort or a failure to start git rejects; an exit code (simple-git turned a
      // non-zero one with stderr into an error before this) is an answer the caller reads.
      const exited = Number.isInteger(r.exitCode) && r.exitCode >= 0;
      return error instanceof GitPluginError || !exited ? error : undefined;
    },
  });
  try {
    await git.raw([...args]);
  } catch (error) {
    throw networkError(remote, args, stallMs, error);
  } finally {
    shown.end();
  }
  if (!result) throw networkError(remote, args, stallMs, new Error('git ended without an exit code'));
  return result;
}

function networkError(remote: string, args: readonly string[], stallMs: number, error: unknown): BatonError {
  const what = `\`git ${args[0]}\` with \`${remote}\``;
  if (error instanceof GitPluginError && error.plugin === 'timeout') {
    return new BatonError(`${what} stalled: nothing came from the remote for ${stallMs / 1000}s, so it was stopped`, {
      hint: `Nothing was changed on \`${remote}\` by this command. Check the remote (\`git ls-remote ${remote}\`); raise \`remote.stall_s\` in .agents/config.yaml for a slow link.`,
      cause: error,
    });
  }
  if (error instanceof GitPluginError && error.plugin === 'abort') {
    return new BatonError(`${what} was interrupted`, { hint: 'Run the command again; what the remote had accepted before stays.', cause: error });
  }
  const said = error instanceof Error ? gitSaid(error.message) : String(error);
  return new BatonError(`could not run ${what}: ${said}`, { hint: 'Install git and make sure it is on PATH.', cause: error });
}
