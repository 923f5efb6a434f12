/**
 * Running a task's checks in its worktree. Checks decide whether a task
 * succeeded, not what the agent claims; each result becomes a `check` entry.
 */
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { CheckDigest } from '../core/check-output.js';
import { killLeftovers, newRunToken, RUN_TOKEN_VAR } from '../agents/executors/agent-process.js';

export interface CheckResult {
  command: string;
  passed: boolean;
  /** Exit code, or undefined when it was killed. */
  code?: number;
  timedOut: boolean;
  ms: number;
  /**
   * What its output (stdout and stderr together) says, as plain text: for a
   * failure the failing lines, assertion diffs and first project stack frames,
   * then the summary (core/check-output.ts); for a pass its last lines.
   */
  tail: string;
}

/** A line longer than this without a newline (a progress bar, a dump) is read in pieces. */
const MAX_PARTIAL = 64 * 1024;
/** How long a check's output is read after it exited: a daemon it left holding the pipes is not waited for. */
const OUTPUT_GRACE_MS = 500;

/**
 * The environment a check runs in: the user's, with colour off (`NO_COLOR`,
 * `FORCE_COLOR=0`), so runners write plain text; whatever colour a runner
 * writes anyway is stripped when its output is read.
 */
export function checkEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0' };
}

export function runCheck(cwd: string, command: string, timeoutMs: number, signal?: AbortSignal): Promise<CheckResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const token = newRunToken();
    const child = spawn('sh', ['-c', command], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...checkEnv(), [RUN_TOKEN_VAR]: token } });
    const digest = new CheckDigest(cwd);
    // Read line by line as it comes, in bounded memory: a failure early in a long output is kept.
    const streams = [0, 1].map(() => ({ decoder: new StringDecoder('utf8'), partial: '' }));
    const keep = (which: number) => (chunk: Buffer) => {
      const s = streams[which]!;
      const lines = (s.partial + s.decoder.write(chunk)).split('\n');
      s.partial = lines.pop()!;
      for (const l of lines) digest.line(l);
      if (s.partial.length > MAX_PARTIAL) {
        digest.line(s.partial);
        s.partial = '';
      }
    };
    child.stdout.on('data', keep(0));
    child.stderr.on('data', keep(1));
    let timedOut = false;
    // The group, and what left it (`setsid`) carrying the token.
    const kill = () => void (child.pid && killLeftovers(child.pid, token));
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    signal?.addEventListener('abort', kill);
    let finished = false;
    const finish = (code: number | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', kill);
      kill(); // nothing a check started outlives it
      child.stdout.destroy();
      child.stderr.destroy();
      for (const s of streams) {
        const rest = s.partial + s.decoder.end();
        if (rest) digest.line(rest);
      }
      const passed = code === 0 && !timedOut;
      resolve({
        command,
        passed,
        code: code ?? undefined,
        timedOut,
        ms: Date.now() - started,
        tail: passed ? digest.lastLines() : digest.excerpt(),
      });
    };
    let exitCode: number | null = null;
    // A background process the check started may hold its output open: end it with the check, and read on only briefly.
    child.on('exit', (code) => {
      exitCode = code;
      kill();
      setTimeout(() => finish(code), OUTPUT_GRACE_MS).unref();
    });
    child.on('error', () => finish(127));
    child.on('close', () => finish(exitCode));
  });
}

/** Run checks one after another; all of them run, so every failure is recorded. */
export async function runChecks(cwd: string, commands: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const c of commands) {
    if (signal?.aborted) break;
    out.push(await runCheck(cwd, c, timeoutMs, signal));
  }
  return out;
}

/** A `check` memory entry: ref `pass` or `fail`, the command, how it ended, the output's tail. */
export function checkEntryBody(r: CheckResult): string {
  const how = r.timedOut ? `timed out after ${(r.ms / 1000).toFixed(1)}s` : `exited ${r.code ?? 'by signal'} in ${(r.ms / 1000).toFixed(1)}s`;
  const head = `\`${r.command}\` ${how}`;
  if (!r.tail) return head;
  const fence = r.tail.includes('```') ? '~~~~' : '```';
  return `${head}\n\n${fence}\n${r.tail}\n${fence}`;
}
