/** The review file (`reviews/R-<n>.md`) and the memory entries a review leaves. Pure. */
import type { MemoryEntry } from '../memory/entry.js';
import type { Task } from '../core/task.js';
import type { TaskChange } from '../tasks/change.js';
import { renderTaskFile } from '../tasks/task-files.js';
import type { Flag, ReviewInput } from './review-gather.js';
import type { ReviewAnswer } from './review-schema.js';
import type { Lesson, LessonChanges, LessonOp } from '../memory/lessons.js';
import type { Finding } from '../memory/lessons-detect.js';

export interface ReviewChange {
  id: string;
  time: string;
  path: string;
  text: string;
  filed: { key: string; task: Task; follows?: string; reason?: string }[];
  reopened: { task: Task; reason: string }[];
  /** Partial (check-less) work the reviewer accepts as complete: `baton auto` merges it. */
  accepted: { task: Task; reason: string }[];
  split: { task: Task; into: Task[]; reason?: string }[];
  flags: Flag[];
  decisions: string[];
  planChanges: string[];
  /** Task files, plan.md's notes and the review file, for the writer (tasks/change.ts). */
  writes: TaskChange;
  /** The lessons file after the detection pass and the reviewer's changes; re-applied to the file as it is when written. */
  lessons: LessonChanges & { findings: Finding[]; ops: LessonOp[] };
  /** Plan changes for lessons that kept firing: the tasks added and the constraints changed, and why. */
  strategy: { lesson: Lesson; fired: string[]; reason: string; tasks: Task[]; constraints: { text: string; replaces?: string }[] }[];
  /** Memory entries to append once the files are written. */
  memory: { target: string; entries: Pick<MemoryEntry, 'time' | 'kind' | 'ref' | 'body'>[] }[];
}

export function renderReview(input: ReviewInput, answer: ReviewAnswer, c: ReviewChange): string {
  const counts = new Map<string, number>();
  for (const e of input.entries) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  const status = new Map<string, number>();
  for (const t of input.tasks) status.set(t.status, (status.get(t.status) ?? 0) + 1);
  const list = (items: string[], empty = '- none') => (items.length ? items.join('\n') : empty);
  const fields = renderTaskFile({
    id: input.id,
    time: c.time,
    since: input.previous?.time ?? null,
    previous: input.previous?.id ?? null,
    filed: c.filed.map((f) => f.task.id).concat(c.split.flatMap((s) => s.into.map((t) => t.id))),
    reopened: c.reopened.map((r) => r.task.id),
    accepted: c.accepted.map((r) => r.task.id),
    cancelled: c.split.map((s) => s.task.id),
    flagged: [...new Set(c.flags.map((f) => f.task))],
  }, '');
  return `${fields}# Review ${input.id}

## What it read

- ${input.entries.length} memory entr${input.entries.length === 1 ? 'y' : 'ies'} ${input.previous?.time ? `since ${input.previous.id} (${input.previous.time})` : 'since the start'}${counts.size ? `: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}` : ''}
${touched(input)}- ${input.tasks.length} tasks: ${[...status].map(([s, n]) => `${n} ${s}`).join(', ') || 'none'}
- cost since the last review: ${input.cost.total.entries ? `$${input.cost.total.costUsd.toFixed(4)} (${input.cost.total.promptTokens} prompt + ${input.cost.total.completionTokens} completion tokens)` : 'no model calls recorded'}

## Summary

${answer.summary.trim()}

## Conclusions

${list((answer.conclusions ?? []).map((x) => `- ${x}`))}

## Unsupported claims

${list(c.flags.map((f) => `- ${f.task}: claimed "${f.claim}"; ${f.evidence} (${f.by === 'baton' ? 'found by baton from memory' : 'raised by the reviewer'})`))}

## Filed

${list([
    ...c.filed.map((f) => `- ${f.task.id} ${f.task.title}${f.follows ? ` (follows ${f.follows})` : ''}${f.reason ? `: ${f.reason}` : ''}`),
    ...c.split.map((s) => `- ${s.task.id} split into ${s.into.map((t) => `${t.id} ${t.title}`).join(', ')}${s.reason ? `: ${s.reason}` : ''}`),
  ])}

## Reopened

${list(c.reopened.map((r) => `- ${r.task.id} ${r.task.title}: ${r.reason}`))}

## Accepted

${list(c.accepted.map((r) => `- ${r.task.id} ${r.task.title}: ${r.reason}`))}

## Decisions

${list(c.decisions.map((d) => `- ${d}`))}
${lessonsText(c)}${strategyText(c)}${c.planChanges.length ? `\n## Plan changes\n\n${c.planChanges.map((p) => `- ${p}`).join('\n')}\n` : ''}`;
}

/** The words `baton auto` looks for in a task's memory to merge partial work a review accepted. */
export const ACCEPTED_BY = 'Accepted by';

export function reviewMemory(input: ReviewInput, answer: ReviewAnswer, c: ReviewChange): ReviewChange['memory'] {
  const time = c.time;
  const project: Pick<MemoryEntry, 'time' | 'kind' | 'ref' | 'body'>[] = [
    { time, kind: 'review', ref: input.id, body: `${answer.summary.trim()}\n\nSee .agents/reviews/${input.id}.md.` },
    ...c.decisions.map((d) => ({ time, kind: 'decision', body: `${d}\n\n(${input.id})` })),
  ];
  const perTask = new Map<string, string[]>();
  const add = (id: string, line: string) => perTask.set(id, [...(perTask.get(id) ?? []), line]);
  for (const r of c.reopened) add(r.task.id, `Reopened by ${input.id}: ${r.reason}`);
  for (const r of c.accepted) add(r.task.id, `${ACCEPTED_BY} ${input.id}: ${r.reason}`);
  for (const f of c.flags) add(f.task, `${input.id}: the claim "${f.claim}" is not supported: ${f.evidence}.`);
  for (const f of c.filed) if (f.follows) add(f.follows, `${input.id} filed follow-up ${f.task.id} (${f.task.title}).`);
  for (const s of c.split) add(s.task.id, `Split by ${input.id} into ${s.into.map((t) => t.id).join(', ')}; this task is cancelled.`);
  const known = new Set(input.tasks.map((t) => t.id));
  return [
    { target: 'project', entries: project },
    ...[...perTask].filter(([id]) => known.has(id)).map(([id, lines]) => ({ target: id, entries: [{ time, kind: 'review', ref: input.id, body: lines.join('\n') }] })),
  ];
}


/** `- new entries by task: T-7f3a (3), project (1)` when there are any. */
function touched(input: ReviewInput): string {
  const byTask = new Map<string, number>();
  for (const e of input.entries) byTask.set(e.task ?? 'project', (byTask.get(e.task ?? 'project') ?? 0) + 1);
  return byTask.size ? `- new entries by task: ${[...byTask].map(([t, n]) => `${t} (${n})`).join(', ')}\n` : '';
}

/** `## Strategy`: the plan changes made because a lesson kept firing. */
function strategyText(c: ReviewChange): string {
  if (!c.strategy.length) return '';
  const lines = c.strategy.flatMap((s) => [
    `- lesson ${s.lesson.id} kept firing (${s.fired.length} tasks: ${s.fired.join(', ')}): ${s.reason}`,
    ...s.tasks.map((t) => `  - added ${t.id} ${t.title}`),
    ...s.constraints.map((x) => `  - ${x.replaces ? `changed the constraint "${x.replaces}" to` : 'added the constraint'} "${x.text.trim()}"`),
  ]);
  return `\n## Strategy\n\n${lines.join('\n')}\n`;
}

/** `## Lessons`: what the review added to, reworded in and retired from `.agents/memory/lessons.md`. */
function lessonsText(c: ReviewChange): string {
  const l = c.lessons;
  const lines = [
    ...l.detected.map((x) => `- found ${x.id}: ${x.text.split('\n')[0]}`),
    ...l.added.map((x) => `- added ${x.id}: ${x.text.split('\n')[0]}`),
    ...l.reworded.map((x) => `- reworded ${x.id}: ${x.text.split('\n')[0]}`),
    ...l.retired.map((x) => `- retired ${x.id}${x.reason ? ` (${x.reason})` : ''}`),
  ];
  return lines.length ? `\n## Lessons\n\n${lines.join('\n')}\n` : '';
}
