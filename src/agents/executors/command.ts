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
import type { AgentHome, AgentSettings } from './agent-home.js';
import { readAgentOutput } from './agent-output.js';
import { costOf } from '../../llm/prices.js';
import { stateDir } from '../../workspace/paths.js';
import { forgetAgent, killLeftovers, newRunToken, reapLeftover, recordAgent, RUN_TOKEN_VAR, signalGroup } from './agent-process.js';

const KILL_GRACE_MS = 2000;
/** How long the agent's output is read after it exited: what a child still holds open is not waited for. */
const OUTPUT_GRACE_MS = 500;
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

/** `settings`: the task role's `models:` entry, for a preset that points its CLI at that endpoint. */
export function commandExecutor(name: string, spec: CommandSpec, settings: Omit<AgentSettings, 'env'> = { role: 'implementer' }): Executor {
  const homeOf = (env: Record<string, string | undefined>) => spec.home?.({ ...settings, env });
  return {
    name,
    // A bad endpoint or a missing key is said before anything is written.
    ...(spec.home ? { preflight: (env: Record<string, string | undefined>) => void homeOf(env) } : {}),
    execute: (input) => runCommand(spec, input, homeOf({ ...process.env, ...input.env })),
  };
}

/** Writes the CLI's files under the run's state dir; its variables, `{home}` being that folder. */
function homeEnv(dir: string, home: AgentHome): Record<string, string> {
  const path = home.dir ? join(dir, home.dir) : dir;
  if (home.dir) mkdirSync(path, { recursive: true });
  for (const [file, text] of Object.entries(home.files ?? {})) writeFileAtomic(join(path, file), text);
  return Object.fromEntries(Object.entries(home.env).map(([k, v]) => [k, v.replaceAll('{home}', path)]));
}

export async function runCommand(spec: CommandSpec, input: ExecuteInput, home?: AgentHome): Promise<ExecuteResult> {
  const dir = runFilesDir(input.cwd);
  const promptFile = join(dir, `prompt-${input.task.id}.md`);
  const reportFile = join(dir, `report-${input.task.id}.md`);
  const logFile = join(dir, `agent-${input.task.id}.log`);
  writeFileAtomic(promptFile, input.prompt);
  rmSync(reportFile, { force: true });
  const usesFile = spec.command.includes('{prompt_file}');
  const command = spec.command.replaceAll('{prompt_file}', shellQuote(promptFile));
  const timeoutMs = Math.round((spec.timeout_s ?? DEFAULT_TIMEOUT_S) * 1000);

  // An agent an earlier baton left running here (that baton was killed outright) goes first.
  const reaped = reapLeftover(dir);
  const notes = reaped === undefined ? [] : [`An agent of an earlier run (process group ${reaped}) was still running in this worktree; it was stopped before this attempt started.`];
  const token = newRunToken();
  const log = createWriteStream(logFile);
  const child = spawn('sh', ['-c', command], {
    cwd: input.cwd,
    detached: true, // its own process group: killing -pid reaches what it spawned
    stdio: [usesFile ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    env: {
      ...cliDefaults(spec, dir, { ...process.env, ...input.env }),
      ...process.env,
      ...input.env,
      ...(home ? homeEnv(dir, home) : {}),
      BATON_TASK: input.task.id,
      BATON_PROMPT_FILE: promptFile,
      BATON_REPORT_FILE: reportFile,
      [RUN_TOKEN_VAR]: token,
    },
  });
  if (child.pid) recordAgent(dir, child.pid, token);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    log.write(chunk);
    if (stdout.length < MAX_REPORT_CHARS) stdout += chunk.toString('utf8');
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    log.write(chunk);
    if (stderr.length < MAX_REPORT_CHARS) stderr += chunk.toString('utf8');
  });
  if (!usesFile) {
    child.stdin!.on('error', () => {}); // an agent that never reads stdin closes it early
    child.stdin!.end(input.prompt);
  }

  let stopped: 'timeout' | 'interrupt' | undefined;
  const killGroup = (sig: NodeJS.Signals) => void (child.pid && signalGroup(child.pid, sig));
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
  // Whatever the agent left running in the background goes with it, a daemon that left its group too.
  if (child.pid) killLeftovers(child.pid, token);
  // Its output is read until its pipes close, or a short grace: a child still holding them is not waited for.
  await Promise.all([child.stdout!, child.stderr!].map((stream) => closedOrGrace(stream, OUTPUT_GRACE_MS)));
  child.stdout!.destroy();
  child.stderr!.destroy();
  if (child.pid) killLeftovers(child.pid, token);
  forgetAgent(dir);
  await new Promise<void>((resolve) => log.end(resolve));

  const said = spec.output ? readAgentOutput(spec.output, stdout, stderr, exit.code, home?.model) : undefined;
  // A CLI that speaks JSON: its final text is the report, not the JSON around it. What the agent
  // printed is plain text from here on: a coloured report still parses, and no escape reaches memory.
  const report = stripAnsi(existsSync(reportFile) ? readFileSync(reportFile, 'utf8') : said ? said.text ?? '' : stdout);
  const result: ExecuteResult = { report, logFile, ...(notes.length ? { notes } : {}) };
  if (said?.usage) {
    const u = said.usage;
    const costUsd = u.costUsd ?? costOf(input.config, u.model, u.promptTokens, u.completionTokens);
    result.usage = { role: input.task.role ?? 'implementer', model: u.model, promptTokens: u.promptTokens, completionTokens: u.completionTokens, calls: u.calls, costUsd, purpose: `run ${input.task.id}` };
    result.costUsd = costUsd ?? 0;
  }
  if (stopped === 'timeout') {
    result.timedOut = true;
    result.failure = `the agent did not finish within ${spec.timeout_s ?? DEFAULT_TIMEOUT_S}s and was stopped`;
  } else if (stopped === 'interrupt') {
    result.interrupted = true;
    result.failure = 'interrupted while the agent was working';
  } else if (said?.error) {
    const { kind } = said.error;
    const message = stripAnsi(said.error.message);
    result.failure = `the agent reported an error${exit.code ? ` and exited with ${exit.code}` : ''}: ${message}`;
    const variable = home?.keyEnv ?? spec.key_env;
    if (kind !== 'error') result.stop = { kind, message, ...(variable ? { variable } : {}), ...(said.error.resetAt ? { until: said.error.resetAt } : {}) };
  } else if (exit.error) {
    result.failure = `could not start \`${spec.command}\`: ${exit.error.message}`;
  } else if (exit.code !== 0) {
    const tail = outputTail(readFileSync(logFile, 'utf8'), 5);
    result.failure = `the agent exited with ${exit.code ?? exit.signal}${tail ? `:\n${tail}` : ''}`;
  }
  return result;
}

/** The preset's own variables and settings file (give up fast on a limit), each unless the environment has it. */
function cliDefaults(spec: CommandSpec, dir: string, env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = { ...spec.env };
  const file = spec.defaults_file;
  if (file && !env[file.variable]) {
    const path = join(dir, `defaults-${file.variable.toLowerCase()}.json`);
    writeFileAtomic(path, `${JSON.stringify(file.settings, null, 2)}\n`);
    out[file.variable] = path;
  }
  return out;
}

function closedOrGrace(stream: NodeJS.ReadableStream & { closed?: boolean }, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (stream.closed) return resolve();
    const timer = setTimeout(resolve, ms);
    stream.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
