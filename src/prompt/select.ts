/**
 * Which memory a task's prompt carries, where it goes in the prompt, and in
 * what order it is given up when the prompt must fit a budget. Pure.
 *
 * Tiers, most relevant first (an item's `score` ranks it within its tier: a
 * direct dependency first, then what is addressed to everyone or names this
 * task, then a shared file; results and decisions before bugs, bugs before notes):
 *   0. never given up for the "left out" note: the direct dependencies' latest
 *      results, this task's own failure history (last failed result, failed
 *      check, blocker, reopen reason), and instructions addressed to this task;
 *   1. the rest of this task's history; the direct dependencies' decisions;
 *      what the task this one follows up (or its text names) produced;
 *      project-wide decisions (they bind every task, like the plan's constraints);
 *   2. the direct dependencies' notes; the tasks further up the graph (latest
 *      result, decisions, notes); any
 *      task's result, bug, decision or note that names this task or a file it
 *      touches, or that comes from a task whose commits touched such a file;
 *   3. project-wide notes, bugs and blockers.
 * A review's summary reaches only the tasks it names (its decisions are entries of their own).
 * Routing: a project-wide entry that names tasks or their files is addressed to
 * those tasks and reaches no other. A result followed by a later result of the
 * same task is superseded and goes, and so do the decisions, notes and blockers
 * of a try that a later success of the same task superseded (memory/attempts.ts:
 * the decision that was the bug must not guide anyone); bugs found stay. What a
 * failed try logged, with nothing succeeding since, is marked as such.
 * Commits and usage are never included.
 */
import type { MemoryEntry } from '../memory/entry.js';
import { questionPairs } from '../memory/questions.js';
import { standings, type Standing } from '../memory/attempts.js';
import type { Task } from '../core/task.js';
import { CHANGES_REQUESTED } from '../memory/change-requests.js';

export type Group = 'instruction' | 'redo' | 'dependency' | 'upstream' | 'own' | 'related' | 'lesson';

export interface Item {
  tier: 0 | 1 | 2 | 3;
  group: Group;
  entry: MemoryEntry;
  /** The task this item tells about (its memory's owner, or the task an instruction names). */
  about: string;
  /** Relevance within the tier, higher is kept longer. */
  score: number;
  /** Position in the input, for a stable order. */
  order: number;
  /** `failed`: logged by a try that failed or ended partial, with no success since (said so in the prompt). */
  standing?: Standing;
}

export interface SelectInput {
  task: Task;
  tasks: readonly Task[];
  /** Task id (or `project`) → its entries, oldest first. */
  memory: ReadonlyMap<string, MemoryEntry[]>;
  /** Task id → the files it names or its commits touched. */
  files: ReadonlyMap<string, readonly string[]>;
}

const SHARED_KINDS = new Set(['result', 'bug', 'decision', 'note', 'blocker']);
/** Files nearly every task touches: sharing one says nothing about relevance. */
const HUB_FILE_RE = /(^|\/)(package(-lock)?\.json|yarn\.lock|pnpm-lock\.yaml|Cargo\.(toml|lock)|go\.(mod|sum)|poetry\.lock|requirements\.txt|README(\.md)?|CHANGELOG(\.md)?|\.gitignore|tsconfig\.json)$/i;
/** A file touched by more tasks than this (besides this one) is shared too widely to signal anything. */
const MAX_SHARERS = 3;

/** This task's files that a few other tasks also touch: the ones that make their memory relevant. */
function telling(task: Task, files: ReadonlyMap<string, readonly string[]>): Set<string> {
  const mine = new Set(files.get(task.id) ?? task.files);
  const sharers = new Map<string, number>();
  for (const [id, list] of files) if (id !== task.id) for (const f of new Set(list)) if (mine.has(f)) sharers.set(f, (sharers.get(f) ?? 0) + 1);
  return new Set([...mine].filter((f) => !HUB_FILE_RE.test(f) && (sharers.get(f) ?? 0) <= MAX_SHARERS));
}
const ID_RE = /\bT-[0-9a-f]{3,16}\b/g;

/** Task ids written in a text, known ones only. */
export function namedIds(text: string, known: ReadonlySet<string>): Set<string> {
  return new Set([...text.matchAll(ID_RE)].map((m) => m[0]).filter((id) => known.has(id)));
}

/** Files of `files` written in a text (a whole path, not a prefix of a longer one). */
export function namedFiles(text: string, files: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    let at = text.indexOf(f);
    while (at !== -1) {
      const next = text[at + f.length];
      if (!next || !/[\w/-]/.test(next) || (next === '.' && !/[\w]/.test(text[at + f.length + 1] ?? ''))) {
        out.add(f);
        break;
      }
      at = text.indexOf(f, at + 1);
    }
  }
  return out;
}

/** Ancestors of `task` beyond its direct dependencies, nearest first. */
export function furtherUp(task: Task, byId: ReadonlyMap<string, Task>): string[] {
  const direct = new Set(task.depends_on);
  const seen = new Set<string>([task.id, ...direct]);
  const out: string[] = [];
  let layer = [...task.depends_on];
  while (layer.length) {
    const next: string[] = [];
    for (const id of layer) {
      for (const d of byId.get(id)?.depends_on ?? []) {
        if (seen.has(d)) continue;
        seen.add(d);
        out.push(d);
        next.push(d);
      }
    }
    layer = next;
  }
  return out;
}

/** Tasks whose memory says a review filed `id` as their follow-up. */
export function followedBy(id: string, memory: ReadonlyMap<string, MemoryEntry[]>): string[] {
  const out: string[] = [];
  for (const [owner, entries] of memory) {
    if (owner === 'project' || owner === id) continue;
    if (entries.some((e) => e.kind === 'review' && e.body.includes(`follow-up ${id}`))) out.push(owner);
  }
  return out.sort();
}

const latestResult = (entries: readonly MemoryEntry[]) => entries.filter((e) => e.kind === 'result').at(-1);
const failedCheck = (e: MemoryEntry) => e.kind === 'check' && e.ref === 'fail';

/** Each task's entries without what a later success superseded (bugs found stay), and the standing of the rest. */
function trustedMemory(memory: ReadonlyMap<string, MemoryEntry[]>): { memory: Map<string, MemoryEntry[]>; standing: Map<MemoryEntry, Standing> } {
  const out = new Map<string, MemoryEntry[]>();
  const standing = new Map<MemoryEntry, Standing>();
  for (const [id, entries] of memory) {
    if (id === 'project') {
      out.set(id, entries);
      continue;
    }
    const s = standings(entries);
    out.set(id, entries.filter((e) => s.get(e) !== 'superseded' || e.kind === 'bug'));
    for (const [e, v] of s) if (v === 'failed') standing.set(e, v);
  }
  return { memory: out, standing };
}

export function selectMemory(input: SelectInput): Item[] {
  const { task } = input;
  const { memory, standing } = trustedMemory(input.memory);
  const byId = new Map(input.tasks.map((t) => [t.id, t]));
  const known = new Set(byId.keys());
  const deps = new Set(task.depends_on);
  const ancestors = furtherUp(task, byId);
  const followed = followedBy(task.id, memory);
  const myFiles = new Set(input.files.get(task.id) ?? task.files);
  const shared = telling(task, input.files);
  const mentionedInTask = namedIds(task.body, known);
  const allFiles = new Set([...input.files.values()].flat());
  const items: Item[] = [];
  const taken = new Set<MemoryEntry>();
  let order = 0;
  const push = (tier: Item['tier'], group: Group, entry: MemoryEntry, about: string, score: number) => {
    if (taken.has(entry)) return;
    taken.add(entry);
    items.push({ tier, group, entry, about, score, order: order++, standing: standing.get(entry) });
  };

  // This task's own history. The attempt `baton start` just opened is this one, not an earlier one.
  // A person's requests for changes have a section of their own (prompt/review-comments.ts), and so have
  // questions with their answers (prompt/answers.ts): not twice.
  const answered = new Set(questionPairs(memory.get(task.id) ?? []).filter((p) => p.answer).flatMap((p) => [p.question, p.answer!]));
  const own = (memory.get(task.id) ?? []).filter((e) => e.kind !== 'commit' && e.kind !== 'usage' && !(e.kind === 'review' && e.ref === CHANGES_REQUESTED) && !answered.has(e));
  if (own.at(-1)?.kind === 'attempt') own.pop();
  const lastResult = latestResult(own);
  const lastCheck = own.filter((e) => e.kind === 'check').at(-1);
  const lastBlocker = own.filter((e) => e.kind === 'blocker').at(-1);
  const lastReopen = own.filter((e) => e.kind === 'review' && /^Reopened by /m.test(e.body)).at(-1);
  for (const e of own) {
    const redo = (e === lastResult && e.ref !== 'success')
      || (e === lastCheck && failedCheck(e))
      || (e === lastBlocker && (!lastResult || lastResult.time <= e.time))
      || e === lastReopen;
    if (redo) push(0, 'redo', e, task.id, 3);
  }
  for (const e of own) if (e.kind !== 'check' && e.kind !== 'attempt') push(1, 'own', e, task.id, 3);

  // Direct dependencies: the latest result always; decisions next; notes, bugs and blockers lower.
  for (const dep of task.depends_on) {
    const entries = memory.get(dep) ?? [];
    const latest = latestResult(entries);
    if (latest) push(0, 'dependency', latest, dep, 3);
    for (const e of entries) {
      if (e.kind === 'decision') push(1, 'dependency', e, dep, 3);
      else if (e.kind === 'note') push(2, 'dependency', e, dep, 2.2);
      else if (e.kind === 'bug' || e.kind === 'blocker') push(2, 'related', e, dep, latest?.ref === 'success' ? 2.1 : 2.35);
    }
  }

  // The task this one follows up, and tasks its own text names: what they produced and what went wrong.
  for (const id of [...followed, ...[...mentionedInTask].filter((i) => !deps.has(i) && i !== task.id).sort()]) {
    const entries = memory.get(id) ?? [];
    const latest = latestResult(entries);
    const check = entries.filter(failedCheck).at(-1);
    for (const e of entries) {
      if (e === latest || e === check || e.kind === 'bug' || e.kind === 'decision' || e.kind === 'blocker') push(1, 'related', e, id, 2);
    }
  }

  // Further up the graph: compressed, nearest first; results and decisions before notes.
  ancestors.forEach((id, depth) => {
    const entries = memory.get(id) ?? [];
    const latest = latestResult(entries);
    const near = Math.max(0, 0.2 - depth * 0.02);
    if (latest) push(2, 'upstream', latest, id, 2.4 + near);
    for (const e of entries) {
      if (e.kind === 'decision') push(2, 'upstream', e, id, 2.3 + near);
      else if (e.kind === 'note') push(2, 'upstream', e, id, 1 + near);
    }
  });

  // Every other task: what names this task or its files, or comes from a task that touched them.
  const KIND_WEIGHT: Record<string, number> = { result: 0.3, decision: 0.2, bug: 0.25, blocker: 0.25, note: 0 };
  for (const id of [...memory.keys()].filter((k) => k !== 'project' && k !== task.id).sort()) {
    const entries = memory.get(id) ?? [];
    const latest = latestResult(entries);
    const shares = (input.files.get(id) ?? []).some((f) => shared.has(f));
    for (const e of entries) {
      if (!SHARED_KINDS.has(e.kind) || (e.kind === 'result' && e !== latest)) continue;
      const names = namedIds(e.body, known).has(task.id) || namedFiles(e.body, myFiles).size > 0;
      if (names) push(2, 'related', e, id, 2.2 + KIND_WEIGHT[e.kind]!);
      else if (shares) push(2, 'related', e, id, 1.8 + KIND_WEIGHT[e.kind]!);
    }
  }

  // memory/project.md: routed by what each entry names.
  for (const e of memory.get('project') ?? []) {
    if (!['decision', 'review', 'note', 'bug', 'blocker'].includes(e.kind)) continue;
    const ids = namedIds(e.body, known);
    const files = namedFiles(e.body, allFiles);
    const addressed = ids.has(task.id) || [...files].some((f) => myFiles.has(f));
    // A review's summary that names this task reports on it; a decision or note that names it instructs it.
    if (e.kind === 'review') {
      // A review's summary reports on the project; only what it says about this task is for this task.
      if (addressed) push(2, 'related', e, 'project', 2.2);
    } else if (addressed) push(0, 'instruction', e, task.id, 2);
    else if (ids.size || files.size) continue; // addressed to other tasks: theirs alone
    // Addressed to no one in particular, a project-wide decision binds everyone, like a constraint of the plan.
    else if (e.kind === 'decision') push(1, 'related', e, 'project', 2);
    else push(3, 'related', e, 'project', 0);
  }
  return items;
}

/** What routing reads of a lesson (memory/lessons.ts). */
export interface RoutedLesson {
  id: string;
  text: string;
  seen: string;
}

/**
 * Lessons that bear on the task (routed by memory/lessons.ts `lessonApplies`)
 * as items: tier 1, like project-wide decisions, since a recurring problem binds
 * every task it touches; given up after notes and bugs of other tasks.
 */
export function lessonItems(lessons: readonly RoutedLesson[], after: number): Item[] {
  return lessons.map((l, i) => ({
    tier: 1, group: 'lesson', about: 'project', score: 2.5, order: after + i,
    entry: { time: l.seen, kind: 'lesson', ref: l.id, body: l.text, task: 'project' },
  }));
}

/** Items in the order they are given up: lowest tier first, least relevant, then oldest. */
export function dropOrder(items: readonly Item[]): Item[] {
  return [...items].sort((a, b) => b.tier - a.tier || a.score - b.score || a.entry.time.localeCompare(b.entry.time) || a.order - b.order);
}

/** Items that are never given up to make room for the note saying what was left out. */
export function isProtected(item: Item): boolean {
  return item.tier === 0;
}
