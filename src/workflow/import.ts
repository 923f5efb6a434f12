/**
 * `baton import FORMAT PATH` and `baton export FORMAT PATH`: another planner's
 * plan in, baton's plan out. The import is read whole, checked like a plan
 * answer (unknown references, cycles) and then written as one change; the
 * source's own id is kept in each task's front matter (`source: taskmaster#12`)
 * so a second import of the same plan updates the tasks it made instead of
 * adding them again. Tasks someone has started or finished are kept as they are.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { BatonError } from '../core/errors.js';
import type { Status, Task } from '../core/task.js';
import { resolveTaskAnswers } from '../agents/task-answers.js';
import type { TaskAnswer } from '../agents/plan-schema.js';
import { applyTaskChange, previewTaskChange, type TaskChange } from '../tasks/change.js';
import { batonBody, checkReferences, strings, type ForeignPlan, type ForeignTask, type Format } from '../tasks/formats/foreign.js';
import { readTaskmaster, writeTaskmaster, type ExportTask } from '../tasks/formats/taskmaster.js';
import { readBacklog, writeBacklog } from '../tasks/formats/backlog.js';
import { readSpeckit } from '../tasks/formats/speckit.js';
import { readBeads } from '../tasks/formats/beads.js';
import { parseTaskText, tasksInvalid, loadTasks } from '../tasks/task-files.js';
import { taskBody } from '../tasks/write.js';
import { parseFrontMatter, setFrontMatterFields } from '../workspace/frontmatter.js';
import type { Project } from '../workspace/context.js';
import { seededHex } from '../core/ids.js';
import { idSalt } from '../workspace/id-salt.js';

export type ExportFormat = 'taskmaster' | 'backlog';

/** Read another tool's plan from `path` (a file or folder, as the format wants). */
export function readForeignPlan(format: Format, path: string, cwd: string, opts: { tag?: string } = {}): ForeignPlan {
  const abs = isAbsolute(path) ? path : resolve(cwd, path);
  if (!existsSync(abs)) throw new BatonError(`${path} does not exist`, { hint: formatHint(format) });
  const isDir = statSync(abs).isDirectory();
  const fileIn = (candidates: string[]) => {
    if (!isDir) return abs;
    const found = candidates.map((c) => join(abs, c)).find((c) => existsSync(c));
    if (!found) throw new BatonError(`${path} has none of ${candidates.join(', ')}`, { hint: formatHint(format) });
    return found;
  };
  const shown = (file: string) => (file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file);
  let plan: ForeignPlan;
  if (format === 'backlog') plan = readBacklog(abs, cwd);
  else {
    const file = fileIn(format === 'taskmaster' ? ['.taskmaster/tasks/tasks.json', 'tasks/tasks.json', 'tasks.json'] : format === 'speckit' ? ['tasks.md'] : ['.beads/issues.jsonl', 'issues.jsonl']);
    const text = readFileSync(file, 'utf8');
    plan = format === 'taskmaster' ? readTaskmaster(text, shown(file), opts.tag) : format === 'speckit' ? readSpeckit(text, shown(file)) : readBeads(text, shown(file));
  }
  checkReferences(plan);
  return plan;
}

function formatHint(format: Format): string {
  return {
    taskmaster: 'Give Task Master\'s tasks.json or the project folder that has .taskmaster/tasks/tasks.json; nothing was written.',
    backlog: 'Give the project folder that has backlog/tasks/, or the backlog/ folder; nothing was written.',
    speckit: 'Give a Spec Kit tasks.md (specs/NNN-feature/tasks.md) or its folder; nothing was written.',
    beads: 'Give Beads\' JSONL export (.beads/issues.jsonl) or the project folder; nothing was written.',
  }[format];
}

export interface ImportResult {
  format: Format;
  written: boolean;
  created: { id: string; title: string; source: string; status: Status; depends_on: string[] }[];
  updated: { id: string; title: string; source: string; fields: string[] }[];
  kept: { id: string; title: string; reason: string }[];
  unchanged: number;
}

/** The front matter fields baton keeps for an imported task beside its own. */
function extras(text: string, path: string): Record<string, unknown> {
  try {
    return parseFrontMatter(text, path).data;
  } catch {
    return {};
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function importPlan(project: Project, plan: ForeignPlan, opts: { dryRun?: boolean } = {}): ImportResult {
  const root = project.root;
  const existing = loadTasks(root);
  if (existing.problems.length) throw tasksInvalid(existing.problems);
  const texts = new Map(existing.tasks.map((t) => [t.id, readFileSync(join(root, t.path), 'utf8')]));
  const fm = new Map(existing.tasks.map((t) => [t.id, extras(texts.get(t.id)!, t.path)]));
  const byId = new Map(existing.tasks.map((t) => [t.id, t]));
  const bySource = new Map<string, Task>();
  for (const t of existing.tasks) {
    const s = fm.get(t.id)?.source;
    if (typeof s === 'string') bySource.set(s, t);
  }
  const matchOf = (f: ForeignTask) => (f.batonId ? byId.get(f.batonId) : undefined) ?? bySource.get(f.source);
  const answers: TaskAnswer[] = plan.tasks.map((f) => ({
    key: f.ref,
    id: matchOf(f)?.id,
    title: f.title,
    phase: f.phase,
    depends_on: f.dependsOn,
    context: f.context ?? '',
    requirements: f.requirements ?? [],
    success_criteria: f.criteria ?? [],
    checks: f.checks,
    files: f.files,
  }));
  // Ids seeded by the plan's text: a dry run names the ids the import will use.
  const set = resolveTaskAnswers(root, existing.tasks, answers, undefined, seededHex(JSON.stringify(answers), idSalt(root)));
  const foreignOf = new Map(plan.tasks.map((f) => [f.ref, f]));
  const meta = (f: ForeignTask) => ({ source: f.source, priority: f.priority, labels: f.labels?.length ? f.labels : undefined });

  const change: TaskChange = { created: [], updated: [] };
  const result: ImportResult = { format: plan.format, written: !opts.dryRun, created: [], updated: [], kept: [], unchanged: 0 };
  for (const c of set.created) {
    const f = foreignOf.get(c.key)!;
    const text = setFrontMatterFields(c.text, c.task.path, { ...(f.status !== 'todo' ? { status: f.status } : {}), ...meta(f) });
    const parsed = parseTaskText(text, c.task.path);
    if (!parsed.task) throw tasksInvalid(parsed.problems);
    change.created.push({ task: parsed.task, text });
    result.created.push({ id: parsed.task.id, title: parsed.task.title, source: f.source, status: parsed.task.status, depends_on: parsed.task.depends_on });
  }
  const amended = new Map(set.amended.map((a) => [a.task.id, a]));
  const keptIds = new Set(set.kept.map((k) => k.task.id));
  for (const k of set.kept) result.kept.push({ id: k.task.id, title: k.task.title, reason: k.reason });
  for (const f of plan.tasks) {
    const target = matchOf(f);
    if (!target || keptIds.has(target.id)) continue;
    const a = amended.get(target.id);
    const base = a?.base ?? texts.get(target.id)!;
    const fields = [...(a?.fields ?? [])];
    const before = fm.get(target.id) ?? {};
    const updates: Record<string, unknown> = {};
    if (f.status !== target.status) updates.status = f.status;
    // A task an earlier export named by its baton id keeps its own source.
    if (before.source === undefined && !f.batonId) updates.source = f.source;
    const m = meta(f);
    if (!same(m.priority, before.priority)) updates.priority = m.priority;
    if (!same(m.labels, before.labels)) updates.labels = m.labels;
    fields.push(...Object.keys(updates));
    if (!fields.length) {
      result.unchanged++;
      continue;
    }
    const text = setFrontMatterFields(a?.text ?? base, target.path, updates);
    const parsed = parseTaskText(text, target.path);
    if (!parsed.task) throw tasksInvalid(parsed.problems);
    change.updated.push({ task: parsed.task, text, base });
    result.updated.push({ id: target.id, title: parsed.task.title, source: f.source, fields });
  }
  if (opts.dryRun) previewTaskChange(project, change);
  else if (change.created.length || change.updated.length) applyTaskChange(project, change);
  else result.written = false;
  return result;
}

/** Every task of the plan, with what an export carries beside the task's fields. */
function exportTasks(root: string): ExportTask[] {
  const set = loadTasks(root);
  if (set.problems.length) throw tasksInvalid(set.problems);
  return set.tasks.map((task) => {
    const data = extras(readFileSync(join(root, task.path), 'utf8'), task.path);
    const body = batonBody(task.body);
    const labels = strings(data.labels);
    return {
      task,
      source: typeof data.source === 'string' ? data.source : undefined,
      priority: typeof data.priority === 'string' || typeof data.priority === 'number' ? String(data.priority) : undefined,
      labels,
      context: body ? body.context : task.body.trim() || undefined,
      requirements: body?.requirements ?? [],
      criteria: body?.criteria ?? [],
    };
  });
}

export interface ExportResult {
  format: ExportFormat;
  tasks: number;
  files: string[];
}

/** Write the plan in another tool's format under `path` (a file for Task Master, a folder for Backlog.md). */
export function exportPlan(project: Project, format: ExportFormat, path: string, cwd: string): ExportResult {
  const tasks = exportTasks(project.root);
  const abs = isAbsolute(path) ? path : resolve(cwd, path);
  const files = new Map<string, string>();
  const stale: string[] = [];
  if (format === 'taskmaster') {
    const file = existsSync(abs) && statSync(abs).isDirectory() ? join(abs, '.taskmaster', 'tasks', 'tasks.json') : abs;
    files.set(file, writeTaskmaster(tasks, (e) => taskBody({ context: e.context, requirements: e.requirements, criteria: e.criteria })));
  } else {
    const dir = existsSync(join(abs, 'backlog')) || !/backlog\/?$/.test(abs) ? join(abs, 'backlog') : abs;
    for (const [rel, text] of writeBacklog(tasks, !existsSync(join(dir, 'config.yml')))) files.set(join(dir, rel), text);
    // A task exported before under another title: its old file goes, so Backlog.md never sees one id twice.
    const folder = join(dir, 'tasks');
    if (existsSync(folder)) {
      const ids = new Set([...files.keys()].map((f) => /\/(task-[\d.]+) - /.exec(f)?.[1]).filter(Boolean));
      for (const name of readdirSync(folder)) {
        const id = /^(task-[\d.]+) - /.exec(name)?.[1];
        if (id && ids.has(id) && !files.has(join(folder, name))) stale.push(join(folder, name));
      }
    }
  }
  for (const file of files.keys()) {
    if (existsSync(file) && statSync(file).isDirectory()) throw new BatonError(`${file} is a folder`, { hint: 'Give a file path; nothing was written.' });
  }
  for (const [file, text] of files) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  for (const file of stale) rmSync(file);
  return { format, tasks: tasks.length, files: [...files.keys()] };
}

