/**
 * What an agent leaves running. An agent runs in its own session and process
 * group, and with a token in its environment that its children inherit; a
 * child that leaves the group (`setsid`, a daemon) still carries the token.
 * The group is recorded in the worktree's git dir while the agent runs, so a
 * baton that was killed outright (SIGKILL) leaves a record the next run reaps.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../workspace/atomic.js';

/** The environment variable carrying the run's token to everything the agent starts. */
export const RUN_TOKEN_VAR = 'BATON_AGENT_RUN';

interface Recorded {
  pgid: number;
  token: string;
}

export function newRunToken(): string {
  return randomBytes(8).toString('hex');
}

const recordPath = (stateDir: string) => join(stateDir, 'agent-process.json');

export function recordAgent(stateDir: string, pgid: number, token: string): void {
  writeFileAtomic(recordPath(stateDir), `${JSON.stringify({ pgid, token })}\n`);
}

export function forgetAgent(stateDir: string): void {
  rmSync(recordPath(stateDir), { force: true });
}

/**
 * An agent a dead baton left running in this worktree (its group, or a
 * process carrying its token), killed; its process group id, or undefined
 * when nothing of it was alive. The record goes either way.
 */
export function reapLeftover(stateDir: string): number | undefined {
  const path = recordPath(stateDir);
  if (!existsSync(path)) return undefined;
  let rec: Recorded | undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Recorded>;
    if (Number.isInteger(parsed.pgid) && parsed.pgid! > 1 && /^[0-9a-f]{16}$/.test(String(parsed.token))) rec = parsed as Recorded;
  } catch {
    /* unreadable: nothing to reap by */
  }
  rmSync(path, { force: true });
  if (!rec) return undefined;
  if (!existsSync('/proc/self/stat')) {
    // No /proc (macOS): the recorded group is all there is to go on.
    return signalGroup(rec.pgid, 'SIGKILL') ? rec.pgid : undefined;
  }
  // Only what carries the run's token: a group id a later, unrelated process reused is left alone.
  const left = processesOf(rec.pgid, rec.token, true);
  for (const pid of left) kill(pid);
  return left.length ? rec.pgid : undefined;
}

/**
 * SIGKILL to the agent's process group, and to every process of its session
 * or carrying its token (found in /proc where there is one).
 */
export function killLeftovers(pgid: number, token: string): void {
  signalGroup(pgid, 'SIGKILL');
  for (const pid of processesOf(pgid, token)) kill(pid);
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone meanwhile */
  }
}

export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Live processes (not zombies) in the session or group `pgid`, or whose
 * environment holds the token; with `tokenOnly`, those holding the token.
 */
export function processesOf(pgid: number, token: string, tokenOnly = false): number[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return []; // no /proc (macOS): the process group is all there is to go on
  }
  const mark = `${RUN_TOKEN_VAR}=${token}`;
  const out: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const stat = readProc(name, 'stat');
    if (stat === undefined) continue;
    // pid (comm) state ppid pgrp session …: comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') continue;
    const inGroup = !tokenOnly && (Number(fields[2]) === pgid || Number(fields[3]) === pgid);
    if (inGroup || (readProc(name, 'environ') ?? '').split('\0').includes(mark)) out.push(Number(name));
  }
  return out;
}

function readProc(pid: string, file: string): string | undefined {
  try {
    return readFileSync(join('/proc', pid, file), 'utf8');
  } catch {
    return undefined;
  }
}
