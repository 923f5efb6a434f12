/** The dependency graph: cycles, readiness, the order to take tasks, mermaid. Pure. */
import type { Problem } from './errors.js';
import type { Task, TaskHead } from './task.js';

/** Every cycle, each as a closed path of ids (`[a, b, a]`), found once. */
export function findCycles(tasks: readonly Task[]): string[][] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[][] = [];
  const stack: string[] = [];

  // Iterative DFS: plans of thousands of tasks must not overflow the call stack.
  for (const root of tasks) {
    if (state.has(root.id)) continue;
    const frames: { id: string; next: number }[] = [{ id: root.id, next: 0 }];
    state.set(root.id, 'visiting');
    stack.push(root.id);
    while (frames.length) {
      const frame = frames[frames.length - 1]!;
      const deps = byId.get(frame.id)?.depends_on ?? [];
      if (frame.next < deps.length) {
        const dep = deps[frame.next++]!;
        if (!byId.has(dep)) continue;
        const s = state.get(dep);
        if (s === 'visiting') {
          cycles.push([...stack.slice(stack.indexOf(dep)), dep]);
        } else if (s === undefined) {
          state.set(dep, 'visiting');
          stack.push(dep);
          frames.push({ id: dep, next: 0 });
        }
      } else {
        state.set(frame.id, 'done');
        stack.pop();
        frames.pop();
      }
    }
  }
  return cycles;
}

/** Problems of the graph as a whole: duplicate ids, unknown dependencies, cycles. */
export function graphProblems(tasks: readonly Task[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, Task>();
  for (const t of tasks) {
    const first = seen.get(t.id);
    if (first) {
      problems.push({
        file: t.path, line: t.lines.id, severity: 'error',
        message: `duplicate id \`${t.id}\`, also used by \`${first.path}\``,
        hint: 'Give one of them a new id with `baton task add` and move its text over, or delete the copy.',
      });
    } else seen.set(t.id, t);
  }
  for (const t of tasks) {
    for (const dep of t.depends_on) {
      if (!seen.has(dep)) {
        problems.push({
          file: t.path, line: t.lines.depends_on, severity: 'error',
          message: `\`${t.id}\` depends on \`${dep}\`, which does not exist`,
          hint: 'Remove it from `depends_on` or create that task; `baton task list` shows the ids.',
        });
      }
    }
  }
  for (const cycle of findCycles(tasks)) {
    const first = seen.get(cycle[0]!)!;
    problems.push({
      file: first.path, line: first.lines.depends_on, severity: 'error',
      message: `dependency cycle: ${cycle.join(' → ')}`,
      hint: 'Remove one of these dependencies so the tasks can be done in some order.',
    });
  }
  return problems;
}

export function isReady(task: TaskHead, byId: ReadonlyMap<string, TaskHead>): boolean {
  return task.status === 'todo' && task.depends_on.every((d) => byId.get(d)?.status === 'done');
}

/** What a not-ready todo task waits on: dependencies that are not done. */
export function waitingOn(task: TaskHead, byId: ReadonlyMap<string, TaskHead>): string[] {
  return task.depends_on.filter((d) => byId.get(d)?.status !== 'done');
}

/**
 * Tasks in the order to take them: dependencies first, then phase (in the
 * order phases first appear), then creation time, then id.
 */
export function topoOrder<T extends TaskHead>(tasks: readonly T[], phaseOrder: readonly string[] = []): T[] {
  const phaseRank = new Map<string, number>();
  for (const p of phaseOrder) if (!phaseRank.has(p)) phaseRank.set(p, phaseRank.size);
  // Plain code-unit comparison: ISO times and hex ids sort correctly, and it is far faster than localeCompare.
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...tasks].sort((a, b) => cmp(a.created ?? '', b.created ?? ''));
  for (const t of sorted) if (t.phase && !phaseRank.has(t.phase)) phaseRank.set(t.phase, phaseRank.size);
  const rank = (t: T) => (t.phase ? phaseRank.get(t.phase)! : Number.MAX_SAFE_INTEGER);
  const compare = (a: T, b: T) => rank(a) - rank(b) || cmp(a.created ?? '', b.created ?? '') || cmp(a.id, b.id);

  const byId = new Map(tasks.map((t) => [t.id, t]));
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const t of tasks) {
    const deps = t.depends_on.filter((d) => byId.has(d));
    indegree.set(t.id, deps.length);
    for (const d of deps) {
      const list = dependents.get(d);
      if (list) list.push(t.id);
      else dependents.set(d, [t.id]);
    }
  }
  // Kahn's algorithm with a sorted frontier; a small binary heap keeps 5,000 tasks fast.
  const heap = new Heap<T>(compare);
  for (const t of tasks) if (indegree.get(t.id) === 0) heap.push(t);
  const out: T[] = [];
  while (heap.size) {
    const t = heap.pop()!;
    out.push(t);
    for (const d of dependents.get(t.id) ?? []) {
      const n = indegree.get(d)! - 1;
      indegree.set(d, n);
      if (n === 0) heap.push(byId.get(d)!);
    }
  }
  // Tasks on a cycle never reach indegree 0; list them last so nothing disappears.
  if (out.length < tasks.length) {
    const placed = new Set(out.map((t) => t.id));
    out.push(...tasks.filter((t) => !placed.has(t.id)).sort(compare));
  }
  return out;
}

export function nextTasks<T extends TaskHead>(tasks: readonly T[], phaseOrder: readonly string[] = []): T[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  return topoOrder(tasks, phaseOrder).filter((t) => isReady(t, byId));
}

const MERMAID_CLASS: Record<string, string> = {
  done: 'done', 'in-progress': 'active', review: 'active', blocked: 'blocked', cancelled: 'cancelled',
};

export function mermaid(tasks: readonly TaskHead[]): string {
  const lines = ['graph TD'];
  const ordered = topoOrder(tasks);
  const label = (t: TaskHead) => t.title.replace(/["\[\]{}()<>|]/g, ' ').replace(/\s+/g, ' ').trim();
  for (const t of ordered) lines.push(`  ${node(t.id)}["${t.id} ${label(t)}"]`);
  for (const t of ordered) for (const d of t.depends_on) lines.push(`  ${node(d)} --> ${node(t.id)}`);
  for (const t of ordered) {
    const cls = MERMAID_CLASS[t.status];
    if (cls) lines.push(`  class ${node(t.id)} ${cls}`);
  }
  lines.push(
    '  classDef done fill:#d3f9d8,stroke:#2b8a3e',
    '  classDef active fill:#fff3bf,stroke:#e67700',
    '  classDef blocked fill:#ffe3e3,stroke:#c92a2a',
    '  classDef cancelled fill:#f1f3f5,stroke:#868e96,color:#868e96',
  );
  return lines.join('\n');
}

function node(id: string): string {
  return id.replace(/-/g, '_');
}

class Heap<T> {
  private items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}
  get size(): number {
    return this.items.length;
  }
  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.less(a[i]!, a[p]!) >= 0) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
