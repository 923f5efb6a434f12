/**
 * Finding recurring problems in memory, with no model. Pure.
 *
 * A problem is a bug, a failed check or a failed result. Each one has anchors: its error
 * signature (its error line with numbers, paths, ids and quoted text
 * normalised away; a failed check's only for the same command), the files it
 * names (a bare name resolved to the one path of the history it can mean) and
 * the symbols it names (backticked, called, or a stack frame's function).
 * An anchor that MIN_TASKS tasks share joins their problems; anchors that
 * mostly share their problems are one bug class, even when no two of its
 * problems are worded alike (one names the function, the next the function and
 * its file, the third the file by its bare name). A class is a finding when
 * its tasks share an error signature, or when HOTSPOT_TASKS tasks are in it;
 * it is routed by the files and symbols its tasks share, or else by the check
 * that failed; one that names nothing a task could touch (a generic error in
 * unrelated places) is no lesson. Besides these:
 *   - `contradiction`: a decision that gives a subject (a backticked term or a
 *     path) another value than an earlier decision of another task did;
 *   - `retries`: a file that commits of RETRY_ATTEMPTS or more retries (second
 *     and later attempts of a task) changed.
 * Thresholds are general, never tuned to a history.
 */
import { FOLD_KIND, parseFold } from './compact.js';
import { basename } from 'node:path';
import { stripAnsi } from '../core/ansi.js';
import type { MemoryEntry } from './entry.js';

export const MIN_TASKS = 2;
export const HOTSPOT_TASKS = 3;
export const RETRY_ATTEMPTS = 3;
/** At most this many of a finding's problems are quoted in its lesson. */
const QUOTED = 4;

/** What detection reads: every task's entries, in file order. */
export interface HistoryTask {
  id: string;
  phase?: string;
  entries: readonly MemoryEntry[];
}

/** What a lesson says, where it reaches and what it was seen in: found here, kept in lessons.md (lessons.ts). */
export interface LessonFacts {
  text: string;
  files: string[];
  symbols: string[];
  phases: string[];
  /** Check commands: a task that runs one gets the lesson (a check failing for the same reason in several tasks, named nowhere else). */
  checks: string[];
  tasks: string[];
  /** `T-1a2b 2026-11-22T10:31:05Z bug`, `commit 3f2a91c`: where it was seen. */
  evidence: string[];
  /** The latest evidence's time. */
  seen: string;
}

export interface Finding extends LessonFacts {
  kind: 'error' | 'hotspot' | 'contradiction' | 'retries';
  /** What finds it the same again: its first anchor (`error:…`, `file:…`, `symbol:…`, `decision:…`, `retries:…`). */
  signature: string;
  /** Every anchor it was found by: a lesson kept under any of them is the same lesson. */
  anchors: string[];
}

const PATH_RE = /(?:[\w.@-]+\/)+[\w.@-]+\.[A-Za-z0-9]+|\b[\w-]+\.(?:ts|tsx|js|mjs|cjs|jsx|py|go|rs|java|rb|php|cs|c|h|cpp|json|ya?ml|toml|sql|md|css|html|sh)\b/g;
const ERROR_LINE_RE = /\b(error|exception|fail(ed|ure)?|expected|assert|cannot|can't|undefined|null|panic|traceback|refused|denied|not found|invalid|mismatch|wrong)\b/i;
/** A line that states an error: `TypeError: …`, `AssertionError: …`, `error[E0382]: …`, `panic: …`, `E   assert …`. */
const ERROR_NAME_RE = /^(?:E\s+)?(?:[\w.]*(?:Error|Exception)\b|error(?:\[\w+\])?:|panic:|fatal:|assert)/i;
const STACK_FRAME_RE = /^(?:at\s|File "|\s*\^)/;
const SYMBOL_RE = /`([A-Za-z_$][\w$.]*(?:\(\))?)`|\b([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\(\)|\bat (?:new |async )?([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*) \(/g;
/** Words of every language and every error: naming one says nothing about where a problem is. */
const COMMON_WORDS = new Set([
  'undefined', 'null', 'nil', 'None', 'NaN', 'true', 'false', 'True', 'False', 'this', 'self', 'super', 'new', 'async', 'await', 'return',
  'const', 'let', 'var', 'function', 'class', 'import', 'export', 'require', 'module', 'exports', 'string', 'number', 'boolean', 'object',
  'any', 'unknown', 'void', 'never', 'Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'Promise', 'Object', 'Array',
  'JSON', 'JSON.parse', 'JSON.stringify', 'console.log', 'console.error', 'process.env', 'Object.<anonymous>', 'main', 'index', 'test', 'it', 'describe', 'expect',
]);

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
    // The error itself before a runner's headers (`FAIL test/a.test.ts > …`) and stack frames (`at f (a.ts:1:2)`).
    const output = lines.slice(1).filter((l) => !STACK_FRAME_RE.test(l));
    // No output (a timeout, a silent exit): how it ended is the reason.
    return output.find((l) => ERROR_NAME_RE.test(l)) ?? output.find((l) => ERROR_LINE_RE.test(l)) ?? output[0] ?? lines[0]?.replace(/^`[^`]*`\s*/, 'check ');
  }
  return lines[0];
}

export function filesIn(text: string): string[] {
  return [...new Set([...text.matchAll(PATH_RE)].map((m) => m[0]).filter((p) => !/(^|\/)node_modules\//.test(p)))];
}

function symbolsIn(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(SYMBOL_RE)) {
    const s = (m[1] ?? m[2] ?? m[3] ?? '').replace(/\(\)$/, '');
    PATH_RE.lastIndex = 0;
    if (s.length > 2 && !COMMON_WORDS.has(s) && !PATH_RE.test(s)) out.add(s);
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

const ev = (task: string, e: MemoryEntry) => `${task} ${e.time} ${e.kind}${e.ref ? ` ${e.ref}` : ''}`;
const latest = (times: string[]) => times.reduce((a, b) => (b > a ? b : a), '');
const commitFiles = (e: MemoryEntry) => e.body.split('\n').map((l) => /^- (.+?) \+(\d+|-) -(\d+|-)\s*$/.exec(l)?.[1]).filter((p): p is string => !!p && !p.startsWith('.agents/'));

interface Problem {
  task: string;
  entry: MemoryEntry;
  line: string;
  command?: string;
  files: string[];
  symbols: string[];
}

/**
 * A file name as the history knows it: `money.ts` is `src/billing/money.ts`
 * when that is the only path of that name that commits touched or entries
 * named; otherwise as written.
 */
function pathResolver(tasks: readonly HistoryTask[]): (file: string) => string {
  const byName = new Map<string, Set<string>>();
  const know = (p: string) => {
    if (!p.includes('/')) return;
    const set = byName.get(basename(p)) ?? new Set<string>();
    set.add(p);
    byName.set(basename(p), set);
  };
  for (const t of tasks) {
    for (const e of t.entries) {
      if (e.kind === 'commit') commitFiles(e).forEach(know);
      else if (e.kind === FOLD_KIND) parseFold(e)?.files.forEach(know); // a folded task's commits (memory/compact.ts)
      else if (e.kind === 'bug' || e.kind === 'check' || e.kind === 'decision') filesIn(e.body).forEach(know);
    }
  }
  return (file) => {
    if (file.includes('/')) return file;
    const known = byName.get(file);
    return known?.size === 1 ? [...known][0]! : file;
  };
}

function problemsOf(tasks: readonly HistoryTask[]): Problem[] {
  const resolve = pathResolver(tasks);
  const out: Problem[] = [];
  for (const t of tasks) {
    for (const e of t.entries) {
      if (e.kind !== 'bug' && !(e.kind === 'check' && e.ref === 'fail') && !(e.kind === 'result' && e.ref === 'failure')) continue;
      const body = e.kind === 'check' ? e.body.split('\n').slice(1).join('\n') : e.body;
      out.push({
        task: t.id, entry: e, line: errorLine(e) ?? '', command: e.kind === 'check' ? checkCommand(e) : undefined,
        files: [...new Set(filesIn(body).map(resolve))], symbols: symbolsIn(body),
      });
    }
  }
  return out;
}

/** Each anchor that recurs, with the problems it joins. */
function recurringAnchors(problems: readonly Problem[]): { key: string; hits: number[]; tasks: number }[] {
  const byAnchor = new Map<string, number[]>();
  problems.forEach((p, i) => {
    const sig = errorSignature(p.line);
    // Too little left to tell two errors apart.
    if (sig.replace(/<\w+>|\W/g, '').length >= 8) push(byAnchor, `error:${p.command ? `${p.command} | ${sig}` : sig}`, i);
    for (const f of p.files) push(byAnchor, `file:${f}`, i);
    for (const s of p.symbols) push(byAnchor, `symbol:${s}`, i);
  });
  const out: { key: string; hits: number[]; tasks: number }[] = [];
  for (const [key, hits] of byAnchor) {
    const tasks = new Set(hits.map((i) => problems[i]!.task)).size;
    if (tasks >= MIN_TASKS) out.push({ key, hits, tasks });
  }
  // Widest first, then the most telling (a signature, a symbol, a file), then by name: the same order on every run.
  const rank = (k: string) => (k.startsWith('error:') ? 0 : k.startsWith('symbol:') ? 1 : 2);
  return out.sort((a, b) => b.tasks - a.tasks || rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}

/** Recurring anchors grouped into bug classes: an anchor joins the class that holds at least half of its problems. */
function problemFindings(problems: readonly Problem[]): Finding[] {
  const classes: { anchors: string[]; hits: Set<number> }[] = [];
  // Which classes hold each problem: the overlap of an anchor with every class in one pass over its problems.
  const holders = new Map<number, number[]>();
  for (const a of recurringAnchors(problems)) {
    const count = new Map<number, number>();
    for (const i of a.hits) for (const c of holders.get(i) ?? []) count.set(c, (count.get(c) ?? 0) + 1);
    let best = -1;
    let overlap = 0;
    for (const [c, n] of count) if (n > overlap || (n === overlap && c < best)) [best, overlap] = [c, n];
    const target = best !== -1 && overlap * 2 >= a.hits.length ? best : classes.push({ anchors: [], hits: new Set() }) - 1;
    classes[target]!.anchors.push(a.key);
    for (const i of a.hits) {
      if (classes[target]!.hits.has(i)) continue;
      classes[target]!.hits.add(i);
      push(holders, i, target);
    }
  }
  const out: Finding[] = [];
  for (const c of classes) {
    const hits = [...c.hits].map((i) => problems[i]!).sort((a, b) => a.entry.time.localeCompare(b.entry.time));
    const ids = [...new Set(hits.map((h) => h.task))];
    const error = c.anchors.some((k) => k.startsWith('error:'));
    if (!error && ids.length < HOTSPOT_TASKS) continue; // a file or a name two bugs share is no pattern yet
    // Routed by what most of its tasks name (at least two), besides the anchors that made it recur.
    const shared = (pick: (p: Problem) => string[], prefix: string) => {
      const count = new Map<string, Set<string>>();
      for (const h of hits) for (const x of pick(h)) count.set(x, (count.get(x) ?? new Set()).add(h.task));
      return [...count].filter(([x, t]) => c.anchors.includes(`${prefix}${x}`) || (t.size >= 2 && t.size * 2 >= ids.length)).map(([x]) => x);
    };
    const files = shared((p) => p.files, 'file:').slice(0, 8);
    const symbols = shared((p) => p.symbols, 'symbol:').slice(0, 8);
    const commands = [...new Set(hits.map((h) => h.command).filter((x): x is string => !!x))];
    const checks = !files.length && !symbols.length && commands.length === 1 && hits.every((h) => h.command) ? commands : [];
    if (!files.length && !symbols.length && !checks.length) continue; // a generic error in unrelated places: nothing to route it by
    out.push({
      kind: error ? 'error' : 'hotspot', signature: c.anchors[0]!, anchors: c.anchors,
      text: problemText(hits, ids, files, symbols, commands), files, symbols, phases: [], checks, tasks: ids,
      evidence: hits.map((h) => ev(h.task, h.entry)), seen: latest(hits.map((h) => h.entry.time)),
    });
  }
  return out;
}

/** What the lesson says: where, how often, and each way it was worded (the implementer needs the words to recognise it). */
function problemText(hits: readonly Problem[], ids: readonly string[], files: readonly string[], symbols: readonly string[], commands: readonly string[]): string {
  const lines = [...new Map(hits.map((h) => [errorSignature(h.line), h] as const)).values()];
  const quoted = lines.slice(-QUOTED).map((h) => `${h.task}: "${clip(h.line, 240).replace(/"/g, "'")}"`);
  const where = [...files, ...symbols].map((x) => `\`${x}\``).join(', ');
  const check = commands.length ? ` (${commands.map((c) => `\`${c.slice(0, 80)}\` failed`).join(', ')})` : '';
  const head = lines.length === 1
    ? `The same problem came back in ${ids.length} tasks (${ids.join(', ')})${where ? ` around ${where}` : ''}${check}: ${quoted[0]!.replace(/^T-[0-9a-f]+: /, '')}.`
    : `A problem came back in ${ids.length} tasks${where ? ` around ${where}` : ''}${check}, worded differently each time: ${quoted.join('; ')}.`;
  return `${head} Find the common cause and fix it there, and check for it before reporting success.`;
}

/** A long line cut after its last whole sentence within `max` characters, else at a word. */
function clip(line: string, max: number): string {
  if (line.length <= max) return line;
  const head = line.slice(0, max);
  const sentence = head.search(/[.!?)](?=\s[^.!?]*$)/);
  if (sentence > max / 3) return head.slice(0, sentence + 1);
  return `${head.replace(/\s+\S*$/, '')} …`;
}

const ASSIGN_RE = /^(.*?)\s+(?:is|are|uses?|must be|should be|will be|stays?|becomes?|=|:)\s+(.+)$/i;
const SUPERSEDE_RE = /\b(instead of|no longer|replaces?|supersedes?|rather than|not .+ any ?more)\b/i;

const PLAIN_VERB_RE = /^(.*?)\s+(?:is|are|uses?|must be|should be|will be|stays?|becomes?)\s+(.+)$/i;
const NOT_A_SUBJECT = new Set(['we', 'it', 'this', 'that', 'they', 'i', 'you', 'there', 'he', 'she', 'everything', 'nothing', 'something', 'which', 'what', 'who', 'one']);
const cleanValue = (v: string) => v.replace(/\s*\((R-\d+)\)\s*$/, '').replace(/[.\s]+$/, '').trim().toLowerCase();

/**
 * A decision's subject and the value it gives it, if it reads as one: the
 * subject is its first backticked term or path (`` `rounding` is half-even ``),
 * else a short plain noun phrase before the verb (`Sessions are stored in
 * Redis`: `sessions`), never a pronoun.
 */
export function decisionClaim(body: string): { subject: string; value: string } | undefined {
  const first = body.split('\n').find((l) => l.trim())?.trim() ?? '';
  const subject = /`([^`]+)`/.exec(first)?.[1] ?? [...first.matchAll(PATH_RE)][0]?.[0];
  if (subject) {
    const after = first.slice(first.indexOf(subject) + subject.length).replace(/^`/, '');
    const m = ASSIGN_RE.exec(`x ${after.trim()}`);
    const value = cleanValue(m ? m[2]! : SUPERSEDE_RE.test(first) ? after : '');
    if (value) return { subject, value };
  }
  const m = PLAIN_VERB_RE.exec(first.split(/(?<=[.!?])\s/)[0]!);
  if (!m) return undefined;
  const plain = m[1]!.toLowerCase().replace(/^(the|a|an|all|every|each|our|any)\s+/, '').trim();
  const words = plain.split(/\s+/);
  if (!plain || words.length > 3 || NOT_A_SUBJECT.has(words[0]!) || /[^a-z0-9 _-]/.test(plain)) return undefined;
  const value = cleanValue(m[2]!);
  return value ? { subject: plain, value } : undefined;
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
      const say = (d: typeof later) => d.entry.body.split('\n').find((l) => l.trim())!.trim().slice(0, 240);
      const signature = `decision:${subject}:${later.claim!.value}`;
      const isFile = filesIn(subject).length > 0;
      out.push({
        kind: 'contradiction', signature, anchors: [signature],
        text: `Decisions about \`${subject}\` changed: ${earlier.task} decided "${say(earlier)}"; later ${later.task} decided "${say(later)}". The later decision supersedes the earlier one; follow it, and do not build on the old one.`,
        files: isFile ? [subject] : filesIn(`${earlier.entry.body}\n${later.entry.body}`).slice(0, 8),
        symbols: isFile ? [] : [subject], phases: [], checks: [], tasks: [earlier.task, later.task],
        evidence: [ev(earlier.task, earlier.entry), ev(later.task, later.entry)], seen: later.entry.time,
      });
    }
  }
  return out;
}

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
      kind: 'retries', signature: `retries:${file}`, anchors: [`retries:${file}`],
      text: `\`${file}\` was changed again in ${tries.size} retries (${ids.join(', ')}): work on it has needed more than one try. Understand it before changing it, and run its tests.`,
      files: [file], symbols: [], phases: [], checks: [], tasks: ids,
      evidence: hits.map((h) => `${h.task} ${h.entry.time} commit ${h.entry.ref ?? ''}`.trim()), seen: latest(hits.map((h) => h.entry.time)),
    });
  }
  return out;
}

/** Every recurring problem the history shows, in a stable order. */
export function findRecurring(tasks: readonly HistoryTask[]): Finding[] {
  return [...problemFindings(problemsOf(tasks)), ...contradictionFindings(tasks), ...retryFindings(tasks)];
}
