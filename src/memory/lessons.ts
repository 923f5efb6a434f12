/**
 * Lessons: recurring problems across tasks (found in memory with no model by
 * lessons-detect.ts, or written by a reviewer or a person), the one file that
 * keeps them (`.agents/memory/lessons.md`), which tasks each reaches, and the
 * changes a review makes to them. Pure.
 *
 * The file: a title and free text, then one `## L-<id>` section per lesson:
 * `key: value` lines (status, kind, files, symbols, phases, tasks, evidence,
 * checks, seen, signature, reason), a blank line, the lesson's text. A person may edit
 * any of it; unknown keys and the text are kept as written.
 */
import { createHash } from 'node:crypto';
import type { Finding, LessonFacts } from './lessons-detect.js';

export const LESSONS_FILE = 'lessons.md';
/** Default for `lessons_fade_after`: a lesson with no new evidence while this many tasks finished stops reaching prompts. */
export const DEFAULT_FADE_AFTER = 20;
/** Default for `lessons_strategy_after`: a lesson seen in this many tasks since the plan last changed for it keeps firing. */
export const DEFAULT_STRATEGY_AFTER = 4;

export type LessonStatus = 'active' | 'retired';

export interface Lesson extends LessonFacts {
  id: string;
  status: LessonStatus;
  /** `error`, `hotspot`, `contradiction`, `retries`, or `review` (added by a reviewer or a person). */
  kind: string;
  /** What found it the same again (detected lessons): kept so an update adds evidence instead of a twin. */
  signature?: string;
  reason?: string;
  /** The last plan change a review made because the lesson kept firing: `R-002 2026-11-22T10:31:05Z: added T-7f3a "Introduce a Money type"`. */
  strategy?: string;
  /** `key: value` lines baton does not know, kept as written. */
  extra: [string, string][];
}

export interface LessonsFile {
  preamble: string;
  lessons: Lesson[];
}

export interface LessonProblem {
  line: number;
  message: string;
}

const LIST_KEYS = ['files', 'symbols', 'phases', 'checks', 'tasks', 'evidence'] as const;
const HEADING_RE = /^## (L-[0-9a-z-]+)\s*$/;
const FIELD_RE = /^([a-z_]+):\s*(.*)$/;

export function lessonsHeader(): string {
  return '# Lessons\n\nRecurring problems across tasks, routed into the prompts of tasks that touch the same files, symbols or phases.\nWritten by `baton lessons --update` and `baton review`; edit freely (keep each `## L-…` heading and its `key: value` lines).\n';
}

const splitList = (v: string) => v.split(/\s*[,;]\s*/).map((s) => s.trim()).filter(Boolean);

/** Parse `lessons.md`; problems are located by line, and a lesson with one is left out. */
export function parseLessons(text: string): LessonsFile & { problems: LessonProblem[] } {
  const lines = text.split('\n');
  const lessons: Lesson[] = [];
  const problems: LessonProblem[] = [];
  let i = 0;
  while (i < lines.length && !HEADING_RE.test(lines[i]!)) i++;
  const preamble = lines.slice(0, i).join('\n').replace(/\s+$/, '');
  while (i < lines.length) {
    const at = i + 1;
    const id = HEADING_RE.exec(lines[i]!)![1]!;
    i++;
    const lesson: Lesson = { id, status: 'active', kind: 'review', text: '', files: [], symbols: [], phases: [], checks: [], tasks: [], evidence: [], seen: '', extra: [] };
    let bad: string | undefined;
    while (i < lines.length && lines[i]!.trim() && !HEADING_RE.test(lines[i]!)) {
      const m = FIELD_RE.exec(lines[i]!);
      if (!m) break;
      const [, key, value] = m as unknown as [string, string, string];
      if ((LIST_KEYS as readonly string[]).includes(key)) (lesson as unknown as Record<string, string[]>)[key] = splitList(value);
      else if (key === 'status') {
        if (value !== 'active' && value !== 'retired') bad = `line ${i + 1}: \`status\` must be \`active\` or \`retired\`, got \`${value}\``;
        else lesson.status = value;
      } else if (key === 'kind') lesson.kind = value;
      else if (key === 'seen') lesson.seen = value;
      else if (key === 'signature') lesson.signature = value;
      else if (key === 'reason') lesson.reason = value;
      else if (key === 'strategy') lesson.strategy = value;
      else lesson.extra.push([key, value]);
      i++;
    }
    const body: string[] = [];
    while (i < lines.length && !HEADING_RE.test(lines[i]!)) body.push(lines[i++]!);
    lesson.text = body.join('\n').trim();
    if (!lesson.text) bad ??= `lesson \`${id}\` has no text`;
    if (lessons.some((l) => l.id === id)) bad ??= `lesson \`${id}\` appears twice`;
    if (bad) problems.push({ line: at, message: bad.replace(/^line \d+: /, '') });
    else lessons.push(lesson);
  }
  return { preamble, lessons, problems };
}

export function serializeLessons(file: LessonsFile): string {
  const parts = [file.preamble.trim() ? file.preamble.replace(/\s+$/, '') : lessonsHeader().trimEnd()];
  for (const l of file.lessons) {
    const fields: [string, string][] = [['status', l.status], ['kind', l.kind]];
    for (const key of LIST_KEYS) if (l[key].length) fields.push([key, l[key].join(', ')]);
    if (l.seen) fields.push(['seen', l.seen]);
    if (l.signature) fields.push(['signature', l.signature]);
    if (l.reason) fields.push(['reason', l.reason.replace(/\s+/g, ' ')]);
    if (l.strategy) fields.push(['strategy', l.strategy.replace(/\s+/g, ' ')]);
    fields.push(...l.extra);
    parts.push(`## ${l.id}\n${fields.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${l.text.trim()}`);
  }
  return `${parts.join('\n\n')}\n`;
}

export function lessonId(seed: string): string {
  return `L-${createHash('sha256').update(seed).digest('hex').slice(0, 6)}`;
}

/**
 * The lessons file after a detection pass: a finding already kept (by its
 * signature) gets the new evidence and tasks, its text left as a person or a
 * reviewer worded it; a new finding becomes a lesson; a retired lesson stays retired.
 */
export function mergeFindings(file: LessonsFile, findings: readonly Finding[]): { file: LessonsFile; added: Lesson[]; updated: Lesson[] } {
  const lessons = file.lessons.map((l) => ({ ...l }));
  const added: Lesson[] = [];
  const updated: Lesson[] = [];
  for (const f of findings) {
    // The same lesson when kept under any anchor the finding was found by (a bug class found first by its file, later by its error).
    const have = lessons.find((l) => l.signature === f.signature || (l.signature && f.anchors.includes(l.signature)));
    if (have) {
      const before = have.evidence.length + have.tasks.length;
      const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];
      have.evidence = union(have.evidence, f.evidence);
      have.tasks = union(have.tasks, f.tasks);
      have.files = union(have.files, f.files);
      have.symbols = union(have.symbols, f.symbols);
      have.checks = union(have.checks, f.checks);
      have.seen = latest([have.seen, f.seen]);
      if (have.evidence.length + have.tasks.length !== before) updated.push(have);
      continue;
    }
    const lesson: Lesson = { id: lessonId(f.signature), status: 'active', kind: f.kind, text: f.text, files: f.files, symbols: f.symbols, phases: f.phases, checks: f.checks, tasks: f.tasks, evidence: f.evidence, seen: f.seen, signature: f.signature, extra: [] };
    lessons.push(lesson);
    added.push(lesson);
  }
  return { file: { preamble: file.preamble, lessons }, added, updated };
}

/** Whether a lesson has faded: retired, or no new evidence while `fadeAfter` tasks finished (a result logged) since. */
export function isFaded(lesson: Lesson, resultTimes: ReadonlyMap<string, string>, fadeAfter: number): boolean {
  if (lesson.status === 'retired') return true;
  if (!lesson.seen) return false;
  let since = 0;
  for (const [task, time] of resultTimes) if (time > lesson.seen && !lesson.tasks.includes(task)) since++;
  return since >= fadeAfter;
}

/**
 * The tasks a lesson was seen in since a review last changed the plan for it
 * (all of them before that): when there are `lessons_strategy_after` or more,
 * it keeps firing, and the review is told so.
 */
export function firingTasks(lesson: Lesson): string[] {
  const since = /^R-\d+ (\S+Z)\b/.exec(lesson.strategy ?? '')?.[1] ?? '';
  const out = new Set<string>();
  for (const e of lesson.evidence) {
    const m = /^(T-[0-9a-f]+) (\S+Z)\b/.exec(e);
    if (m && m[2]! > since) out.add(m[1]!);
  }
  return [...out];
}

/** What a prompt says of a lesson: its text, and why the plan changed for it when a review changed it. */
export function lessonBody(lesson: Lesson): string {
  const m = /^(R-\d+) \S+Z: (.*)$/.exec(lesson.strategy ?? '');
  return m ? `${lesson.text}\n\nThis kept happening, so review ${m[1]} changed the plan: ${m[2]}` : lesson.text;
}

const latest = (times: string[]) => times.reduce((a, b) => (b > a ? b : a), '');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether a lesson bears on a task: it names a file the task touches or its
 * text names, a symbol its text names, a check it runs, or its phase.
 * Detection fills files, symbols and checks: a phase is a wide net, cast by a
 * reviewer or a person who writes it in.
 */
export function lessonApplies(lesson: Lesson, task: { phase?: string; body: string; title: string; checks?: readonly string[] }, files: ReadonlySet<string>): boolean {
  if (lesson.files.some((f) => files.has(f))) return true;
  const text = `${task.title}\n${task.body}`;
  // A whole name: `money.ts` is not named by `money.tsx`, nor `addMoney` by `addMoneyLater`.
  // A name in lower case (`rounding`, a plain subject like `sessions`) is found at the start of a sentence too.
  const named = (word: string, before: string, after: string) => new RegExp(`(^|[^${before}])${escape(word)}(?!${after})`, /[A-Z]/.test(word) ? '' : 'i').test(text);
  if (lesson.files.some((f) => named(f, '\\w/.-', '[\\w/-]|\\.\\w'))) return true;
  if (lesson.symbols.some((s) => named(s, '\\w$', '[\\w$]'))) return true;
  if (lesson.checks.some((c) => task.checks?.includes(c))) return true;
  return !!task.phase && lesson.phases.includes(task.phase);
}

// --- the reviewer's changes ------------------------------------------------

export interface LessonOp {
  /** `strategy` is baton's own: the plan change a review made for the lesson (`text`), recorded on it. */
  action: 'add' | 'reword' | 'retire' | 'strategy';
  id?: string;
  text?: string;
  files?: string[];
  symbols?: string[];
  phases?: string[];
  reason?: string;
}

export interface LessonChanges {
  file: LessonsFile;
  /** Lessons the detection pass added (before the reviewer's changes). */
  detected: Lesson[];
  added: Lesson[];
  reworded: Lesson[];
  retired: Lesson[];
}


/**
 * Pure: `file` with the findings merged, then the reviewer's changes applied.
 * A change that names no lesson, or lacks its text, throws a message naming
 * the change (`lessons[2]`): the whole answer is refused, nothing written.
 */
export function applyLessonOps(file: LessonsFile, findings: readonly Finding[], ops: readonly LessonOp[], by: { review: string; time: string }): LessonChanges {
  const merged = mergeFindings(file, findings);
  const lessons = merged.file.lessons;
  const out: LessonChanges = { file: merged.file, detected: merged.added, added: [], reworded: [], retired: [] };
  const clean = (list?: string[]) => [...new Set((list ?? []).map((s) => s.trim().replace(/^`|`$/g, '')).filter(Boolean))];
  ops.forEach((op, i) => {
    const where = `lessons[${i}] (${op.action})`;
    const text = op.text?.trim();
    if (op.action === 'add') {
      if (!text) throw new Error(`${where} has no \`text\``);
      const id = lessonId(`${by.review}:${text}`);
      if (lessons.some((l) => l.id === id)) throw new Error(`${where} repeats a lesson already added (\`${id}\`)`);
      const lesson: Lesson = {
        id, status: 'active', kind: 'review', text, files: clean(op.files), symbols: clean(op.symbols), phases: clean(op.phases),
        checks: [], tasks: [], evidence: [`${by.review} ${by.time}`], seen: by.time, reason: op.reason?.trim() || undefined, extra: [],
      };
      if (!lesson.files.length && !lesson.symbols.length && !lesson.phases.length) throw new Error(`${where} names no \`files\`, \`symbols\` or \`phases\`: it would reach no prompt`);
      lessons.push(lesson);
      out.added.push(lesson);
      return;
    }
    const lesson = lessons.find((l) => l.id === op.id?.trim());
    if (!lesson) throw new Error(`${where} names \`${op.id ?? ''}\`, which is not a lesson (known: ${lessons.map((l) => l.id).join(', ') || 'none'})`);
    if (op.action === 'strategy') {
      lesson.strategy = `${by.review} ${by.time}: ${text ?? ''}`;
      return;
    }
    if (op.action === 'reword') {
      if (!text) throw new Error(`${where} of \`${lesson.id}\` has no \`text\``);
      lesson.text = text;
      if (op.files) lesson.files = clean(op.files);
      if (op.symbols) lesson.symbols = clean(op.symbols);
      if (op.phases) lesson.phases = clean(op.phases);
      lesson.evidence = [...new Set([...lesson.evidence, `${by.review} ${by.time}`])];
      lesson.seen = latest([lesson.seen, by.time]); // a review that rewords a lesson has seen it hold
      out.reworded.push(lesson);
    } else {
      lesson.status = 'retired';
      lesson.reason = `${by.review}: ${op.reason?.trim() || 'retired by the review'}`;
      out.retired.push(lesson);
    }
  });
  return out;
}

/**
 * Pure: the merge of three versions of the lessons file (the memory merge
 * driver, for `lessons.md`): ours, with each lesson only theirs has added,
 * and a lesson only theirs changed taken from theirs. A side that does not
 * parse throws, and the driver falls back to git's line union.
 */
export function mergeLessonsText(base: string, ours: string, theirs: string): string {
  const read = (text: string) => {
    const parsed = parseLessons(text);
    if (parsed.problems.length) throw new Error(`lessons.md line ${parsed.problems[0]!.line}: ${parsed.problems[0]!.message}`);
    return parsed;
  };
  const [b, o, t] = [read(base), read(ours), read(theirs)];
  const key = (l: Lesson) => serializeLessons({ preamble: '#', lessons: [l] });
  const baseById = new Map(b.lessons.map((l) => [l.id, key(l)]));
  const theirsById = new Map(t.lessons.map((l) => [l.id, l]));
  const lessons = o.lessons.map((l) => {
    const their = theirsById.get(l.id);
    return their && key(l) === baseById.get(l.id) ? their : l;
  });
  const have = new Set(lessons.map((l) => l.id));
  for (const l of t.lessons) if (!have.has(l.id) && !baseById.has(l.id)) lessons.push(l);
  return serializeLessons({ preamble: o.preamble || t.preamble, lessons });
}
