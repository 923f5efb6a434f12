/**
 * A plan as another planner wrote it (Task Master, Backlog.md, Spec Kit, Beads),
 * read into one neutral shape before it becomes baton tasks. Each reader names
 * the file and line (or JSON path) of what it cannot read; nothing is written
 * until the whole plan has been read and checked.
 */
import { BatonError } from '../../core/errors.js';
import { findSection, checkboxes } from '../markdown.js';
import type { Status } from '../../core/task.js';

export const FORMATS = ['taskmaster', 'backlog', 'speckit', 'beads'] as const;

/** A string or a number from a foreign file, as text; anything else is absent. */
export const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
/** The strings of a foreign list; absent when it is no list. */
export const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
export type Format = (typeof FORMATS)[number];

export interface ForeignTask {
  /** The task's id in this input, prefixed with the format (`taskmaster#12`, `backlog#TASK-3.1`): what `dependsOn` names. */
  ref: string;
  /** Where the task came from first, kept in front matter (`source:`): the ref, or what an earlier `baton export` carried. */
  source: string;
  /** A baton task id the source carries from an earlier `baton export` (the same repository's task). */
  batonId?: string;
  title: string;
  context?: string;
  requirements?: string[];
  criteria?: string[];
  checks?: string[];
  files?: string[];
  phase?: string;
  /** Other tasks of the same plan, by `ref`. */
  dependsOn: string[];
  status: Status;
  priority?: string;
  labels?: string[];
  /** Where the task is in the input, for errors: `tasks.json: master.tasks[1]`, `backlog/tasks/task-2.md:1`. */
  where: string;
}

export interface ForeignPlan {
  format: Format;
  tasks: ForeignTask[];
}

/** A status word of any of the tools, as baton's status; unknown words are refused by the caller. */
export function statusFromWord(word: unknown): Status | undefined {
  const w = String(word ?? '').trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  if (!w) return 'todo';
  if (/^(to ?do|pending|open|backlog|new|ready|not started|deferred|draft)$/.test(w)) return 'todo';
  if (/^(in progress|doing|started|active|wip|hooked)$/.test(w)) return 'in-progress';
  if (/^(in )?review$/.test(w)) return 'review';
  if (/^(done|complete|completed|closed|resolved|finished)$/.test(w)) return 'done';
  if (/^(blocked|waiting|on hold)$/.test(w)) return 'blocked';
  if (/^(cancelled|canceled|wontfix|won t fix|tombstone|dropped|abandoned)$/.test(w)) return 'cancelled';
  return undefined;
}

export function unknownStatus(word: unknown, where: string): BatonError {
  return new BatonError(`${where}: unknown status ${JSON.stringify(word)}`, {
    hint: 'Known: pending/to do/open, in progress, review, done/closed, blocked, deferred, cancelled. Fix the source or its status; nothing was written.',
  });
}

/**
 * Items of a markdown list (`- a`, `1. b`, `- [ ] c`). A text that is not a list is one item
 * (its lines joined), or with `byLine` (steps of a plan) an item per line.
 */
export function listItems(text: string | undefined, byLine = false): string[] {
  const t = (text ?? '').trim();
  if (!t) return [];
  const lines = t.split('\n').map((l) => l.trim()).filter(Boolean);
  const item = /^(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(?:#\d+\s+)?(.*)$/;
  if (byLine || lines.every((l) => item.test(l))) return lines.map((l) => item.exec(l)?.[1]?.trim() ?? l).filter(Boolean);
  return [lines.join(' ')];
}

/** A single command in backticks (`` `npm test` ``): how a check travels through a tool that has only criteria. */
export function checkFromItem(item: string): string | undefined {
  return /^`([^`\n]+)`$/.exec(item.trim())?.[1];
}

/**
 * A body baton wrote (`## Context`, `## Requirements`, `## Success criteria`), read back;
 * undefined when the text is not one (a foreign tool's free text).
 */
export function batonBody(text: string | undefined): { context?: string; requirements: string[]; criteria: string[] } | undefined {
  if (!text || !/^## Context\s*$/m.test(text)) return undefined;
  const context = findSection(text, ['Context'])?.content;
  const requirements = listItems(findSection(text, ['Requirements'])?.content);
  const criteriaText = findSection(text, ['Success criteria'])?.content ?? '';
  const boxes = checkboxes(criteriaText).map((c) => c.text);
  return { context: context || undefined, requirements, criteria: boxes.length ? boxes : listItems(criteriaText) };
}

/** Paths named in a sentence (`in src/models/user.py`, `docs/`): words with a `/` inside or at the end, not a URL or an absolute route (`POST /albums`). */
export function pathsIn(text: string): string[] {
  const out: string[] = [];
  for (const word of text.split(/[\s`(),;:'"]+/)) {
    const p = word.replace(/\.+$/, '');
    if (!p.includes('/') || p.startsWith('/') || p.includes('//') || !/^[\w@.[\]/-]+$/.test(p) || !/[\w]/.test(p)) continue;
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

/** Every dependency names a task of the plan, and no source id is used twice. */
export function checkReferences(plan: ForeignPlan): void {
  const seen = new Map<string, string>();
  for (const t of plan.tasks) {
    const before = seen.get(t.ref);
    if (before) throw new BatonError(`${t.where}: the id \`${t.ref}\` is used twice (also ${before})`, { hint: 'Give every task its own id in the source; nothing was written.' });
    seen.set(t.ref, t.where);
  }
  const sources = new Map<string, string>();
  for (const t of plan.tasks) {
    const before = sources.get(t.source);
    if (before) throw new BatonError(`${t.where}: the source \`${t.source}\` is claimed twice (also ${before})`, { hint: 'Two tasks say they came from the same task; fix `baton_source`/`baton.source`; nothing was written.' });
    sources.set(t.source, t.where);
  }
  for (const t of plan.tasks) {
    for (const d of t.dependsOn) {
      if (!seen.has(d)) throw new BatonError(`${t.where}: depends on \`${d}\`, which is not a task of this plan`, { hint: 'Fix or remove the dependency in the source; nothing was written.' });
    }
  }
}
