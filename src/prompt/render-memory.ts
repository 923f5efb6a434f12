/**
 * Memory as the prompt shows it: short times, ids always with their titles,
 * no pointers to files or commands a pasted chat cannot open, check output cut
 * to what says why it failed, no terminal escapes. Pure.
 */
import { stripAnsi } from '../core/ansi.js';
import { checkExcerpt } from '../core/check-output.js';
import type { MemoryEntry } from '../memory/entry.js';
import type { Task } from '../core/task.js';
import { condense } from './condense.js';
import type { Item } from './select.js';

export interface View {
  task: Task;
  byId: ReadonlyMap<string, Task>;
  items: readonly Item[];
  /** Direct dependency id → files its commits touched. */
  depFiles: ReadonlyMap<string, string[]>;
  /** Review notes of plan.md addressed to this task. */
  planInstructions: readonly string[];
  /** Earlier commits on this task's branch (a retry), oldest first. */
  ownCommits: readonly { sha: string; subject: string }[];
  /** Files those commits touched. */
  ownFiles: readonly string[];
  branch: string;
}

export interface Style {
  /** Entries shown condensed: their first sentence and the names and numbers the rest carries. */
  condensed?: ReadonlySet<MemoryEntry>;
  /** Leave out what helps but is not needed (files a dependency touched, explanations). */
  terse: boolean;
}

/** `2026-11-22T10:31:05Z` → `11-22 10:31`: the order is what matters, not the second. */
export function shortTime(time: string): string {
  return time.length >= 16 ? `${time.slice(5, 10)} ${time.slice(11, 16)}` : time;
}

/** A failed check's output in a prompt: its failing lines, diffs and project frames, in at most this many characters. */
const CHECK_MAX = 2500;

export function titled(id: string, byId: ReadonlyMap<string, Task>): string {
  const t = byId.get(id);
  return t ? `${t.title} (${id})` : id === 'project' ? 'project-wide' : id;
}

/**
 * A check entry: its first line (the command and how it ended), then what its
 * output says about the failure (core/check-output.ts: the same rules as when
 * it was recorded, when it is longer than fits: an entry from an older baton,
 * with colours or a long tail, reads like a new one), indented.
 */
function cutCheck(body: string): string {
  const [head = '', ...rest] = body.split('\n');
  const output = rest.filter((l) => !/^(```|~~~)/.test(l.trim())).join('\n');
  const cut = output.length <= CHECK_MAX ? stripAnsi(output) : checkExcerpt(output, { max: CHECK_MAX });
  const lines = cut.split('\n').filter((l) => l.trim());
  // Indented as a block under the entry, its own indents (a diff, a stack) kept relative to each other.
  const common = Math.min(...lines.map((l) => /^ */.exec(l)![0].length));
  const shown = lines.map((l) => `    ${l.slice(common)}`);
  return [stripAnsi(head), ...shown].join('\n');
}

/** Bodies as cleaned for a view, by entry, whole and condensed: fitting renders the same entries many times. */
const cleaned = new WeakMap<View, WeakMap<MemoryEntry, [string?, string?]>>();

export function cleanBody(entry: MemoryEntry, view: View, style: Style): string {
  let forView = cleaned.get(view);
  if (!forView) cleaned.set(view, (forView = new WeakMap()));
  let forEntry = forView.get(entry);
  if (!forEntry) forView.set(entry, (forEntry = []));
  const short = style.condensed?.has(entry) ? 1 : 0;
  let body = forEntry[short];
  if (body === undefined) {
    body = forEntry[0] ?? (forEntry[0] = cleanBodyOnce(entry, view));
    // A failed check is already cut to its failing lines: condensing it would keep only the command.
    if (short && entry.kind !== 'check') forEntry[1] = body = condense(body);
  }
  return body;
}

function cleanBodyOnce(entry: MemoryEntry, view: View): string {
  let body = entry.kind === 'check' ? cutCheck(entry.body.trim()) : stripAnsi(entry.body.trim());
  // Pointers into .agents/ and reviews' file names: the agent may not have them.
  body = body.replace(/\s*See \.agents\/\S+?\.md\.?/g, '').replace(/`?\.agents\/[\w./-]+`?/g, 'the project notes');
  // Ids alone tell an agent nothing: give each its title, once.
  const seen = new Set<string>();
  body = body.replace(/\bT-[0-9a-f]{3,16}\b(?! \()/g, (id) => {
    if (id === view.task.id) return 'this task';
    const t = view.byId.get(id);
    if (!t || seen.has(id)) return id;
    seen.add(id);
    return `"${t.title}" (${id})`;
  });
  body = body.replace(/(^|[.!?]\s+|\n)this task/g, '$1This task');
  // A review's id alone at the end of a decision: the agent cannot open the review.
  return body.replace(/\s*\((R-\d+)\)\s*$/, '').replace(/\n{3,}/g, '\n\n').trim();
}

/** What a failed try logged, with nothing succeeding since, says so: a later reader weighs it accordingly. */
function mark(item: Item): string {
  return item.standing === 'failed' && item.entry.kind !== 'bug' ? ' (from a try that did not succeed)' : '';
}

function line(item: Item, view: View, style: Style, withSource: boolean): string {
  const e = item.entry;
  const source = withSource && e.task && e.task !== view.task.id ? `, ${titled(e.task, view.byId)}` : '';
  const head = `${shortTime(e.time)} ${e.kind}${e.ref ? ` ${e.ref}` : ''}${mark(item)}${source}`;
  const body = cleanBody(e, view, style);
  return body ? `- ${head}: ${body.split('\n').join('\n  ')}` : `- ${head}`;
}

const of = (items: readonly Item[], kept: ReadonlySet<Item>, pred: (i: Item) => boolean) => items.filter((i) => kept.has(i) && pred(i));

export function redoSection(view: View, kept: ReadonlySet<Item>, style: Style): string {
  const redo = of(view.items, kept, (i) => i.group === 'redo');
  const out: string[] = [];
  const reopen = redo.find((i) => i.entry.kind === 'review');
  if (reopen) out.push(`- Reopened by a review: ${cleanBody(reopen.entry, view, style).replace(/^Reopened by [\w-]+:\s*/m, '')}`);
  for (const i of redo.filter((r) => r !== reopen)) {
    const what = i.entry.kind === 'result' ? `Last attempt ended ${i.entry.ref ?? 'without a result'}` : i.entry.kind === 'check' ? 'Failed check' : 'Blocker';
    out.push(`- ${what} (${shortTime(i.entry.time)}): ${cleanBody(i.entry, view, style).split('\n').join('\n  ')}`);
  }
  const commits = view.ownCommits.filter((c) => !/^Merge /.test(c.subject));
  if (commits.length) {
    const n = commits.length;
    const subjects = commits.slice(-5).map((c) => `"${c.subject}"`).join(', ');
    const files = view.ownFiles.slice(0, 15).map((f) => `\`${f}\``).join(', ');
    out.push(`- The branch \`${view.branch}\` already has ${n} commit${n === 1 ? '' : 's'} from earlier attempts (${subjects})${files ? `; the files they created or changed exist there: ${files}${view.ownFiles.length > 15 ? ` and ${view.ownFiles.length - 15} more` : ''}` : ''}. Build on them; fix what failed rather than start over.`);
  }
  return out.join('\n');
}

export function instructionsSection(view: View, kept: ReadonlySet<Item>, style: Style): string {
  const fromPlan = view.planInstructions.map((b) => `- ${b.split('\n').join('\n  ')}`);
  const fromMemory = of(view.items, kept, (i) => i.group === 'instruction').map((i) => `- ${cleanBody(i.entry, view, style).split('\n').join('\n  ')}`);
  return [...fromPlan, ...fromMemory].join('\n');
}

export function dependencySection(view: View, kept: ReadonlySet<Item>, style: Style): string {
  const blocks = view.task.depends_on.map((id) => {
    const dep = view.byId.get(id);
    const lines = [`### ${titled(id, view.byId)}${dep ? `, ${dep.status}` : ', task file missing'}`];
    const mine = of(view.items, kept, (i) => i.group === 'dependency' && i.about === id);
    const result = mine.find((i) => i.entry.kind === 'result');
    const recorded = !result && view.items.some((i) => i.group === 'dependency' && i.about === id && i.entry.kind === 'result');
    lines.push('', result ? `Result (${result.entry.ref ?? 'unknown'}): ${cleanBody(result.entry, view, style) || '(no summary)'}` : recorded ? 'Result: left out to fit the budget.' : 'Result: none recorded.');
    const rest = mine.filter((i) => i !== result);
    if (rest.length) lines.push('', ...rest.map((i) => `- ${i.entry.kind}${mark(i)}: ${cleanBody(i.entry, view, style).split('\n').join('\n  ')}`));
    const files = view.depFiles.get(id) ?? [];
    if (files.length && !style.terse) lines.push('', `Files its commits touched: ${files.slice(0, 12).map((f) => `\`${f}\``).join(', ')}${files.length > 12 ? ` and ${files.length - 12} more` : ''}`);
    return lines.join('\n');
  });
  const up = of(view.items, kept, (i) => i.group === 'upstream');
  if (up.length) {
    // Grouped in one pass (hundreds of ancestors): tasks in order of first appearance, items in order.
    const byTask = new Map<string, Item[]>();
    for (const i of up) {
      const list = byTask.get(i.about);
      if (list) list.push(i);
      else byTask.set(i.about, [i]);
    }
    const lines = [...byTask].map(([id, items]) => {
      const parts = items.map((i) => `  - ${i.entry.kind}${i.entry.ref ? ` (${i.entry.ref})` : ''}${mark(i)}: ${cleanBody(i.entry, view, style).split('\n').join(' ')}`);
      return `- ${titled(id, view.byId)}\n${parts.join('\n')}`;
    });
    const why = style.terse ? '' : 'The tasks those build on; their interfaces still hold unless a result above says otherwise.\n\n';
    blocks.push(`### Further up the graph\n\n${why}${lines.join('\n')}`);
  }
  return blocks.join('\n\n');
}

const sortedRelated = new WeakMap<View, Item[]>();

/** The view's related items in the order shown, sorted once: fitting renders a view many times (the order is total, so filtering keeps it). */
function relatedInOrder(view: View): Item[] {
  let sorted = sortedRelated.get(view);
  if (!sorted) {
    sorted = view.items.filter((i) => i.group === 'related')
      .sort((a, b) => a.tier - b.tier || b.score - a.score || a.entry.time.localeCompare(b.entry.time) || a.order - b.order);
    sortedRelated.set(view, sorted);
  }
  return sorted;
}

export function memorySection(view: View, kept: ReadonlySet<Item>, style: Style): string {
  const own = of(view.items, kept, (i) => i.group === 'own');
  const related = relatedInOrder(view).filter((i) => kept.has(i));
  const out: string[] = [];
  if (own.length) out.push(`### Earlier work on this task\n\n${own.map((i) => line(i, view, style, false)).join('\n')}`);
  if (related.length) out.push(`### Elsewhere in the project\n\n${related.map((i) => line(i, view, style, true)).join('\n')}`);
  return out.join('\n\n');
}

/** One or two lines: how many entries, of which kinds, from which tasks (by title). */
export function omittedSection(omitted: readonly Item[], view: View, budget: number): string {
  if (!omitted.length) return '';
  const kinds = new Map<string, number>();
  for (const i of omitted) kinds.set(i.entry.kind, (kinds.get(i.entry.kind) ?? 0) + 1);
  const kindText = [...kinds].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`).join(', ');
  const sources = [...new Set(omitted.map((i) => i.entry.task ?? 'project'))];
  const names = sources.slice(0, 3).map((id) => (id === 'project' ? 'project-wide' : `"${view.byId.get(id)?.title ?? id}"`));
  const more = sources.length > 3 ? ` and ${sources.length - 3} more` : '';
  const n = omitted.length;
  return `To fit ${budget} tokens, ${n} less relevant memory entr${n === 1 ? 'y was' : 'ies were'} left out (${kindText}; from ${names.join(', ')}${more}).`;
}

/** Lessons from recurring problems that bear on this task, as the reviewer or detection worded them. */
export function lessonsSection(view: View, kept: ReadonlySet<Item>, style: Style): string {
  return of(view.items, kept, (i) => i.group === 'lesson').map((i) => `- ${cleanBody(i.entry, view, style).split('\n').join('\n  ')}`).join('\n');
}
