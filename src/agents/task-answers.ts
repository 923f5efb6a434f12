/**
 * Turn tasks as a model names them (by its own keys) into task files with
 * real ids: new tasks get fresh ids, `id` entries amend existing tasks unless
 * work on them has started, and the whole graph is checked before anything is written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { graphProblems } from '../core/graph.js';
import { newTaskId } from '../core/ids.js';
import type { Task } from '../core/task.js';
import { taskBody, taskFileWithId, type NewTask } from '../tasks/write.js';
import { setFrontMatterFields } from '../workspace/frontmatter.js';
import { parseTaskText, tasksInvalid } from '../tasks/task-files.js';
import type { TaskAnswer } from './plan-schema.js';

/** Statuses a planner may still change; any other means someone is working on it or finished it. */
const AMENDABLE = new Set(['todo', 'blocked']);

export interface TaskChangeSet {
  created: { key: string; task: Task; text: string }[];
  /** `base`: the file's text the amendment was made from (the writer refuses it if the file changed since). */
  amended: { task: Task; text: string; base: string; fields: string[] }[];
  kept: { task: Task; reason: string }[];
  /** Every task after the change. */
  all: Task[];
}

export function toNewTask(a: TaskAnswer): NewTask {
  return {
    title: a.title, phase: a.phase, checks: a.checks, files: a.files,
    context: a.context, requirements: a.requirements, criteria: a.success_criteria,
  };
}

/** `ids`: where new ids come from (default random); a seeded source makes a dry run name the ids the import will use. */
export function resolveTaskAnswers(root: string, existing: readonly Task[], answers: readonly TaskAnswer[], now = new Date(), ids?: (digits: number) => string): TaskChangeSet {
  const byId = new Map(existing.map((t) => [t.id, t]));
  const taken = new Set(byId.keys());
  const keyToId = new Map<string, string>();
  const label = new Map<string, string>();
  const targets: (Task | undefined)[] = [];
  answers.forEach((a, i) => {
    const where = `tasks[${i}] (${JSON.stringify(a.title ?? '')})`;
    if (a.id) {
      const target = byId.get(a.id.trim()) ?? existing.find((t) => t.id.startsWith(a.id!.trim()) && a.id!.trim().length >= 4);
      if (!target) throw new BatonError(`${where} has \`id\` \`${a.id}\`, which is not an existing task`, { hint: 'Use `key` (not `id`) for a new task; `id` only names a task that exists.' });
      targets.push(target);
      if (a.key) keyToId.set(a.key, target.id);
      return;
    }
    if (!a.key?.trim()) throw new BatonError(`${where} has neither \`key\` nor \`id\``, { hint: 'Give every new task a short unique `key`.' });
    if (keyToId.has(a.key)) throw new BatonError(`the key \`${a.key}\` is used by two tasks`, { hint: 'Give every task its own key.' });
    const id = newTaskId(taken, ids);
    taken.add(id);
    keyToId.set(a.key, id);
    label.set(id, a.key);
    targets.push(undefined);
  });
  const resolveDep = (dep: string, i: number): string => {
    const d = dep.trim();
    const id = keyToId.get(d) ?? (byId.has(d) ? d : undefined) ?? (/^\d+$/.test(d) ? indexDep(d, answers, keyToId, targets) : undefined);
    if (!id) {
      throw new BatonError(`task \`${answers[i]!.key ?? answers[i]!.id}\` depends on \`${d}\`, which is neither a key in this answer nor an existing task id`, {
        hint: 'Every `depends_on` entry must be the `key` of a task in the answer or the id of an existing task.',
      });
    }
    return id;
  };

  const set: TaskChangeSet = { created: [], amended: [], kept: [], all: [] };
  const replaced = new Map<string, Task>();
  answers.forEach((a, i) => {
    const deps = (a.depends_on ?? []).map((d) => resolveDep(d, i));
    const target = targets[i];
    if (!target) {
      const id = keyToId.get(a.key!)!;
      // One millisecond apart, so tasks otherwise equal keep the order the planner gave.
      const made = taskFileWithId(toNewTask(a), id, deps.filter((d) => d !== id), new Date(now.getTime() + i));
      set.created.push({ key: a.key!, ...made });
      return;
    }
    if (!AMENDABLE.has(target.status)) {
      set.kept.push({ task: target, reason: `${target.status}: not changed` });
      return;
    }
    const amended = amend(root, target, a, deps);
    if (amended) {
      set.amended.push(amended);
      replaced.set(target.id, amended.task);
    }
  });
  set.all = [...existing.map((t) => replaced.get(t.id) ?? t), ...set.created.map((c) => c.task)];

  const before = new Set(graphProblems(existing).map((p) => p.message));
  const fresh = graphProblems(set.all).filter((p) => !before.has(p.message));
  if (fresh.length) {
    // Name tasks by the model's keys: that is how the answer refers to them.
    const named = (text: string) => text.replace(/T-[0-9a-f]{3,16}/g, (id) => (label.has(id) ? `\`${label.get(id)}\`` : id)).replace(/``/g, '`');
    throw new BatonError(named(fresh[0]!.message), { hint: named(fresh[0]!.hint ?? '') });
  }
  return set;
}

function indexDep(d: string, answers: readonly TaskAnswer[], keyToId: Map<string, string>, targets: (Task | undefined)[]): string | undefined {
  const i = Number(d) - 1;
  const a = answers[i];
  if (!a) return undefined;
  return targets[i]?.id ?? (a.key ? keyToId.get(a.key) : undefined);
}

function amend(root: string, task: Task, a: TaskAnswer, deps: string[]): TaskChangeSet['amended'][number] | undefined {
  const before = readFileSync(join(root, task.path), 'utf8');
  const updates: Record<string, unknown> = {};
  const fields: string[] = [];
  const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
  const consider = (key: string, value: unknown, current: unknown) => {
    if (value === undefined || same(value, current)) return;
    updates[key] = value;
    fields.push(key);
  };
  consider('title', a.title?.trim(), task.title);
  consider('phase', a.phase || undefined, task.phase);
  if (a.depends_on) consider('depends_on', deps, task.depends_on);
  consider('checks', a.checks, task.checks);
  consider('files', a.files, task.files);
  let after = Object.keys(updates).length ? setFrontMatterFields(before, task.path, updates) : before;
  if (a.context !== undefined || a.requirements !== undefined || a.success_criteria !== undefined) {
    const body = taskBody(toNewTask(a));
    if (body.trim() !== task.body.trim()) {
      after = after.slice(0, after.length - task.body.length) + body;
      fields.push('body');
    }
  }
  if (after === before) return undefined;
  const parsed = parseTaskText(after, task.path);
  if (!parsed.task) throw tasksInvalid(parsed.problems);
  return { task: parsed.task, text: after, base: before, fields };
}
