/**
 * Backlog.md's folder: one markdown file per task under `backlog/tasks/` (and
 * `backlog/completed/`), YAML front matter (`id: TASK-3`, status, labels,
 * dependencies, priority, `parent_task_id`, milestone, references) and sections
 * between markers (Description, Acceptance Criteria, Definition of Done,
 * Implementation Plan and Notes). A milestone is a phase; a Definition of Done
 * item that is one command in backticks is a check.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BatonError } from '../../core/errors.js';
import type { Status } from '../../core/task.js';
import { parseFrontMatter } from '../../workspace/frontmatter.js';
import { checkboxes, findSection } from '../markdown.js';
import { checkFromItem, listItems, statusFromWord, str, unknownStatus, type ForeignPlan, type ForeignTask } from './foreign.js';
import { numberIds, type ExportTask } from './taskmaster.js';

/** A list of strings, or one string as a list of one (Backlog.md writes either). */
const scalarOrList = (v: unknown) => (Array.isArray(v) ? v.map(str).filter((x): x is string => !!x) : typeof v === 'string' && v ? [v] : []);

/** `dir`: the project, its `backlog/` folder, or `backlog/tasks/`. */
export function readBacklog(dir: string, cwd: string): ForeignPlan {
  const root = existsSync(join(dir, 'backlog', 'tasks')) ? join(dir, 'backlog') : existsSync(join(dir, 'tasks')) ? dir : undefined;
  const folders = root ? ['tasks', 'completed'].map((f) => join(root, f)).filter((f) => existsSync(f)) : statSync(dir).isDirectory() ? [dir] : [];
  if (!folders.length) throw new BatonError(`${relative(cwd, dir) || '.'} has no Backlog.md tasks`, { hint: 'Give the project folder, its backlog/ folder or backlog/tasks/; nothing was written.' });
  const files = folders.flatMap((f) => readdirSync(f).filter((n) => /\.md$/i.test(n)).sort(byNumber).map((n) => join(f, n)));
  const raw = files.map((path) => readOne(path, relative(cwd, path) || path));
  const byId = new Map(raw.map((r) => [r.id, r]));
  const tasks: ForeignTask[] = raw.map((r) => {
    const deps = new Set(r.deps);
    // A parent waits for its subtasks; a subtask waits for what its parent waits for.
    for (const other of raw) if (other.parent === r.id) deps.add(other.id);
    const parent = r.parent ? byId.get(r.parent) : undefined;
    if (r.parent && !parent) throw new BatonError(`${r.task.where}: \`parent_task_id\` \`${r.parent}\` is not a task of this backlog`, { hint: 'Fix or remove it; nothing was written.' });
    for (const d of parent?.deps ?? []) deps.add(d);
    deps.delete(r.id);
    return { ...r.task, dependsOn: [...deps].map((d) => `backlog#${d}`) };
  });
  return { format: 'backlog', tasks };
}

/** task-2 before task-10, task-2.1 after task-2. */
function byNumber(a: string, b: string): number {
  const n = (s: string) => (/^task-(\d+(?:\.\d+)*)/i.exec(s)?.[1] ?? '').split('.').map(Number);
  const x = n(a), y = n(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d) return d;
  }
  return a.localeCompare(b);
}

const normId = (v: string) => v.trim().toUpperCase();

function readOne(path: string, shown: string): { id: string; parent?: string; deps: string[]; task: ForeignTask } {
  const text = readFileSync(path, 'utf8');
  const fm = parseFrontMatter(text, shown, 'id: TASK-1\ntitle: Set up the database');
  const d = fm.data;
  const at = (key: string) => `${shown}:${fm.lines[key] ?? fm.line}`;
  const id = str(d.id);
  if (!id) throw new BatonError(`${at('id')}: no \`id\``, { hint: 'Backlog.md tasks have `id: TASK-1`; nothing was written.' });
  const title = str(d.title)?.trim();
  if (!title) throw new BatonError(`${at('title')}: no \`title\``, { hint: 'Every task needs a title; nothing was written.' });
  const status: Status | undefined = statusFromWord(d.status);
  if (!status) throw unknownStatus(d.status, at('status'));
  const body = fm.body.replace(/<!--[\s\S]*?-->/g, '');
  const section = (names: string[]) => findSection(body, names)?.content.trim() || undefined;
  const boxes = (names: string[]) => checkboxes(section(names) ?? '').map((c) => c.text.replace(/^#\d+\s+/, ''));
  const dod = boxes(['Definition of Done']);
  const notes = section(['Implementation Notes']);
  const description = section(['Description']);
  return {
    id: normId(id),
    parent: str(d.parent_task_id) ? normId(str(d.parent_task_id)!) : undefined,
    deps: scalarOrList(d.dependencies).map(normId),
    task: {
      ref: `backlog#${normId(id)}`,
      source: str(d.baton_source) ?? `backlog#${normId(id)}`,
      batonId: str(d.baton_id),
      title,
      context: [description, notes && `Implementation notes:\n\n${notes}`].filter(Boolean).join('\n\n') || undefined,
      requirements: listItems(section(['Implementation Plan']), true),
      criteria: [...boxes(['Acceptance Criteria']), ...dod.filter((i) => !checkFromItem(i))],
      checks: dod.map(checkFromItem).filter((c): c is string => !!c),
      files: [...new Set([...scalarOrList(d.references), ...scalarOrList(d.modified_files)])],
      phase: str(d.milestone),
      dependsOn: [],
      status,
      priority: str(d.priority),
      labels: scalarOrList(d.labels),
      where: at('id'),
    },
  };
}

const BL_STATUS: Record<Status, string> = { todo: 'To Do', 'in-progress': 'In Progress', review: 'Review', done: 'Done', blocked: 'Blocked', cancelled: 'Cancelled' };

/** Backlog.md's file name: `task-3 - Set-up-the-database.md`. */
function fileName(id: string, title: string): string {
  const slug = title.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'task';
  return `${id.toLowerCase()} - ${slug}.md`;
}

const yamlString = (s: string) => JSON.stringify(s);
const yamlList = (items: readonly string[]) => (items.length ? `\n${items.map((i) => `  - ${yamlString(i)}`).join('\n')}` : ' []');

/** baton's tasks as Backlog.md files (path under backlog/ → text), plus config.yml when `withConfig`. */
export function writeBacklog(tasks: readonly ExportTask[], withConfig: boolean): Map<string, string> {
  const ids = numberIds(tasks, 'backlog#');
  const name = (id: string) => `TASK-${ids.get(id)}`;
  const files = new Map<string, string>();
  for (const e of tasks) {
    const t = e.task;
    const fm = [
      `id: ${name(t.id)}`,
      `title: ${yamlString(t.title)}`,
      `status: ${yamlString(BL_STATUS[t.status])}`,
      'assignee: []',
      `created_date: ${yamlString((t.created ?? new Date(0).toISOString()).slice(0, 16).replace('T', ' '))}`,
      `labels:${yamlList(e.labels ?? [])}`,
      `dependencies:${yamlList(t.depends_on.filter((d) => ids.has(d)).map(name))}`,
      ...(e.priority ? [`priority: ${yamlString(e.priority)}`] : []),
      ...(t.phase ? [`milestone: ${yamlString(t.phase)}`] : []),
      ...(t.files.length ? [`references:${yamlList(t.files)}`] : []),
      `baton_id: ${t.id}`,
      ...(e.source ? [`baton_source: ${yamlString(e.source)}`] : []),
    ];
    const parts = ['## Description', '', '<!-- SECTION:DESCRIPTION:BEGIN -->', e.context ?? '', '<!-- SECTION:DESCRIPTION:END -->'];
    if (e.criteria.length) parts.push('', '## Acceptance Criteria', '<!-- AC:BEGIN -->', ...e.criteria.map((c, i) => `- [ ] #${i + 1} ${c}`), '<!-- AC:END -->');
    if (t.checks.length) parts.push('', '## Definition of Done', '<!-- DOD:BEGIN -->', ...t.checks.map((c, i) => `- [ ] #${i + 1} \`${c}\``), '<!-- DOD:END -->');
    if (e.requirements.length) parts.push('', '## Implementation Plan', '', '<!-- SECTION:PLAN:BEGIN -->', ...e.requirements.map((r) => `- ${r}`), '<!-- SECTION:PLAN:END -->');
    files.set(`tasks/${fileName(name(t.id), t.title)}`, `---\n${fm.join('\n')}\n---\n\n${parts.join('\n')}\n`);
  }
  if (withConfig) {
    files.set('config.yml', [
      'project_name: "exported from baton"',
      'default_status: "To Do"',
      `statuses: [${Object.values(BL_STATUS).map(yamlString).join(', ')}]`,
      'labels: []',
      'date_format: yyyy-mm-dd',
      'remote_operations: false',
      'auto_commit: false',
      'task_prefix: "task"',
      '',
    ].join('\n'));
  }
  return files;
}
