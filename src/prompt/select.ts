/**
 * Which memory a task's prompt carries, and in what order it is given up when
 * the prompt must fit a budget. Pure.
 *
 * Relevance, most relevant first:
 *   0. what the tasks it depends on produced: their latest result and their decisions;
 *   1. this task's own history: earlier attempts, results, bugs, blockers, decisions, notes;
 *   2. bugs, decisions, blockers and notes elsewhere that name this task or one of its files;
 *   3. the rest that may bear on it: project-wide decisions and reviews, the dependencies'
 *      bugs and blockers, decisions of the tasks further up the graph.
 * Commits, usage and other tasks' unrelated entries are never included.
 */
import type { MemoryEntry } from '../core/memory.js';
import type { Task } from '../core/task.js';

export type Group = 'dependency' | 'own' | 'related';

export interface Item {
  tier: 0 | 1 | 2 | 3;
  group: Group;
  entry: MemoryEntry;
  /** The dependency this item describes (group `dependency`). */
  dep?: string;
  /** Position in the input, for a stable order. */
  order: number;
}

const OWN_KINDS = new Set(['attempt', 'result', 'bug', 'blocker', 'decision', 'note', 'review', 'check']);
const SHARED_KINDS = new Set(['bug', 'decision', 'blocker', 'note', 'review']);

function mentions(entry: MemoryEntry, needles: string[]): boolean {
  return needles.some((n) => entry.body.includes(n) || entry.ref === n);
}

/** Ancestors of `task` beyond its direct dependencies. */
function furtherUp(task: Task, byId: ReadonlyMap<string, Task>): Set<string> {
  const direct = new Set(task.depends_on);
  const seen = new Set<string>();
  const stack = [...task.depends_on];
  while (stack.length) {
    const id = stack.pop()!;
    for (const d of byId.get(id)?.depends_on ?? []) {
      if (seen.has(d) || d === task.id) continue;
      seen.add(d);
      stack.push(d);
    }
  }
  for (const d of direct) seen.delete(d);
  return seen;
}

/** `memory` maps a task id (or `project`) to its entries, oldest first. */
export function selectMemory(task: Task, tasks: readonly Task[], memory: ReadonlyMap<string, MemoryEntry[]>): Item[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const deps = new Set(task.depends_on);
  const ancestors = furtherUp(task, byId);
  const needles = [task.id, ...task.files];
  const items: Item[] = [];
  let order = 0;
  const push = (tier: Item['tier'], group: Group, entry: MemoryEntry, dep?: string) =>
    items.push({ tier, group, entry, dep, order: order++ });

  for (const dep of task.depends_on) {
    const entries = memory.get(dep) ?? [];
    const latest = entries.filter((e) => e.kind === 'result').pop();
    for (const e of entries) {
      if (e === latest || e.kind === 'decision') push(0, 'dependency', e, dep);
    }
  }
  const own = (memory.get(task.id) ?? []).filter((e) => OWN_KINDS.has(e.kind));
  // The attempt `baton start` just opened is this one, not an earlier one.
  if (own.at(-1)?.kind === 'attempt') own.pop();
  for (const e of own) push(1, 'own', e);
  const ids = [...memory.keys()].filter((k) => k !== task.id).sort();
  for (const id of ids) {
    const entries = memory.get(id) ?? [];
    const latest = deps.has(id) ? entries.filter((e) => e.kind === 'result').pop() : undefined;
    for (const e of entries) {
      if (deps.has(id) && (e === latest || e.kind === 'decision')) continue; // already in tier 0
      const shared = SHARED_KINDS.has(e.kind) || (deps.has(id) && e.kind === 'result');
      if (!shared) continue;
      if (mentions(e, needles)) push(2, 'related', e);
      else if (id === 'project' || deps.has(id) || (ancestors.has(id) && e.kind === 'decision')) push(3, 'related', e);
    }
  }
  return items;
}

/** Items in the order they are given up: least relevant tier first, oldest first within a tier. */
export function dropOrder(items: readonly Item[]): Item[] {
  return [...items].sort((a, b) => b.tier - a.tier || a.entry.time.localeCompare(b.entry.time) || a.order - b.order);
}
