/**
 * The `command` executor: any coding-agent CLI, run in the task's worktree as
 * `sh -c <command>` in its own process group, so a timeout or Ctrl-C can stop
 * it and everything it started. The prompt goes on stdin, or into a file
 * named by `{prompt_file}`. The agent edits and commits; baton commits what
 * it leaves behind.
 */
import { stripAnsi } from '../../core/ansi.js';
import { outputTail } from '../../core/check-output.js';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../workspace/atomic.js';
import type { ExecuteInput, ExecuteResult, Executor } from './types.js';
import { DEFAULT_TIMEOUT_S, type CommandSpec } from './presets.js';
import { stateDir } from '../../workspace/paths.js';

const KILL_GRACE_MS = 2000;
const MAX_REPORT_CHARS = 200_000;

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Where a run keeps its files: the worktree's own git dir, never the working tree. */
export function runFilesDir(cwd: string): string {
  const dir = stateDir(cwd);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function commandExecutor(name: string, spec: CommandSpec): Executor {
  return { name, execute: (input) => runCommand(spec, input) };
}

export async function runCommand(spec: CommandSpec, input: ExecuteInput): Promise<ExecuteResult> {
  const dir = runFilesDir(input.cwd);
  const promptFile = join(dir, `prompt-${input.task.id}.md`);
  const reportFile = join(dir, `report-${input.task.id}.md`);
  const logFile = join(dir, `agent-${input.task.id}.log`);
  writeFileAtomic(promptFile, input.prompt);
  rmSync(reportFile, { force: true });
  const usesFile = spec.command.includes('{prompt_file}');
  const command = spec.command.replaceAll('{prompt_file}', shellQuote(promptFile));
  const timeoutMs = Math.round((spec.timeout_s ?? DEFAULT_TIMEOUT_S) * 1000);

  const log = createWriteStream(logFile);
  const child = spawn('sh', ['-c', command], {
    cwd: input.cwd,
    detached: true, // its own process group: killing -pid reaches what it spawned
    stdio: [usesFile ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...input.env,
      BATON_TASK: input.task.id,
      BATON_PROMPT_FILE: promptFile,
      BATON_REPORT_FILE: reportFile,
    },
  });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    log.write(chunk);
    if (stdout.length < MAX_REPORT_CHARS) stdout += chunk.toString('utf8');
  });
  child.stderr!.on('data', (chunk: Buffer) => log.write(chunk));
  if (!usesFile) {
    child.stdin!.on('error', () => {}); // an agent that never reads stdin closes it early
    child.stdin!.end(input.prompt);
  }

  let stopped: 'timeout' | 'interrupt' | undefined;
  const killGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* already gone */
    }
  };
  const stop = (why: 'timeout' | 'interrupt') => {
    if (stopped) return;
    stopped = why;
    killGroup('SIGTERM');
    setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS).unref();
  };
  const timer = setTimeout(() => stop('timeout'), timeoutMs);
  const onAbort = () => stop('interrupt');
  if (input.signal?.aborted) onAbort();
  input.signal?.addEventListener('abort', onAbort);

  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(timer);
  input.signal?.removeEventListener('abort', onAbort);
  // Whatever the agent left running in the background goes with it.
  killGroup('SIGKILL');
  await new Promise<void>((resolve) => {
    if (child.stdout!.readableEnded) return resolve();
    child.stdout!.once('close', () => resolve());
    setTimeout(resolve, 500).unref();
  });
  await new Promise<void>((resolve) => log.end(resolve));

  // What the agent printed is plain text from here on: a coloured report still parses, and no escape reaches memory.
  const report = stripAnsi(existsSync(reportFile) ? readFileSync(reportFile, 'utf8') : stdout);
  const result: ExecuteResult = { report, logFile };
  if (stopped === 'timeout') {
    result.timedOut = true;
    result.failure = `the agent did not finish within ${spec.timeout_s ?? DEFAULT_TIMEOUT_S}s and was stopped`;
  } else if (stopped === 'interrupt') {
    result.interrupted = true;
    result.failure = 'interrupted while the agent was working';
  } else if (exit.error) {
    result.failure = `could not start \`${spec.command}\`: ${exit.error.message}`;
  } else if (exit.code !== 0) {
    const tail = outputTail(readFileSync(logFile, 'utf8'), 5);
    result.failure = `the agent exited with ${exit.code ?? exit.signal}${tail ? `:\n${tail}` : ''}`;
  }
  return result;
}
