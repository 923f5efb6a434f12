/**
 * The Central Agent as reviewer: memory since the last review and the plan's
 * state → `reviews/R-<n>.md` plus its decisions (follow-up tasks, reopened and
 * split tasks, decisions in memory/project.md, notes in plan.md). It writes
 * nothing: it returns the change as data (`ReviewChange`), and the review use
 * case (workflow/review.ts) applies it under the tasks lock. The same answer
 * gives the same change by API or by `--import`.
 *
 * Numbering: reviews are sequential (`R-001`, `R-002`) and are written only on
 * the base branch, where the Central Agent sees the merged state; so two
 * reviews cannot take the same number through a merge of task branches. Two
 * clones reviewing at once would both write the next number, and git reports
 * that as an add/add conflict on one file rather than mixing them silently.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededHex } from '../core/ids.js';
import { idSalt } from '../workspace/id-salt.js';
import { BatonError } from '../core/errors.js';
import { newGraphProblem } from '../tasks/write.js';
import { isoNow } from '../memory/entry.js';
import { redact } from '../core/redact.js';
import type { Task } from '../core/task.js';
import { onTaskBranch, type Project } from '../workspace/context.js';
import { setFrontMatterFields } from '../workspace/frontmatter.js';
import type { TaskChange } from '../tasks/change.js';
import { parseTaskText, tasksInvalid } from '../tasks/task-files.js';
import type { ChatMessage, ModelOptions } from '../llm/client.js';
import { coerce, validateSchema } from '../llm/schema.js';
import type { Usage } from '../memory/usage.js';
import { parseAnswer } from './answer.js';
import { gatherReview, type Flag, type ReviewInput } from './review-gather.js';
import { renderReview, reviewMemory, type ReviewChange } from './review-doc.js';
import { REVIEW_ALIASES, REVIEW_SCHEMA, type ReviewAnswer } from './review-schema.js';
import { resolveTaskAnswers } from './task-answers.js';
import { applyLessonOps, firingTasks, mergeFindings, type Lesson, type LessonOp } from '../memory/lessons.js';
import { readPlan } from '../tasks/plan.js';
import { findSection } from '../tasks/markdown.js';
import type { StrategyAnswer } from './review-schema.js';
import type { TaskAnswer } from './plan-schema.js';

export type { ReviewChange } from './review-doc.js';

const SYSTEM = `You are the Central Agent of a software project, reviewing the work of implementation agents. You do not write code. You read what happened since the last review (results, bugs, decisions, blockers, commits, check outcomes) and the state of the plan, and you decide what happens next.

Be skeptical: an implementer's claim of success counts only when the evidence backs it (commits recorded for the task, its checks passing). List claims the evidence does not support in \`unsupported_claims\`; baton's own cross-check is given to you and you may add to it.

Decide:
- follow_ups: new tasks for failures, bugs and missing work (same fields as plan tasks: key, title, phase, depends_on (keys or existing ids), context, requirements, success_criteria, checks, files), with \`follows\` = the id of the task that prompted it and \`reason\`;
- reopen: tasks marked done or in review whose work is not actually done (id, reason);
- split: tasks not yet started that are too big for one agent (id, reason, into: tasks that replace it);
- decisions: project-level decisions to record;
- plan_changes: amendments to the plan's constraints or architecture, as sentences;
- lessons: changes to the lessons later tasks are given (see "Recurring problems" and "Lessons"): \`add\` a lesson (text, files/symbols/phases it applies to), \`reword\` one (id, text) so an implementer can act on it, \`retire\` one that no longer holds (id, reason). Recurring problems baton found become lessons as worded unless you change them.
- strategy: for a lesson that keeps firing (see "Lessons that keep firing"), change the plan so the problem cannot come back, instead of repeating the lesson: \`lesson\` (its id), \`reason\`, and \`tasks\` to add (e.g. "Introduce a Money type", same fields as plan tasks) and/or \`constraints\` for plan.md's Constraints (\`text\`; \`replaces\`: the words of a constraint it replaces). The prompts of the tasks the lesson reaches will say why.
File nothing you cannot justify from what you read. Empty lists are fine.

Answer with ONE JSON object that matches this JSON Schema, and nothing else:
`;

const MAX_PROMPT_ENTRIES_CHARS = 80_000;

export function reviewMessages(input: ReviewInput): ChatMessage[] {
  const since = input.previous?.time ? `since ${input.previous.id} (${input.previous.time})` : 'since the start of the project';
  const parts: string[] = [`# Review ${input.id}`, '', `Memory ${since}.`, '', '# Plan', '', input.plan || '(plan.md has no prose)', '', '# Tasks', ''];
  for (const t of input.tasks) {
    parts.push(`- ${t.id} [${t.status}] ${t.title}${t.phase ? ` (phase: ${t.phase})` : ''}${t.depends_on.length ? `; depends on ${t.depends_on.join(', ')}` : ''}${t.checks.length ? `; checks: ${t.checks.map((c) => `\`${c}\``).join(', ')}` : ''}`);
  }
  if (!input.tasks.length) parts.push('(no tasks)');
  parts.push('', `# Memory ${since}`, '');
  const rendered = input.entries.map((e) => `### ${e.time} ${e.task ?? 'project'} ${e.kind}${e.ref ? ` ${e.ref}` : ''}${input.superseded.has(e) ? ' (from a try that a later success replaced)' : ''}\n${cut(e.body, 2000)}`);
  // Newest first survive the budget: they are what this review is about.
  let used = 0;
  const kept: string[] = [];
  for (let i = rendered.length - 1; i >= 0; i--) {
    used += rendered[i]!.length;
    if (used > MAX_PROMPT_ENTRIES_CHARS) break;
    kept.unshift(rendered[i]!);
  }
  if (kept.length < rendered.length) parts.push(`(${rendered.length - kept.length} older entries left out to fit)`, '');
  parts.push(kept.join('\n\n') || '(nothing new)');
  parts.push('', '# Cost since the last review', '', input.cost.total.entries
    ? `${input.cost.total.promptTokens} prompt + ${input.cost.total.completionTokens} completion tokens, $${input.cost.total.costUsd.toFixed(4)}`
    : 'no model calls recorded');
  parts.push('', "# baton's cross-check of claims against evidence", '');
  parts.push(input.flags.length ? input.flags.map((f) => `- ${f.task}: claimed "${f.claim}"; ${f.evidence}`).join('\n') : '- every success claimed has commits and no failing check');
  parts.push(...lessonParts(input));
  return [
    { role: 'system', content: `${SYSTEM}${JSON.stringify(REVIEW_SCHEMA)}\n` },
    { role: 'user', content: redact(parts.join('\n')) },
  ];
}

/** The recurring problems found with no model (new ones with the id they will get) and the lessons kept. */
function lessonParts(input: ReviewInput): string[] {
  const merged = mergeFindings(input.lessons, input.findings);
  const fresh = merged.added;
  const where = (l: Lesson) => [...l.files, ...l.symbols, ...l.checks.map((c) => `check ${c}`), ...l.phases.map((p) => `phase ${p}`)].map((x) => `\`${x}\``).join(', ');
  const show = (l: Lesson) => `- ${l.id} [${l.kind}${l.status === 'retired' ? ', retired' : ''}]${where(l) ? ` (${where(l)})` : ''}: ${cut(l.text, 600).split('\n').join(' ')}${l.tasks.length ? ` Evidence: ${l.tasks.join(', ')}.` : ''}`;
  const kept = input.lessons.lessons.filter((l) => l.status === 'active');
  const firing = merged.file.lessons
    .filter((l) => l.status === 'active')
    .map((l) => ({ l, fired: firingTasks(l).length }))
    .filter(({ fired }) => fired >= input.strategyAfter);
  return [
    '', `# Lessons that keep firing (seen in ${input.strategyAfter} or more tasks since the plan last changed for them: consider \`strategy\`)`, '',
    firing.length ? firing.slice(0, 20).map(({ l, fired }) => `${show(l)} Fired in ${fired} tasks.${l.strategy ? ` The plan already changed for it: ${l.strategy}.` : ''}`).join('\n') : '- none',
    '', '# Recurring problems baton found in memory (new; they become lessons unless you reword or retire them)', '',
    fresh.length ? fresh.slice(0, 40).map(show).join('\n') : '- none new',
    '', '# Lessons kept (routed into the prompts of tasks touching their files, symbols or phases)', '',
    kept.length ? kept.slice(0, 60).map(show).join('\n') : '- none',
  ];
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n… (cut)`;
}


/**
 * A lesson change written as markdown (`### Retire L-3f2a01`, or `### L-3f2a01`
 * with `Action: retire`; its paragraph is the text of an add or a reword)
 * read as the JSON form is. A JSON answer passes through unchanged.
 */
function parseReview(text: string): ReturnType<typeof parseAnswer> {
  const found = parseAnswer(text, REVIEW_SCHEMA, REVIEW_ALIASES);
  if (!found.ok) return found;
  for (const s of Array.isArray((found.value as { strategy?: unknown }).strategy) ? (found.value as { strategy: unknown[] }).strategy : []) {
    const c = (s as { constraints?: unknown } | null)?.constraints;
    if (Array.isArray(c)) (s as { constraints: unknown[] }).constraints = c.map((x) => (typeof x === 'string' ? { text: x } : x));
  }
  if (!Array.isArray((found.value as { lessons?: unknown }).lessons)) return found;
  for (const op of (found.value as { lessons: unknown[] }).lessons) {
    if (!op || typeof op !== 'object') continue;
    const o = op as Record<string, unknown>;
    const head = typeof o.id === 'string' ? /^\s*(add|reword|retire)\b[\s:—-]*(L-[0-9a-z-]+)?/i.exec(o.id) : null;
    if (head && o.action === undefined) {
      o.action = head[1]!.toLowerCase();
      if (head[2]) o.id = head[2];
      else delete o.id;
    }
    if (typeof o.action === 'string') o.action = o.action.trim().toLowerCase();
    if ((o.action === 'add' || o.action === 'reword') && o.text === undefined && typeof o.reason === 'string') {
      o.text = o.reason;
      delete o.reason;
    }
  }
  return found;
}

export function readReviewAnswer(text: string): { ok: true; value: ReviewAnswer } | { ok: false; error: string } {
  const found = parseReview(text);
  if (!found.ok) return found;
  const value = coerce(found.value, REVIEW_SCHEMA) as ReviewAnswer;
  const errors = validateSchema(value, REVIEW_SCHEMA);
  return errors.length ? { ok: false, error: `it does not match the review schema:\n${errors.slice(0, 8).join('\n')}` } : { ok: true, value };
}

function assertBaseBranch(project: Project): void {
  if (onTaskBranch(project)) {
    throw new BatonError('reviews are written on the base branch, not on a task branch', {
      hint: `Switch to \`${project.config.base_branch}\` (reviews read the merged state and are numbered there).`,
    });
  }
}

/** Validate an answer and build every file and memory entry it leads to; writes nothing. */
export function prepareReview(project: Project, input: ReviewInput, answer: ReviewAnswer, time = isoNow()): ReviewChange {
  assertBaseBranch(project);
  const existing = input.tasks;
  const byId = new Map(existing.map((t) => [t.id, t]));
  const find = (ref: string, what: string) => {
    const t = byId.get(ref.trim()) ?? existing.find((x) => ref.trim().length >= 4 && x.id.startsWith(ref.trim()));
    if (!t) throw new BatonError(`${what} names \`${ref}\`, which is not a task`, { hint: 'Use the ids from the task list.' });
    return t;
  };
  const splits = (answer.split ?? []).map((s) => {
    const task = find(s.id, 'split');
    if (task.status !== 'todo' && task.status !== 'blocked') {
      throw new BatonError(`cannot split \`${task.id}\`: it is ${task.status}`, { hint: 'Only tasks not yet started can be split; file follow-ups instead.' });
    }
    if (!s.into?.length) throw new BatonError(`split of \`${task.id}\` names no tasks to replace it`, { hint: 'List the replacement tasks in `into`.' });
    return { task, reason: s.reason, into: s.into.map((t): TaskAnswer => ({ ...t, depends_on: t.depends_on ?? task.depends_on })) };
  });
  const reopen = (answer.reopen ?? []).map((r) => ({ task: find(r.id, 'reopen'), reason: r.reason }));
  const accepted = (answer.accept ?? []).map((r) => {
    const task = find(r.id, 'accept');
    if (task.status === 'done' || task.status === 'cancelled') {
      throw new BatonError(`cannot accept \`${task.id}\`: it is ${task.status}`, { hint: 'Accept only unfinished work that the evidence shows is complete.' });
    }
    return { task, reason: r.reason };
  });
  const followUps = answer.follow_ups ?? [];
  for (const f of followUps) if (f.follows) find(f.follows, `follow-up "${f.title}"`);

  let lessons;
  try {
    lessons = applyLessonOps(input.lessons, input.findings, answer.lessons ?? [], { review: input.id, time });
  } catch (error) {
    throw new BatonError((error as Error).message, { hint: 'Name lessons by the ids listed in the prompt; `add` needs `text` and the files, symbols or phases it applies to.' });
  }
  const plan = readPlan(project.root);
  const strategy = checkStrategy(answer.strategy ?? [], lessons.file.lessons, plan);

  const answered = [...followUps, ...splits.flatMap((s) => s.into), ...strategy.flatMap((s) => s.answer.tasks ?? [])];
  const set = resolveTaskAnswers(project.root, existing, answered, new Date(time), seededHex(JSON.stringify(answered), idSalt(project.root)));
  const byKey = new Map(set.created.map((c) => [c.key, c.task]));
  const edits = new TaskEdits(project.root, set.created, set.amended);
  for (const r of reopen) if (r.task.status !== 'todo') edits.set(r.task, { status: 'todo' });
  const splitResult = splits.map((s) => {
    const into = s.into.map((t) => byKey.get(t.key ?? '')!).filter(Boolean);
    edits.set(s.task, { status: 'cancelled' });
    // Whatever waited on the split task now waits on all of its parts.
    for (const t of set.all) {
      const deps = edits.latest(t).depends_on;
      if (deps.includes(s.task.id)) edits.set(t, { depends_on: [...new Set(deps.flatMap((d) => (d === s.task.id ? into.map((i) => i.id) : [d])))] });
    }
    return { task: s.task, into, reason: s.reason };
  });
  const all = set.all.map((t) => edits.latest(t));
  const fresh = newGraphProblem(existing, all);
  if (fresh) throw new BatonError(fresh.message, { hint: fresh.hint });
  const writes = edits.change();

  const filed = followUps.flatMap((f) => {
    const task = byKey.get(f.key ?? '');
    return task && !f.id ? [{ key: f.key!, task, follows: f.follows ? find(f.follows, 'follows').id : undefined, reason: f.reason }] : [];
  });
  const strategyResult = strategy.map((s) => ({
    lesson: s.lesson, fired: firingTasks(s.lesson), reason: s.answer.reason.trim(), constraints: s.answer.constraints ?? [],
    tasks: (s.answer.tasks ?? []).map((t) => byKey.get(t.key ?? '')).filter((t): t is Task => !!t),
  }));
  for (const s of strategyResult) {
    // The new task's prompt says why it exists: the lesson and the review (a review's filing reason reaches the task it filed).
    for (const task of s.tasks) filed.push({ key: task.id, task, follows: undefined, reason: `lesson ${s.lesson.id} kept firing (${s.fired.length} tasks: ${s.fired.join(', ')}), so ${input.id} changed the plan: ${s.reason}` });
  }
  const flags = mergeFlags(input.flags, answer.unsupported_claims ?? [], byId);
  const planChanges = answer.plan_changes ?? [];
  // Notes go under `## Review notes`; plan.md (and its table) is written even without them.
  writes.plan = { notes: planChanges.map((c) => `- ${input.id}: ${c.trim()}`) };
  const constraints = constraintsAfter(plan, strategyResult, input.id);
  if (constraints !== undefined) writes.plan.sections = [['Constraints', constraints]];

  // Each lesson the plan changed for records the change: the prompts of the tasks it reaches say why.
  const marks: LessonOp[] = strategyResult.map((s) => ({ action: 'strategy', id: s.lesson.id, text: strategyNote(s) }));
  const ops = [...(answer.lessons ?? []), ...marks];
  if (marks.length) lessons = applyLessonOps(input.lessons, input.findings, ops, { review: input.id, time });
  const change: ReviewChange = {
    id: input.id, time, path: join(project.paths.reviews, `${input.id}.md`), text: '',
    filed, reopened: reopen, accepted, split: splitResult, flags, decisions: answer.decisions ?? [], planChanges, writes, memory: [],
    lessons: { findings: input.findings, ops, ...lessons }, strategy: strategyResult,
  };
  change.text = renderReview(input, answer, change);
  writes.added = [{ path: change.path, text: change.text }];
  change.memory = reviewMemory(input, answer, change);
  return change;
}

interface CheckedStrategy {
  answer: StrategyAnswer;
  lesson: Lesson;
}

/**
 * The strategy changes an answer asks for, checked: each names a lesson that
 * is kept and active, gives a reason, and changes something (tasks to add or
 * constraints); a constraint it replaces is one plan.md's Constraints say.
 * A refusal names the change (`strategy[1]`).
 */
function checkStrategy(answers: readonly StrategyAnswer[], lessons: readonly Lesson[], plan: string): CheckedStrategy[] {
  const current = findSection(plan, ['Constraints'])?.content ?? '';
  return answers.map((a, i) => {
    const where = `strategy[${i}]`;
    const lesson = lessons.find((l) => l.id === a.lesson?.trim());
    const hint = 'Name a lesson by its id from "Lessons that keep firing"; give `tasks` to add or `constraints` to change. Nothing was written.';
    if (!lesson) throw new BatonError(`${where} names \`${a.lesson ?? ''}\`, which is not a lesson (known: ${lessons.map((l) => l.id).join(', ') || 'none'})`, { hint });
    if (lesson.status !== 'active') throw new BatonError(`${where} names \`${lesson.id}\`, which is retired`, { hint });
    if (!a.reason?.trim()) throw new BatonError(`${where} (\`${lesson.id}\`) gives no \`reason\``, { hint });
    if (!a.tasks?.length && !a.constraints?.length) throw new BatonError(`${where} (\`${lesson.id}\`) changes nothing: it has no \`tasks\` and no \`constraints\``, { hint });
    a.constraints?.forEach((c, j) => {
      if (!c.text?.trim()) throw new BatonError(`${where}.constraints[${j}] has no \`text\``, { hint });
      if (c.replaces?.trim() && !current.includes(c.replaces.trim())) {
        throw new BatonError(`${where}.constraints[${j}] replaces "${c.replaces.trim()}", which plan.md's Constraints do not say`, { hint: 'Quote the constraint as plan.md words it, or leave out `replaces` to add one. Nothing was written.' });
      }
    });
    return { answer: a, lesson };
  });
}

/** The Constraints section after the strategy changes (each says which review and lesson), or undefined when none changes it. */
function constraintsAfter(plan: string, strategy: readonly { lesson: Lesson; constraints: { text: string; replaces?: string }[] }[], review: string): string | undefined {
  if (!strategy.some((s) => s.constraints.length)) return undefined;
  let content = (findSection(plan, ['Constraints'])?.content ?? '').trim();
  for (const s of strategy) {
    for (const c of s.constraints) {
      const line = `- ${c.text.trim().replace(/^[-*]\s+/, '').replace(/\s+/g, ' ')} (${review}, because lesson ${s.lesson.id} kept firing)`;
      const old = c.replaces?.trim();
      if (old) {
        const lines = content.split('\n');
        const at = lines.findIndex((l) => l.includes(old));
        lines[at] = line;
        content = lines.join('\n');
      } else content = content ? `${content}\n${line}` : line;
    }
  }
  return content;
}

/** The plan change as the lesson records it: what was added or changed, and why. */
function strategyNote(s: { reason: string; tasks: readonly Task[]; constraints: readonly { text: string; replaces?: string }[] }): string {
  const parts = [
    // A prompt shows a task id with its title: the id alone reads well in both places.
    ...s.tasks.map((t) => `added the task ${t.id}`),
    ...s.constraints.map((c) => `${c.replaces ? 'changed' : 'added'} the constraint "${c.text.trim()}"`),
  ];
  return `${parts.join('; ')}. Why: ${s.reason}`.replace(/\s+/g, ' ');
}

/**
 * Task files changed by a review: each edit applies to the latest text of its
 * file, and each existing file keeps the text it was read as (the writer's
 * `base`), so a file changed before the review is written is not overwritten.
 */
class TaskEdits {
  private readonly texts = new Map<string, { task: Task; text: string; base?: string }>();

  constructor(private readonly root: string, created: { task: Task; text: string }[], amended: { task: Task; text: string; base: string }[]) {
    for (const c of created) this.texts.set(c.task.id, { task: c.task, text: c.text });
    for (const a of amended) this.texts.set(a.task.id, { task: a.task, text: a.text, base: a.base });
  }

  latest(t: Task): Task {
    return this.texts.get(t.id)?.task ?? t;
  }

  set(t: Task, updates: Record<string, unknown>): void {
    const known = this.texts.get(t.id);
    const base = known ? known.base : readFileSync(join(this.root, t.path), 'utf8');
    const { task, text } = known ?? { task: t, text: base! };
    const after = setFrontMatterFields(text, task.path, updates);
    const parsed = parseTaskText(after, task.path);
    if (!parsed.task) throw tasksInvalid(parsed.problems);
    this.texts.set(t.id, { task: parsed.task, text: after, base });
  }

  change(): TaskChange {
    const all = [...this.texts.values()];
    return {
      created: all.filter((e) => e.base === undefined).map(({ task, text }) => ({ task, text })),
      updated: all.flatMap(({ task, text, base }) => (base === undefined ? [] : [{ task, text, base }])),
    };
  }
}

function mergeFlags(own: Flag[], claimed: NonNullable<ReviewAnswer['unsupported_claims']>, byId: Map<string, Task>): Flag[] {
  const flags = [...own];
  for (const c of claimed) {
    const task = byId.has(c.task) ? c.task : [...byId.keys()].find((id) => c.task.length >= 4 && id.startsWith(c.task)) ?? c.task;
    flags.push({ task, claim: c.claim, evidence: c.evidence ?? 'not supported by the evidence', by: 'reviewer' });
  }
  return flags;
}

export function reviewPrompt(project: Project): ChatMessage[] {
  return reviewMessages(gatherReview(project));
}

/** `--import`: the change a pasted answer leads to, checked as the API path would check it. */
export function draftReviewFromText(project: Project, text: string, source: string): ReviewChange {
  assertBaseBranch(project);
  const read = readReviewAnswer(text);
  if (!read.ok) {
    throw new BatonError(`${source} is not a usable review: ${read.error}`, {
      hint: 'Paste the model\'s whole answer (a JSON object, or markdown with ## Summary and ## Follow-ups sections); nothing was written.',
    });
  }
  return explain(() => prepareReview(project, gatherReview(project), read.value), source, text);
}

function explain<T>(fn: () => T, source: string, text?: string): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof BatonError && !error.file) {
      const line = text === undefined ? undefined : answerLine(text, error.message);
      throw new BatonError(`the review from ${source} was rejected: ${error.message}`, {
        hint: `${error.hint ?? ''} Nothing was written.`.trim(), ...(line ? { file: source, line } : {}),
      });
    }
    throw error;
  }
}

/**
 * The line of a pasted answer that a refusal is about: the first line naming
 * the id it names (`` `L-3f2a01` ``, `` `T-7f3a` ``), else, for `lessons[2]`
 * or `strategy[0]`, that item's line (its `"action"`/`"lesson"` key, or its `###` heading).
 */
function answerLine(text: string, message: string): number | undefined {
  const lines = text.split('\n');
  const id = /`((?:L|T)-[0-9a-z-]+)`/.exec(message)?.[1];
  if (id) {
    const at = lines.findIndex((l) => new RegExp(`(^|[^\\w-])${id}($|[^\\w-])`).test(l));
    if (at !== -1) return at + 1;
  }
  const item = /^(lessons|strategy)\[(\d+)\]/.exec(message);
  if (!item) return undefined;
  const start = lines.findIndex((l) => new RegExp(`^\\s*("${item[1]}"\\s*:|#+\\s*${item[1]}\\b)`, 'i').test(l));
  if (start === -1) return undefined;
  const key = item[1] === 'lessons' ? 'action' : 'lesson';
  let n = Number(item[2]);
  for (let i = start + 1; i < lines.length; i++) {
    if (new RegExp(`"${key}"\\s*:|^###\\s`).test(lines[i]!) && n-- === 0) return i + 1;
  }
  return start + 1;
}

/** The API path: ask the reviewer model, repair bad answers with it; returns the change and what it cost. */
export async function askReviewer(project: Project, modelOpts: ModelOptions): Promise<{ change: ReviewChange; usage: Usage }> {
  assertBaseBranch(project);
  const input = gatherReview(project);
  const { createModel } = await import('../llm/client.js');
  const model = createModel(project.config, 'reviewer', modelOpts);
  const result = await model.chatJson<ReviewAnswer>({
    messages: reviewMessages(input),
    schema: REVIEW_SCHEMA,
    schemaName: 'review',
    parse: parseReview,
    validate: (answer) => {
      prepareReview(project, input, answer);
      return undefined;
    },
  });
  const change = explain(() => prepareReview(project, input, result.value), `the ${model.settings.model} answer`);
  return { change, usage: { ...result.usage, purpose: `review ${input.id}` } };
}
