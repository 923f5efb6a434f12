/**
 * Running a task's checks in its worktree. Checks decide whether a task
 * succeeded, not what the agent claims; each result becomes a `check` entry.
 */
import { spawn } from 'node:child_process';
import { killLeftovers, newRunToken, RUN_TOKEN_VAR } from '../agents/executors/agent-process.js';

export interface CheckResult {
  command: string;
  passed: boolean;
  /** Exit code, or undefined when it was killed. */
  code?: number;
  timedOut: boolean;
  ms: number;
  /** The last lines of its output (stdout and stderr together). */
  tail: string;
}

const TAIL_LINES = 30;
/** How long a check's output is read after it exited: a daemon it left holding the pipes is not waited for. */
const OUTPUT_GRACE_MS = 500;

export function runCheck(cwd: string, command: string, timeoutMs: number, signal?: AbortSignal): Promise<CheckResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const token = newRunToken();
    const child = spawn('sh', ['-c', command], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, [RUN_TOKEN_VAR]: token } });
    let output = '';
    const keep = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
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
      resolve({
        command,
        passed: code === 0 && !timedOut,
        code: code ?? undefined,
        timedOut,
        ms: Date.now() - started,
        tail: output.trimEnd().split('\n').slice(-TAIL_LINES).join('\n'),
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

const FAILURE_RE = /\b(fail(ed|ure|ing)?|errors?|assert(ion)?|expected|exception|panic|not ok)\b|✗|✖|×|FAIL/i;

/**
 * The lines of a check's output that say what failed (each with the line
 * before and after), or its last 10 lines when none does: what a memory entry
 * needs, without pages of passing tests.
 */
export function failingLines(tail: string, max = 20): string {
  const lines = tail.split('\n');
  const keep = new Set<number>();
  lines.forEach((l, i) => {
    if (FAILURE_RE.test(l)) for (const j of [i - 1, i, i + 1]) if (j >= 0 && j < lines.length) keep.add(j);
  });
  if (!keep.size) return lines.slice(-10).join('\n');
  const out: string[] = [];
  let last = -1;
  for (const i of [...keep].sort((a, b) => a - b)) {
    if (out.length >= max) break;
    if (last >= 0 && i > last + 1) out.push('…');
    out.push(lines[i]!);
    last = i;
  }
  return out.join('\n');
}
