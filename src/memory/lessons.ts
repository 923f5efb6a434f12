/**
 * Lessons: recurring problems across tasks, found in memory with no model, and
 * the one file that keeps them (`.agents/memory/lessons.md`). Pure.
 *
 * What counts as recurring (thresholds are general, never tuned to a history):
 *   - `error`: bugs and failed checks of MIN_TASKS or more tasks with the same
 *     error signature (their first error line, numbers, paths, ids and quoted
 *     text normalised away);
 *   - `hotspot`: bugs and failed checks of HOTSPOT_TASKS or more tasks naming
 *     the same file;
 *   - `contradiction`: a decision that gives a subject (a backticked term or a
 *     path) another value than an earlier decision did (`X is Y`, `X uses Y`,
 *     `X: Y`): the later one supersedes the earlier;
 *   - `retries`: a file that commits of RETRY_ATTEMPTS or more retries (second
 *     and later attempts of a task) changed.
 *
 * The file: a title and free text, then one `## L-<id>` section per lesson:
 * `key: value` lines (status, kind, files, symbols, phases, tasks, evidence,
 * seen, signature, reason), a blank line, the lesson's text. A person may edit
 * any of it; unknown keys and the text are kept as written.
 */
import { createHash } from 'node:crypto';
import { stripAnsi } from '../core/ansi.js';
import type { MemoryEntry } from './entry.js';

export const LESSONS_FILE = 'lessons.md';
export const MIN_TASKS = 2;
export const HOTSPOT_TASKS = 3;
export const RETRY_ATTEMPTS = 3;
/** Default for `lessons_fade_after`: a lesson with no new evidence while this many tasks finished stops reaching prompts. */
export const DEFAULT_FADE_AFTER = 20;

export type LessonStatus = 'active' | 'retired';

export interface Lesson {
  id: string;
  status: LessonStatus;
  /** `error`, `hotspot`, `contradiction`, `retries`, or `review` (added by a reviewer or a person). */
  kind: string;
  text: string;
  files: string[];
  symbols: string[];
  phases: string[];
  tasks: string[];
  /** `T-1a2b 2026-11-22T10:31:05Z bug`, `commit 3f2a91c`: where it was seen. */
  evidence: string[];
  /** The latest evidence's time. */
  seen: string;
  /** What found it the same again (detected lessons): kept so an update adds evidence instead of a twin. */
  signature?: string;
  reason?: string;
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

const LIST_KEYS = ['files', 'symbols', 'phases', 'tasks', 'evidence'] as const;
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
    const lesson: Lesson = { id, status: 'active', kind: 'review', text: '', files: [], symbols: [], phases: [], tasks: [], evidence: [], seen: '', extra: [] };
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
    fields.push(...l.extra);
    parts.push(`## ${l.id}\n${fields.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${l.text.trim()}`);
  }
  return `${parts.join('\n\n')}\n`;
}

export function lessonId(seed: string): string {
  return `L-${createHash('sha256').update(seed).digest('hex').slice(0, 6)}`;
}

// --- finding recurring problems -------------------------------------------

/** What detection reads: every task's entries (file order), its phase, and the files its commits touched per attempt. */
export interface HistoryTask {
  id: string;
  phase?: string;
  entries: readonly MemoryEntry[];
}

export interface Finding {
  kind: 'error' | 'hotspot' | 'contradiction' | 'retries';
  signature: string;
  text: string;
  files: string[];
  symbols: string[];
  phases: string[];
  tasks: string[];
  evidence: string[];
  seen: string;
}

const PATH_RE = /(?:[\w.@-]+\/)+[\w.@-]+\.[A-Za-z0-9]+|\b[\w-]+\.(?:ts|tsx|js|mjs|cjs|jsx|py|go|rs|java|rb|php|cs|c|h|cpp|json|ya?ml|toml|sql|md|css|html|sh)\b/g;
const ERROR_LINE_RE = /\b(error|exception|fail(ed|ure)?|expected|assert|cannot|can't|undefined|null|panic|traceback|refused|denied|not found|invalid|mismatch|wrong)\b/i;
const SYMBOL_RE = /`([A-Za-z_$][\w$.]*(?:\(\))?)`|\b([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\(\)/g;

/** A line with numbers, paths, ids, hashes and quoted text normalised away: what makes two errors the same. */
export function errorSignature(line: string): string {
  return stripAnsi(line)
    .toLowerCase()
    .replace(/(["'`]).*?\1/g, '<s>')
    .replace(PATH_RE, '<path>')
    .replace(/\bt-[0-9a-f]{3,16}\b/g, '<id>')
    .replace(/\b[0-9a-f]{7,40}\b/g, '<id>')
    .replace(/\d+(\.\d+)*/g, '<n>')
    .replace(/^[\s\-*>#:]+/, '')
    .replace(/\s+/g, ' ')
    .replace(/[.:;,\s]+$/, '')
    .trim();
}

/** The command of a check entry (its first line: `` `npm test` exited 1 in 2.0s ``). */
function checkCommand(entry: MemoryEntry): string {
  return /^`([^`]*)`/.exec(entry.body.trim())?.[1] ?? entry.body.split('\n')[0]!.trim();
}

/** The line of a bug or failed check that says what went wrong. */
export function errorLine(entry: MemoryEntry): string | undefined {
  const lines = stripAnsi(entry.body).split('\n').map((l) => l.trim()).filter((l) => l && !/^(```|~~~)/.test(l));
  if (entry.kind === 'check') {
    const output = lines.slice(1);
    // No output (a timeout, a silent exit): how it ended is the reason.
    return output.find((l) => ERROR_LINE_RE.test(l)) ?? output[0] ?? lines[0]?.replace(/^`[^`]*`\s*/, 'check ');
  }
  return lines[0];
}

export function filesIn(text: string): string[] {
  return [...new Set([...text.matchAll(PATH_RE)].map((m) => m[0]))];
}

function symbolsIn(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(SYMBOL_RE)) {
    const s = (m[1] ?? m[2] ?? '').replace(/\(\)$/, '');
    if (s && !PATH_RE.test(s) && s.length > 2) out.add(s);
    PATH_RE.lastIndex = 0;
  }
  return [...out];
}

/** Append to a map of lists in place: histories are long, and copying each list would make a pass quadratic. */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const problemEntries = (t: HistoryTask) => t.entries.filter((e) => e.kind === 'bug' || (e.kind === 'check' && e.ref === 'fail'));
const ev = (task: string, e: MemoryEntry) => `${task} ${e.time} ${e.kind}${e.ref ? ` ${e.ref}` : ''}`;
const latest = (times: string[]) => times.reduce((a, b) => (b > a ? b : a), '');

function errorFindings(tasks: readonly HistoryTask[]): Finding[] {
  const groups = new Map<string, { task: string; entry: MemoryEntry; line: string }[]>();
  for (const t of tasks) {
    for (const e of problemEntries(t)) {
      const line = errorLine(e);
      const sig = line ? errorSignature(line) : '';
      if (sig.replace(/<\w+>|\W/g, '').length < 8) continue; // too little left to tell two errors apart
      // A failed check's reason counts as the same only for the same command.
      const key = e.kind === 'check' ? `${checkCommand(e)} | ${sig}` : sig;
      push(groups, key, { task: t.id, entry: e, line: line! });
    }
  }
  const out: Finding[] = [];
  for (const [sig, hits] of groups) {
    const ids = [...new Set(hits.map((h) => h.task))];
    if (ids.length < MIN_TASKS) continue;
    const sample = hits.at(-1)!;
    const check = hits.find((h) => h.entry.kind === 'check');
    const command = check ? checkCommand(check.entry) : '';
    const bodies = hits.map((h) => h.entry.body).join('\n');
    out.push({
      kind: 'error', signature: `error:${sig}`,
      text: `The same error came back in ${ids.length} tasks (${ids.join(', ')}): \`${sample.line.slice(0, 200)}\`${check ? `, a failure of \`${command.slice(0, 80)}\`` : ''}. Find its cause once and check for it before reporting success.`,
      files: filesIn(bodies).slice(0, 8), symbols: symbolsIn(bodies).slice(0, 8), phases: [], tasks: ids,
      evidence: hits.map((h) => ev(h.task, h.entry)), seen: latest(hits.map((h) => h.entry.time)),
    });
  }
  return out;
}

function hotspotFindings(tasks: readonly HistoryTask[], taken: ReadonlySet<string>): Finding[] {
  const byFile = new Map<string, { task: string; entry: MemoryEntry }[]>();
  for (const t of tasks) for (const e of problemEntries(t)) for (const f of filesIn(e.body)) push(byFile, f, { task: t.id, entry: e });
  const out: Finding[] = [];
  for (const [file, hits] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const ids = [...new Set(hits.map((h) => h.task))];
    if (ids.length < HOTSPOT_TASKS || taken.has(ids.join(',') + file)) continue;
    out.push({
      kind: 'hotspot', signature: `file:${file}`,
      text: `Bugs or failed checks in ${ids.length} tasks (${ids.join(', ')}) concern \`${file}\`. Read it closely and test it when you change it.`,
      files: [file], symbols: [], phases: [], tasks: ids,
      evidence: hits.map((h) => ev(h.task, h.entry)), seen: latest(hits.map((h) => h.entry.time)),
    });
  }
  return out;
}

const ASSIGN_RE = /^(.*?)\s+(?:is|are|uses?|must be|should be|will be|stays?|becomes?|=|:)\s+(.+)$/i;
const SUPERSEDE_RE = /\b(instead of|no longer|replaces?|supersedes?|rather than|not .+ any ?more)\b/i;

/** A decision's subject (its first backticked term or path) and the value it gives it, if it reads as one. */
export function decisionClaim(body: string): { subject: string; value: string } | undefined {
  const first = body.split('\n').find((l) => l.trim())?.trim() ?? '';
  const subject = /`([^`]+)`/.exec(first)?.[1] ?? [...first.matchAll(PATH_RE)][0]?.[0];
  if (!subject) return undefined;
  const at = first.indexOf(subject);
  const after = first.slice(at + subject.length).replace(/^`/, '');
  const m = ASSIGN_RE.exec(`x ${after.trim()}`);
  const value = (m ? m[2]! : SUPERSEDE_RE.test(first) ? after : '').replace(/\s*\((R-\d+)\)\s*$/, '').replace(/[.\s]+$/, '').trim().toLowerCase();
  return value ? { subject, value } : undefined;
}

function contradictionFindings(tasks: readonly HistoryTask[]): Finding[] {
  const decisions = tasks.flatMap((t) => t.entries.filter((e) => e.kind === 'decision').map((e) => ({ task: t.id, entry: e, claim: decisionClaim(e.body) })))
    .filter((d) => d.claim)
    .sort((a, b) => a.entry.time.localeCompare(b.entry.time));
  const out: Finding[] = [];
  const bySubject = new Map<string, typeof decisions>();
  for (const d of decisions) push(bySubject, d.claim!.subject, d);
  for (const [subject, list] of bySubject) {
    for (let i = 1; i < list.length; i++) {
      const later = list[i]!;
      // A value that only adds to the earlier one (`Postgres` → `Postgres 15`) is no contradiction, unless the later one says it replaces it.
      const replaces = SUPERSEDE_RE.test(later.entry.body);
      const earlier = [...list.slice(0, i)].reverse().find((d) => d.claim!.value !== later.claim!.value
        && (replaces || (!d.claim!.value.includes(later.claim!.value) && !later.claim!.value.includes(d.claim!.value))));
      if (!earlier || earlier.task === later.task) continue;
      const say = (d: typeof later) => d.entry.body.split('\n').find((l) => l.trim())!.trim().slice(0, 200);
      out.push({
        kind: 'contradiction', signature: `decision:${subject}:${later.claim!.value}`,
        text: `Decisions about \`${subject}\` changed: ${earlier.task} decided "${say(earlier)}"; later ${later.task} decided "${say(later)}". The later decision supersedes the earlier one; follow it, and do not build on the old one.`,
        files: filesIn(subject).length ? [subject] : filesIn(`${earlier.entry.body}\n${later.entry.body}`).slice(0, 8),
        symbols: filesIn(subject).length ? [] : [subject], phases: [], tasks: [earlier.task, later.task],
        evidence: [ev(earlier.task, earlier.entry), ev(later.task, later.entry)], seen: later.entry.time,
      });
    }
  }
  return out;
}

const commitFiles = (e: MemoryEntry) => e.body.split('\n').map((l) => /^- (.+?) \+(\d+|-) -(\d+|-)\s*$/.exec(l)?.[1]).filter((p): p is string => !!p && !p.startsWith('.agents/'));

function retryFindings(tasks: readonly HistoryTask[]): Finding[] {
  const byFile = new Map<string, { task: string; attempt: number; entry: MemoryEntry }[]>();
  for (const t of tasks) {
    let attempt = 0;
    for (const e of t.entries) {
      if (e.kind === 'attempt') attempt++;
      else if (e.kind === 'commit' && attempt >= 2) for (const f of commitFiles(e)) push(byFile, f, { task: t.id, attempt, entry: e });
    }
  }
  const out: Finding[] = [];
  for (const [file, hits] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const tries = new Set(hits.map((h) => `${h.task}#${h.attempt}`));
    if (tries.size < RETRY_ATTEMPTS) continue;
    const ids = [...new Set(hits.map((h) => h.task))];
    out.push({
      kind: 'retries', signature: `retries:${file}`,
      text: `\`${file}\` was changed again in ${tries.size} retries (${ids.join(', ')}): work on it has needed more than one try. Understand it before changing it, and run its tests.`,
      files: [file], symbols: [], phases: [], tasks: ids,
      evidence: hits.map((h) => `${h.task} ${h.entry.time} commit ${h.entry.ref ?? ''}`.trim()), seen: latest(hits.map((h) => h.entry.time)),
    });
  }
  return out;
}

/** Every recurring problem the history shows, in a stable order. */
export function findRecurring(tasks: readonly HistoryTask[]): Finding[] {
  const errors = errorFindings(tasks);
  const covered = new Set(errors.flatMap((f) => f.files.map((file) => f.tasks.join(',') + file)));
  return [...errors, ...hotspotFindings(tasks, covered), ...contradictionFindings(tasks), ...retryFindings(tasks)];
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
    const have = lessons.find((l) => l.signature === f.signature);
    if (have) {
      const before = have.evidence.length + have.tasks.length;
      have.evidence = [...new Set([...have.evidence, ...f.evidence])];
      have.tasks = [...new Set([...have.tasks, ...f.tasks])];
      have.files = [...new Set([...have.files, ...f.files])];
      have.seen = latest([have.seen, f.seen]);
      if (have.evidence.length + have.tasks.length !== before) updated.push(have);
      continue;
    }
    const lesson: Lesson = { id: lessonId(f.signature), status: 'active', kind: f.kind, text: f.text, files: f.files, symbols: f.symbols, phases: f.phases, tasks: f.tasks, evidence: f.evidence, seen: f.seen, signature: f.signature, extra: [] };
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
 * Whether a lesson bears on a task: it names a file the task touches, a symbol
 * its text names, or its phase. Detection fills files and symbols only: a phase
 * is a wide net, cast by a reviewer or a person who writes it in.
 */
export function lessonApplies(lesson: Lesson, task: { phase?: string; body: string; title: string }, files: ReadonlySet<string>): boolean {
  if (lesson.files.some((f) => files.has(f))) return true;
  const text = `${task.title}\n${task.body}`;
  if (lesson.symbols.some((s) => new RegExp(`(^|[^\\w$])${s.replace(/[.$]/g, '\\$&')}($|[^\\w$])`).test(text))) return true;
  return !!task.phase && lesson.phases.includes(task.phase);
}

// --- the reviewer's changes ------------------------------------------------

export interface LessonOp {
  action: 'add' | 'reword' | 'retire';
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

/** The findings as the lessons they become (an id the reviewer may name before the file holds it). */
export function pendingLessons(file: LessonsFile, findings: readonly Finding[]): Lesson[] {
  return mergeFindings(file, findings).added;
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
        tasks: [], evidence: [`${by.review} ${by.time}`], seen: by.time, reason: op.reason?.trim() || undefined, extra: [],
      };
      if (!lesson.files.length && !lesson.symbols.length && !lesson.phases.length) throw new Error(`${where} names no \`files\`, \`symbols\` or \`phases\`: it would reach no prompt`);
      lessons.push(lesson);
      out.added.push(lesson);
      return;
    }
    const lesson = lessons.find((l) => l.id === op.id?.trim());
    if (!lesson) throw new Error(`${where} names \`${op.id ?? ''}\`, which is not a lesson (known: ${lessons.map((l) => l.id).join(', ') || 'none'})`);
    if (op.action === 'reword') {
      if (!text) throw new Error(`${where} of \`${lesson.id}\` has no \`text\``);
      lesson.text = text;
      if (op.files) lesson.files = clean(op.files);
      if (op.symbols) lesson.symbols = clean(op.symbols);
      if (op.phases) lesson.phases = clean(op.phases);
      lesson.evidence = [...new Set([...lesson.evidence, `${by.review} ${by.time}`])];
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
