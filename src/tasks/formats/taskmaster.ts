/**
 * Task Master's `.taskmaster/tasks/tasks.json`: tagged (`{"master": {"tasks": [...]}}`)
 * or the older `{"tasks": [...]}`. Subtasks (`2.1`) become tasks of their own: the
 * parent depends on them and they inherit the parent's dependencies, so the order
 * Task Master means is kept without a parent field baton does not have.
 */
import { BatonError } from '../../core/errors.js';
import type { Status, Task } from '../../core/task.js';
import { batonBody, listItems, statusFromWord, str, strings, unknownStatus, type ForeignPlan, type ForeignTask } from './foreign.js';

interface TmTask {
  id?: unknown; title?: unknown; description?: unknown; details?: unknown; testStrategy?: unknown;
  status?: unknown; dependencies?: unknown; priority?: unknown; subtasks?: unknown;
  /** What `baton export taskmaster` adds so a round trip loses nothing Task Master has no field for. */
  baton?: { id?: unknown; source?: unknown; phase?: unknown; files?: unknown; checks?: unknown; labels?: unknown };
}


export function readTaskmaster(text: string, file: string, tag?: string): ForeignPlan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BatonError(`${file} is not JSON: ${(error as Error).message}`, { file, hint: 'Give the path of Task Master\'s tasks.json (.taskmaster/tasks/tasks.json); nothing was written.' });
  }
  const root = data as Record<string, unknown>;
  let list: unknown;
  let base = 'tasks';
  if (root && Array.isArray(root.tasks)) list = root.tasks;
  else if (root && typeof root === 'object') {
    const tags = Object.keys(root).filter((k) => Array.isArray((root[k] as { tasks?: unknown })?.tasks));
    const chosen = tag ?? (tags.includes('master') ? 'master' : tags.length === 1 ? tags[0] : undefined);
    if (!chosen || !tags.includes(chosen)) {
      throw new BatonError(`${file}: ${tag ? `no tag \`${tag}\`` : 'several tags and none chosen'}; tags: ${tags.join(', ') || 'none'}`, { file, hint: 'Choose one with `--tag NAME`; nothing was written.' });
    }
    list = (root[chosen] as { tasks: unknown }).tasks;
    base = `${chosen}.tasks`;
  }
  if (!Array.isArray(list)) throw new BatonError(`${file} has no task list`, { file, hint: 'Expected {"master": {"tasks": [...]}} or {"tasks": [...]}; nothing was written.' });

  const tasks: ForeignTask[] = [];
  const topIds = new Set(list.map((t) => str((t as TmTask)?.id)).filter(Boolean));
  list.forEach((raw, i) => {
    const t = raw as TmTask;
    const where = `${file}: ${base}[${i}]`;
    const id = str(t?.id);
    if (!id) throw new BatonError(`${where} has no \`id\``, { file, hint: 'Every Task Master task has a numeric id; nothing was written.' });
    const task = one(t, `taskmaster#${id}`, where);
    task.dependsOn = depList(t.dependencies, where).map((d) => `taskmaster#${d}`);
    const subs = Array.isArray(t.subtasks) ? t.subtasks : [];
    const subIds = new Set(subs.map((s) => str((s as TmTask)?.id)));
    subs.forEach((rawSub, j) => {
      const s = rawSub as TmTask;
      const sWhere = `${where}.subtasks[${j}]`;
      const sid = str(s?.id);
      if (!sid) throw new BatonError(`${sWhere} has no \`id\``, { file, hint: 'Every subtask has an id; nothing was written.' });
      const sub = one(s, `taskmaster#${id}.${sid}`, sWhere);
      // A number names a sibling subtask when there is one, else a top-level task; `2.1` names a subtask.
      const own = depList(s.dependencies, sWhere).map((d) => (d.includes('.') ? d : subIds.has(d) ? `${id}.${d}` : topIds.has(d) ? d : `${id}.${d}`));
      sub.dependsOn = [...new Set([...own, ...depList(t.dependencies, where)])].map((d) => `taskmaster#${d}`);
      task.dependsOn.push(sub.ref);
      tasks.push(sub);
    });
    tasks.push(task);
  });
  return { format: 'taskmaster', tasks };
}

function depList(v: unknown, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new BatonError(`${where}: \`dependencies\` must be a list`, { hint: 'Write it like "dependencies": [1, 2]; nothing was written.' });
  return v.map((d) => {
    const s = str(d);
    if (!s) throw new BatonError(`${where}: \`dependencies\` has ${JSON.stringify(d)}, which is not a task id`, { hint: 'Task ids are numbers like 3 or "3.1"; nothing was written.' });
    return s.trim();
  });
}

function one(t: TmTask, ref: string, where: string): ForeignTask {
  const title = str(t.title)?.trim();
  if (!title) throw new BatonError(`${where} has no \`title\``, { hint: 'Every task needs a title; nothing was written.' });
  const status = statusFromWord(t.status);
  if (!status) throw unknownStatus(t.status, where);
  const extra = t.baton && typeof t.baton === 'object' ? t.baton : undefined;
  const fromBaton = batonBody(str(t.details));
  const description = str(t.description)?.trim();
  const details = str(t.details)?.trim();
  const context = fromBaton ? fromBaton.context : [description, details].filter(Boolean).join('\n\n') || undefined;
  return {
    ref,
    source: str(extra?.source) ?? ref,
    batonId: str(extra?.id),
    title,
    context,
    requirements: fromBaton?.requirements,
    criteria: fromBaton ? fromBaton.criteria : listItems(str(t.testStrategy)),
    checks: strings(extra?.checks),
    files: strings(extra?.files),
    phase: str(extra?.phase),
    dependsOn: [],
    status,
    priority: str(t.priority),
    labels: strings(extra?.labels),
    where,
  };
}

const TM_STATUS: Record<Status, string> = { todo: 'pending', 'in-progress': 'in-progress', review: 'review', done: 'done', blocked: 'blocked', cancelled: 'cancelled' };

export interface ExportTask {
  task: Task;
  source?: string;
  priority?: string;
  labels?: string[];
  context?: string;
  requirements: string[];
  criteria: string[];
}

/** baton's tasks as Task Master's tagged tasks.json; what Task Master has no field for rides in `baton`. */
export function writeTaskmaster(tasks: readonly ExportTask[], body: (t: ExportTask) => string): string {
  const ids = numberIds(tasks, 'taskmaster#');
  const out = tasks.map((e) => {
    const first = (e.context ?? '').split('\n').find((l) => l.trim())?.trim();
    return {
      id: ids.get(e.task.id)!,
      title: e.task.title,
      description: first ?? e.task.title,
      details: body(e),
      testStrategy: e.criteria.map((c) => `- ${c}`).join('\n'),
      status: TM_STATUS[e.task.status],
      dependencies: e.task.depends_on.map((d) => ids.get(d)).filter((d): d is number => d !== undefined),
      ...(e.priority ? { priority: e.priority } : {}),
      subtasks: [],
      baton: {
        id: e.task.id,
        ...(e.source ? { source: e.source } : {}),
        ...(e.task.phase ? { phase: e.task.phase } : {}),
        ...(e.task.files.length ? { files: e.task.files } : {}),
        ...(e.task.checks.length ? { checks: e.task.checks } : {}),
        ...(e.labels?.length ? { labels: e.labels } : {}),
      },
    };
  });
  return `${JSON.stringify({ master: { tasks: out, metadata: { created: new Date(0).toISOString(), description: 'Exported by baton' } } }, null, 2)}\n`;
}

/** Numbers for the exported tasks: a task imported from this format keeps its number; the others take the next free ones. */
export function numberIds(tasks: readonly ExportTask[], prefix: string): Map<string, number> {
  const ids = new Map<string, number>();
  const used = new Set<number>();
  for (const e of tasks) {
    const m = e.source?.startsWith(prefix) ? /^(\d+)$/.exec(e.source.slice(prefix.length).replace(/^TASK-/i, '')) : null;
    const n = m ? Number(m[1]) : undefined;
    if (n !== undefined && !used.has(n)) {
      ids.set(e.task.id, n);
      used.add(n);
    }
  }
  let next = 1;
  for (const e of tasks) {
    if (ids.has(e.task.id)) continue;
    while (used.has(next)) next++;
    ids.set(e.task.id, next);
    used.add(next);
  }
  return ids;
}
