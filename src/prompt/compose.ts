/**
 * The task-assignment prompt: everything a fresh agent needs to do one task,
 * within a token budget. The same files give the same prompt, byte for byte:
 * nothing here depends on the clock or on the order the disk lists files in.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import type { MemoryEntry } from '../core/memory.js';
import { redact } from '../core/redact.js';
import type { Task } from '../core/task.js';
import type { Project } from '../project/context.js';
import { taskBranchName, taskCommits, taskMemory, touchedFiles } from '../project/task-checkout.js';
import { findSection, sections } from '../store/markdown.js';
import { readMemory } from '../store/memory.js';
import { PLAN_TEMPLATE, readPlan } from '../store/plan.js';
import { loadTasksStrict } from '../store/tasks.js';
import { REPORT_FORMAT } from './report.js';
import { dropOrder, selectMemory, type Item } from './select.js';
import { loadTemplate, renderTemplate, type Template } from './template.js';
import { tokenCounter, type Counter } from './tokens.js';

export const TASK_TEMPLATE = 'task-prompt.md';

export interface ComposeOptions {
  /** Token budget; default: the implementer's `context_budget`, else `context_budget`. */
  budget?: number;
}

export interface Omitted {
  task: string;
  kind: string;
  time: string;
}

export interface ComposedPrompt {
  id: string;
  branch: string;
  text: string;
  tokens: number;
  budget: number;
  encoding: string;
  model: string;
  /** Memory entries left out to fit the budget, least relevant first. */
  omitted: Omitted[];
  /** True when the prompt is over budget even with all memory left out. */
  overBudget: boolean;
  template: string;
}

/** Push every heading one level down, so a section of plan.md or a task nests under the prompt's own headings. */
export function nestHeadings(markdown: string): string {
  let fence: string | undefined;
  return markdown
    .split('\n')
    .map((line) => {
      const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      if (f) fence = fence ? (line.trim().startsWith(fence) ? undefined : fence) : f[1];
      return !fence && !f && /^#{1,5} /.test(line) ? `#${line}` : line;
    })
    .join('\n');
}

const PLAN_PARTS = [
  ['Goal', ['goal', 'goals', 'purpose', 'overview']],
  ['Constraints', ['constraints', 'rules', 'non-goals']],
  ['Architecture', ['architecture', 'architecture decisions', 'design', 'decisions']],
] as const;

function projectSection(root: string): string {
  const plan = readPlan(root);
  if (!plan.trim()) return '';
  const placeholder = new Set(sections(PLAN_TEMPLATE).map((s) => s.content));
  const parts: string[] = [];
  for (const [title, names] of PLAN_PARTS) {
    const s = findSection(plan, names);
    // The text `baton init` wrote is not information about the project.
    if (!s || !s.content || placeholder.has(s.content)) continue;
    parts.push(`### ${title}\n\n${nestHeadings(s.content)}`);
  }
  return parts.join('\n\n');
}

/** Headings with nothing under them (an empty `## Requirements` a person has not filled in yet) tell an agent nothing. */
export function dropEmptySections(markdown: string): string {
  const lines = markdown.split('\n');
  // `# comment` lines inside code blocks are not headings.
  const inFence: boolean[] = [];
  let fence: string | undefined;
  for (const line of lines) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    inFence.push(!!fence || !!f);
    if (f) fence = fence ? (line.trim().startsWith(fence) ? undefined : fence) : f[1];
  }
  const depth = (i: number) => (inFence[i] ? 0 : (/^(#{1,6}) /.exec(lines[i]!)?.[1]!.length ?? 0));
  const keep = lines.map(() => true);
  for (let i = 0; i < lines.length; i++) {
    const d = depth(i);
    if (!d) continue;
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trim()) j++;
    const next = j < lines.length ? depth(j) : 0;
    if (j >= lines.length || (next && next <= d)) for (let k = i; k < j; k++) keep[k] = false;
  }
  return lines.filter((_, i) => keep[i]).join('\n');
}

function taskSection(task: Task): string {
  // The status is left out: it changes as the loop runs, and the agent has nothing to do with it.
  const meta = [`id \`${task.id}\``, task.phase ? `phase ${task.phase}` : ''].filter(Boolean).join(', ');
  const body = nestHeadings(dropEmptySections(task.body.trim()));
  return `**${task.title}** (${meta})\n\n${body}`.trim();
}

function entryLine(entry: MemoryEntry, self?: string): string {
  const head = `${entry.time} ${entry.kind}${entry.ref ? ` ${entry.ref}` : ''}${entry.task && entry.task !== self ? ` (${entry.task})` : ''}`;
  const body = entry.body.trim();
  if (!body) return `- ${head}`;
  return `- ${head}: ${body.split('\n').join('\n  ')}`;
}

interface Inputs {
  task: Task;
  byId: Map<string, Task>;
  items: Item[];
  depFiles: Map<string, string[]>;
  values: Record<string, string>;
}

function dependencySection(inputs: Inputs, kept: ReadonlySet<Item>): string {
  return inputs.task.depends_on
    .map((id) => {
      const dep = inputs.byId.get(id);
      const lines = [`### ${id}: ${dep?.title ?? '(task file missing)'}${dep ? ` (${dep.status})` : ''}`];
      const mine = inputs.items.filter((i) => i.dep === id && kept.has(i));
      const result = mine.find((i) => i.entry.kind === 'result');
      const decisions = mine.filter((i) => i.entry.kind === 'decision');
      const dropped = inputs.items.some((i) => i.dep === id && i.entry.kind === 'result' && !kept.has(i));
      if (result) lines.push('', `Result (${result.entry.ref ?? 'unknown'}): ${result.entry.body.trim() || '(no summary)'}`);
      else lines.push('', dropped ? `Result: left out to fit the budget (\`baton memory ${id}\`).` : 'Result: none recorded.');
      if (decisions.length) lines.push('', 'Decisions:', ...decisions.map((d) => `- ${d.entry.body.trim().split('\n').join('\n  ')}`));
      const files = inputs.depFiles.get(id) ?? [];
      if (files.length) {
        const shown = files.slice(0, 40).map((f) => `\`${f}\``).join(', ');
        lines.push('', `Files its commits touched: ${shown}${files.length > 40 ? ` and ${files.length - 40} more` : ''}`);
      }
      return lines.join('\n');
    })
    .join('\n\n');
}

function memorySection(inputs: Inputs, kept: ReadonlySet<Item>): string {
  const own = inputs.items.filter((i) => i.group === 'own' && kept.has(i));
  const related = inputs.items.filter((i) => i.group === 'related' && kept.has(i));
  const out: string[] = [];
  if (own.length) {
    out.push('### Earlier work on this task\n\nDo not repeat what failed before.\n');
    out.push(own.map((i) => entryLine(i.entry, inputs.task.id)).join('\n'));
  }
  if (related.length) {
    if (out.length) out.push('');
    out.push('### Bugs, decisions and blockers elsewhere\n');
    const sorted = [...related].sort((a, b) => a.entry.time.localeCompare(b.entry.time) || a.order - b.order);
    out.push(sorted.map((i) => entryLine(i.entry, inputs.task.id)).join('\n'));
  }
  return out.join('\n');
}

function omittedSection(omitted: Item[], budget: number): string {
  if (!omitted.length) return '';
  const byTask = new Map<string, Map<string, number>>();
  for (const i of omitted) {
    const id = i.entry.task ?? 'project';
    const kinds = byTask.get(id) ?? new Map<string, number>();
    kinds.set(i.entry.kind, (kinds.get(i.entry.kind) ?? 0) + 1);
    byTask.set(id, kinds);
  }
  // The list is bounded: on a large plan, one line per task would itself blow the budget.
  const MAX_LINES = 8;
  const total = (id: string) => [...byTask.get(id)!.values()].reduce((a, b) => a + b, 0);
  const ranked = [...byTask.keys()].sort((a, b) => total(b) - total(a) || (a < b ? -1 : 1));
  const shown = ranked.slice(0, MAX_LINES).sort();
  const list = shown.map((id) => {
    const kinds = [...byTask.get(id)!.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${n} ${k}`).join(', ');
    return `- ${id}: ${kinds}. Read them with \`baton memory ${id}\` or in \`.agents/memory/${id}.md\`.`;
  });
  const rest = ranked.slice(MAX_LINES);
  if (rest.length) {
    const entries = rest.reduce((sum, id) => sum + total(id), 0);
    list.push(`- ${entries} more from ${rest.length} other tasks. Search them with \`baton memory --grep <word>\` or \`baton memory --kind decision\`.`);
  }
  const n = omitted.length;
  return `To fit a budget of ${budget} tokens, ${n} memory entr${n === 1 ? 'y was' : 'ies were'} left out (the least relevant and oldest first):\n\n${list.join('\n')}`;
}

function render(template: Template, inputs: Inputs, kept: ReadonlySet<Item>, omitted: Item[], budget: number): string {
  return redact(renderTemplate(template, {
    ...inputs.values,
    dependencies: dependencySection(inputs, kept),
    memory: memorySection(inputs, kept),
    omitted: omittedSection(omitted, budget),
  }));
}

export function defaultBudget(project: Project, role = 'implementer'): number {
  return project.config.models[role]?.context_budget ?? project.config.context_budget;
}

/** Everything the prompt is made of, read once. */
function gather(project: Project, tasks: Task[], task: Task): Inputs {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const memory = new Map<string, MemoryEntry[]>();
  // project.md has no branch of its own: it is read from this checkout.
  memory.set('project', readMemory(project.root, 'project').entries);
  // Only the task and its dependencies may live on unmerged branches worth reading; the rest is read here.
  const near = new Set([task.id, ...task.depends_on]);
  for (const t of tasks) memory.set(t.id, near.has(t.id) ? taskMemory(project, t) : readMemory(project.root, t.id).entries);
  const depFiles = new Map<string, string[]>();
  for (const id of task.depends_on) {
    const dep = byId.get(id);
    if (dep) depFiles.set(id, touchedFiles(taskCommits(project, dep, memory.get(id))));
  }
  const values: Record<string, string> = {
    task_id: task.id,
    title: task.title,
    branch: taskBranchName(project, task),
    base_branch: project.config.base_branch,
    project: projectSection(project.root),
    task: taskSection(task),
    files: task.files.map((f) => `- \`${f}\`${existsSync(join(project.root, f)) ? '' : ' (does not exist yet)'}`).join('\n'),
    checks: task.checks.length ? `\`\`\`sh\n${task.checks.join('\n')}\n\`\`\`` : '',
    report_format: REPORT_FORMAT,
    dependencies: '',
    memory: '',
    omitted: '',
  };
  return { task, byId, items: selectMemory(task, tasks, memory), depFiles, values };
}

/** Leave out memory, least relevant first, until the prompt fits; estimate with each entry's own count, then confirm. */
function fitToBudget(template: Template, inputs: Inputs, budget: number, count: Counter): { text: string; tokens: number; omitted: Item[] } {
  const kept = new Set(inputs.items);
  const omitted: Item[] = [];
  const renderNow = () => render(template, inputs, kept, omitted, budget);
  let text = renderNow();
  let tokens = count(text);
  if (tokens <= budget) return { text, tokens, omitted };
  const queue = dropOrder(inputs.items);
  const drop = () => {
    const item = queue.shift()!;
    kept.delete(item);
    omitted.push(item);
    return item;
  };
  let excess = tokens - budget + 60; // room for the "left out" note
  while (queue.length && excess > 0) excess -= count(entryLine(drop().entry)) + 1;
  text = renderNow();
  tokens = count(text);
  while (tokens > budget && queue.length) {
    drop();
    text = renderNow();
    tokens = count(text);
  }
  return { text, tokens, omitted };
}

export async function composePrompt(project: Project, ref: string, options: ComposeOptions = {}): Promise<ComposedPrompt> {
  const tasks = loadTasksStrict(project.root);
  const task = resolveTask(tasks, ref);
  const role = task.role ?? 'implementer';
  const budget = options.budget ?? defaultBudget(project, role);
  if (!Number.isInteger(budget) || budget < 1) {
    throw new BatonError(`the token budget must be a positive whole number, got ${budget}`, { hint: 'Pass e.g. `--budget 16000`.' });
  }
  const inputs = gather(project, tasks, task);
  const template = loadTemplate(project.root, TASK_TEMPLATE);
  const model = project.config.models[role]?.model ?? project.config.models.implementer?.model ?? 'gpt-5-mini';
  const { encoding, count } = await tokenCounter(model);
  const { text, tokens, omitted } = fitToBudget(template, inputs, budget, count);
  return {
    id: task.id,
    branch: inputs.values.branch!,
    text,
    tokens,
    budget,
    encoding,
    model,
    omitted: omitted.map((i) => ({ task: i.entry.task ?? 'project', kind: i.entry.kind, time: i.entry.time })),
    overBudget: tokens > budget,
    template: template.source,
  };
}
