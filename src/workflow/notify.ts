/**
 * Events a person wants to hear about (an agent asked a question, a task
 * failed, a task is ready for review, a `baton auto` run finished): kept in
 * `<common git dir>/baton/events.jsonl` for the board to show live, and given
 * to `notify.command` from the config as JSON on stdin, so people can wire it
 * to a chat or a desktop notification.
 *
 * A notification never hurts the operation it reports: the command runs with
 * a timeout (`notify.timeout_s`, default 10) and is killed after it, and any
 * failure is one warning line on stderr. The event is redacted before it
 * leaves: no key reaches the command or the file.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../core/redact.js';
import type { Status, Task } from '../core/task.js';
import { isoNow } from '../memory/entry.js';
import { writeFileAtomic } from '../workspace/atomic.js';
import type { Project } from '../workspace/context.js';
import { sharedStateDir } from '../workspace/paths.js';

const EVENT_KINDS = ['question', 'failed', 'review', 'run-finished'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface BatonEvent {
  event: EventKind;
  time: string;
  /** The repository's folder, so one command can serve several projects. */
  project: string;
  task?: string;
  title?: string;
  /** What happened, in a line or a few: the question, the failure's summary, the run's outcome. */
  text?: string;
}

/** The board keeps this many events; the file is cut back to it when it reaches twice as many. */
const EVENTS_KEPT = 200;
const TEXT_MAX = 2000;

export function eventsPath(root: string): string {
  return join(sharedStateDir(root), 'events.jsonl');
}

/** The newest events first, at most `count`; lines that are not events (a hand edit, a cut write) are skipped. */
export function readEvents(root: string, count = 20): BatonEvent[] {
  const path = eventsPath(root);
  if (!existsSync(path)) return [];
  const out: BatonEvent[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n').reverse()) {
    if (out.length >= count) break;
    try {
      const e = JSON.parse(line) as BatonEvent;
      if (e && (EVENT_KINDS as readonly string[]).includes(e.event) && typeof e.time === 'string') out.push(e);
    } catch {
      /* not an event */
    }
  }
  return out;
}

/** Record the event and run the user's command on it. Never throws. */
export async function emitEvent(project: Project, what: Omit<BatonEvent, 'time' | 'project'>): Promise<void> {
  const text = what.text && what.text.length > TEXT_MAX ? `${what.text.slice(0, TEXT_MAX)} … (cut)` : what.text;
  const event: BatonEvent = { event: what.event, time: isoNow(), project: project.root, ...(what.task ? { task: what.task } : {}), ...(what.title ? { title: what.title } : {}), ...(text ? { text } : {}) };
  // One line of JSON with every secret-looking value replaced (redact keeps JSON valid: it only replaces token text).
  const line = redact(JSON.stringify(event));
  try {
    record(project.root, line);
  } catch (error) {
    warn(`could not record the event: ${(error as Error).message}`);
  }
  const notify = project.config.notify;
  if (notify) await runCommand(project.root, notify.command, notify.timeout_s, `${line}\n`, event.event);
}

function record(root: string, line: string): void {
  const path = eventsPath(root);
  mkdirSync(join(path, '..'), { recursive: true });
  appendFileSync(path, `${line}\n`);
  // Bounded: cut back to the newest EVENTS_KEPT once it holds twice as many.
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  if (lines.length >= EVENTS_KEPT * 2) writeFileAtomic(path, `${lines.slice(-EVENTS_KEPT).join('\n')}\n`);
}

function runCommand(cwd: string, command: string, timeoutS: number, input: string, kind: string): Promise<void> {
  return new Promise((resolve) => {
    let settled = false;
    let errText = '';
    const done = (problem?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (problem) warn(`the notify command for \`${kind}\` ${problem} (notify.command in .agents/config.yaml); the operation itself went on`);
      resolve();
    };
    const child = spawn('sh', ['-c', command], { cwd, stdio: ['pipe', 'ignore', 'pipe'], detached: true });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      done(`took longer than ${timeoutS}s and was stopped`);
    }, timeoutS * 1000);
    child.stderr.on('data', (d: Buffer) => {
      if (errText.length < 500) errText += d.toString('utf8');
    });
    child.on('error', (error) => done(`could not start: ${error.message}`));
    child.on('close', (code, signal) => {
      const said = redact(errText.trim().split('\n').at(-1) ?? '');
      done(code === 0 ? undefined : `exited ${code ?? signal}${said ? `: ${said}` : ''}`);
    });
    // A command that reads nothing closes stdin early: no error for that.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

function warn(text: string): void {
  process.stderr.write(`baton: warning: ${text}\n`);
}

/** The events a `baton log` gives rise to: a question asked, a failure, a task ready for review. */
export async function notifyLogged(
  project: Project, task: Pick<Task, 'id' | 'title'>,
  input: { outcome?: string; summary?: string; questions?: string[] },
  result: { status: Status; previous: Status },
): Promise<void> {
  const base = { task: task.id, title: task.title };
  const questions = (input.questions ?? []).filter((q) => q.trim());
  if (questions.length) await emitEvent(project, { ...base, event: 'question', text: questions.join('\n\n') });
  if (input.outcome === 'failure') await emitEvent(project, { ...base, event: 'failed', text: input.summary });
  if (result.status === 'review' && result.previous !== 'review') await emitEvent(project, { ...base, event: 'review', text: input.summary });
}
