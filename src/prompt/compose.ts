/**
 * The task-assignment prompt: everything a fresh agent needs to do one task,
 * within a token budget. The same files give the same prompt, byte for byte:
 * nothing here depends on the clock or on the order the disk lists files in.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import type { MemoryEntry } from '../memory/entry.js';
import { redact } from '../core/redact.js';
import type { Task } from '../core/task.js';
import type { Project } from '../workspace/context.js';
import { isBookkeeping, taskBranchName, taskCommits, taskMemory, touchedFiles } from '../tasks/checkout.js';
import { readMemory } from '../memory/file.js';
import { memoryFiles } from '../memory/compact.js';
import { readPlan } from '../tasks/plan.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { codeWithin, readCodeFiles } from './code.js';
import { condense } from './condense.js';
import { fitToBudget, type FitState, type Fitted } from './fit.js';
import { filedReasons, nestHeadings, planContext, renderPlan, type PlanContext } from './plan-context.js';
import {
  dependencySection, instructionsSection, lessonsSection, memorySection, omittedSection, redoSection, titled, type View,
} from './render-memory.js';
import { REPORT_FORMAT } from './report.js';
import { reviewCommentsSection } from './review-comments.js';
import { baseMemory, openChangeRequests, workMemory } from '../memory/change-requests.js';
import { followedBy, furtherUp, lessonItems, selectMemory } from './select.js';
import { lessonViews } from '../memory/lessons-file.js';
import { lessonApplies, lessonBody } from '../memory/lessons.js';
import { loadTemplate, renderTemplate, type Template } from './template.js';
import { tokenCounter } from './tokens.js';
import { answersSection } from './answers.js';

export { nestHeadings } from './plan-context.js';
export const TASK_TEMPLATE = 'task-prompt.md';

export interface ComposeOptions {
  /** Token budget; default: the implementer's `context_budget`, else `context_budget`. */
  budget?: number;
  /** Put the task's files (and, within budget, its dependencies' files) into the prompt. Default: `prompt_with_files` in config. */
  withFiles?: boolean;
  /**
   * The task as the plan (the base) has it: its checks, body (criteria),
   * dependencies and role are what the prompt shows, whatever the branch says.
   */
  plan?: Pick<Task, 'checks' | 'body' | 'depends_on' | 'role'>;
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
  /** Always false: a prompt is cut to its budget rather than sent over it (kept for readers of `--json`). */
  overBudget: boolean;
  /** Files whose content the prompt carries (`--with-files`). */
  code: string[];
  template: string;
}

/** Headings with nothing under them (an empty `## Requirements` a person has not filled in yet) tell an agent nothing. */
export function dropEmptySections(markdown: string): string {
  const lines = markdown.split('\n');
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

/** What the task asks for, never condensed: the rest of its text (Context, notes) is, at the smallest budgets. */
const TASK_CORE_RE = /^(requirements?|success criteria|acceptance criteria|criteria|checks|definition of done)$/i;

/** The task's text with its sections other than requirements and criteria condensed. */
function condenseTask(body: string): string {
  const out: string[] = [];
  let keep = true;
  let para: string[] = [];
  const flush = () => {
    if (para.length) out.push(keep ? para.join('\n') : condense(para.join('\n')).split('\n').join(' '));
    para = [];
  };
  for (const line of body.split('\n')) {
    const h = /^#{1,6} +(.*?)\s*$/.exec(line);
    if (h || !line.trim()) flush();
    if (h) {
      keep = TASK_CORE_RE.test(h[1]!);
      out.push(line);
    } else if (!line.trim()) out.push('');
    else if (keep) out.push(line);
    else para.push(line);
  }
  flush();
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

function taskSection(task: Task, condensed = false): string {
  // The status is left out: it changes as the loop runs, and the agent has nothing to do with it.
  const meta = [`id \`${task.id}\``, task.phase ? `phase ${task.phase}` : ''].filter(Boolean).join(', ');
  const text = dropEmptySections(task.body.trim());
  const body = nestHeadings(condensed ? condenseTask(text) : text);
  return `**${task.title}** (${meta})\n\n${body}`.trim();
}

const TERSE_REPORT = '## Outcome\nsuccess | partial | failure\n## Summary\n## Decisions\n## Bugs\n## Blockers\n## Notes\n## Questions';

interface Inputs {
  view: View;
  plan: PlanContext;
  values: Record<string, string>;
}

function render(template: Template, inputs: Inputs, state: FitState, budget: number, code = ''): string {
  const { view, values } = inputs;
  const style = { terse: state.terse, condensed: state.condensed };
  const kept = state.kept;
  return redact(renderTemplate(template, {
    ...values,
    project: renderPlan(inputs.plan, (i) => state.plan[i]!, condense),
    task: state.taskCondensed ? taskSection(view.task, true) : values.task!,
    report_format: state.terse ? TERSE_REPORT : REPORT_FORMAT,
    full: state.terse ? '' : 'yes',
    redo: redoSection(view, kept, style),
    instructions: instructionsSection(view, kept, style),
    dependencies: dependencySection(view, kept, style),
    memory: memorySection(view, kept, style),
    lessons: lessonsSection(view, kept, style),
    omitted: omittedSection(state.omitted, view, budget),
    code,
    review_comments: values.review_comments!,
  }));
}

/**
 * The smallest budget that holds the prompt with every step taken: counted,
 * then checked again with that number in the "left out" note (its digits count too).
 */
function smallestBudget(first: number, at: (budget: number) => number): number {
  let n = first;
  for (let i = 0; i < 4; i++) {
    const t = at(n);
    if (t <= n) return n;
    n = t;
  }
  return n;
}

export function defaultBudget(project: Project, role = 'implementer'): number {
  return project.config.models[role]?.context_budget ?? project.config.context_budget;
}

function filesLine(path: string, root: string, ownFiles: ReadonlySet<string>): string {
  if (ownFiles.has(path)) return `- \`${path}\` (on the task's branch, from an earlier attempt)`;
  return `- \`${path}\`${existsSync(join(root, path)) ? '' : ' (does not exist yet)'}`;
}

/** Everything the prompt is made of, read once. */
function gather(project: Project, tasks: Task[], task: Task): Inputs & { codePaths: string[] } {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const memory = new Map<string, MemoryEntry[]>();
  // project.md has no branch of its own: it is read from this checkout.
  memory.set('project', readMemory(project.root, 'project').entries);
  for (const t of tasks) memory.set(t.id, readMemory(project.root, t.id).entries);
  // The task, its dependencies and what it follows up may live on unmerged branches: read them there.
  const near = new Set([task.id, ...task.depends_on, ...furtherUp(task, byId), ...followedBy(task.id, memory)]);
  const commits = new Map<string, ReturnType<typeof taskCommits>>();
  for (const id of near) {
    const t = byId.get(id);
    if (!t) continue;
    memory.set(id, taskMemory(project, t));
    commits.set(id, taskCommits(project, t, memory.get(id)).filter((c) => !isBookkeeping(c.files)));
  }
  const files = new Map<string, string[]>();
  for (const t of tasks) {
    // Tasks far from this one: their files from their memory's commit entries, without asking git.
    const touched = commits.has(t.id)
      ? touchedFiles(commits.get(t.id)!)
      : memoryFiles(memory.get(t.id) ?? []);
    files.set(t.id, [...new Set([...t.files, ...touched])]);
  }
  const ownCommits = commits.get(task.id) ?? [];
  const ownFiles = touchedFiles(ownCommits);
  const depFiles = new Map(task.depends_on.map((id) => [id, touchedFiles(commits.get(id) ?? [])]));
  const myFiles = new Set(files.get(task.id) ?? []);
  const allFiles = new Set([...files.values()].flat());
  const plan = planContext({ plan: readPlan(project.root), task, tasks, myFiles, allFiles });
  const branch = taskBranchName(project, task);
  const selected = selectMemory({ task, tasks, memory, files });
  // Lessons: those not faded that name a file this task touches, a symbol its text names, or its phase.
  const history = [...memory].map(([id, entries]) => ({ id, entries }));
  const lessons = lessonViews(project.root, project.config.lessons_fade_after, history).filter((l) => !l.faded && lessonApplies(l, task, myFiles));
  const view: View = {
    task, byId, items: [...selected, ...lessonItems(lessons.map((l) => ({ ...l, text: lessonBody(l) })), selected.length)], depFiles,
    planInstructions: [...filedReasons(project.paths.reviews, task, byId), ...plan.instructions], ownCommits, ownFiles, branch,
  };
  const own = new Set(ownFiles);
  const values: Record<string, string> = {
    task_id: task.id,
    // In the git dir, named by a shell expression rather than an absolute path: the same bytes on every
    // machine and clone (the prompt is committed), and it resolves from the checkout or any worktree.
    report_file: `$(git rev-parse --git-common-dir)/baton/reports/${task.id}.md`,
    title: task.title,
    branch,
    base_branch: project.config.base_branch,
    branch_state: ownCommits.length ? 'it already has commits from earlier attempts' : `it starts from \`${project.config.base_branch}\``,
    task: taskSection(task),
    files: task.files.map((f) => filesLine(f, project.root, own)).join('\n'),
    checks: task.checks.length ? `\`\`\`sh\n${task.checks.join('\n')}\n\`\`\`` : '',
    depends: task.depends_on.map((id) => titled(id, byId)).join(', '),
    answers: answersSection(memory.get(task.id) ?? []),
    review_comments: reviewCommentsSection(openChangeRequests(workMemory(project, branch, task.id), baseMemory(project, task.id))),
  };
  const codePaths = [...task.files, ...ownFiles, ...task.depends_on.flatMap((id) => depFiles.get(id) ?? [])];
  return { view, plan, values, codePaths };
}

function withFilesDefault(project: Project): boolean {
  return project.config.raw.prompt_with_files === true;
}

export async function composePrompt(project: Project, ref: string, options: ComposeOptions = {}): Promise<ComposedPrompt> {
  const tasks = loadTasksStrict(project.root);
  const onBranch = resolveTask(tasks, ref);
  const { plan } = options;
  const task = plan ? { ...onBranch, checks: plan.checks, body: plan.body, depends_on: plan.depends_on, role: plan.role } : onBranch;
  const role = task.role ?? 'implementer';
  const budget = options.budget ?? defaultBudget(project, role);
  if (!Number.isInteger(budget) || budget < 1) {
    throw new BatonError(`the token budget must be a positive whole number, got ${budget}`, { hint: 'Pass e.g. `--budget 16000`.' });
  }
  const inputs = gather(project, tasks, task);
  const template = loadTemplate(project.root, TASK_TEMPLATE);
  const model = project.config.models[role]?.model ?? project.config.models.implementer?.model ?? 'gpt-5-mini';
  const { encoding, count } = await tokenCounter(model);
  const fit = fitToBudget((state) => render(template, inputs, state, budget), inputs.view.items, inputs.plan.blocks, budget, count);
  if (!('text' in fit)) {
    const smallest = smallestBudget(fit.smallest, (b) => count(render(template, inputs, fit.state, b)));
    throw new BatonError(`the token budget ${budget} is below the smallest useful prompt for \`${task.id}\` (${smallest} tokens: the task, its checks and the report format, with all memory and plan prose left out)`, {
      hint: `Pass \`--budget ${smallest}\` or more (the task's requirements, checks and report format are never cut).`,
      exitCode: 2,
    });
  }
  const fitted: Fitted = fit;
  let { text, tokens } = fitted;
  let code: string[] = [];
  if (options.withFiles ?? withFilesDefault(project)) {
    const files = readCodeFiles(project.root, inputs.view.branch, inputs.codePaths);
    const rendered = (section: string) => render(template, inputs, fitted.state, budget, section);
    const section = codeWithin(files, (s) => count(rendered(s)) <= budget);
    if (section) {
      text = rendered(section);
      tokens = count(text);
      code = [...section.matchAll(/^#### `(.+)`$/gm)].map((m) => m[1]!);
    }
  }
  return {
    id: task.id,
    branch: inputs.view.branch,
    text,
    tokens,
    budget,
    encoding,
    model,
    omitted: fitted.state.omitted.map((i) => ({ task: i.entry.task ?? 'project', kind: i.entry.kind, time: i.entry.time })),
    overBudget: tokens > budget,
    code,
    template: template.source,
  };
}
