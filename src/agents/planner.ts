/**
 * The Central Agent as planner: requirements (and a map of the codebase) →
 * plan.md sections and one task file per task. It writes nothing: it returns
 * the change as data (`PlanDraft`), and the plan use case (workflow/plan.ts)
 * applies it under the tasks lock. The prompt, the reading of the answer and
 * the change are the same whether the answer came over the API or was pasted
 * back with `--import`.
 */
import { seededHex } from '../core/ids.js';
import { idSalt } from '../workspace/id-salt.js';
import { BatonError } from '../core/errors.js';
import { topoOrder } from '../core/graph.js';
import { redact } from '../core/redact.js';
import type { Task } from '../core/task.js';
import { onTaskBranch, type Project } from '../workspace/context.js';
import { readPlan } from '../tasks/plan.js';
import type { TaskChange } from '../tasks/change.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { coerce, validateSchema } from '../llm/schema.js';
import type { ChatMessage, ModelOptions } from '../llm/client.js';
import type { Usage } from '../memory/usage.js';
import { parseAnswer } from './answer.js';
import { planSections } from './plan-doc.js';
import { PLAN_ALIASES, PLAN_SCHEMA, type PlanAnswer } from './plan-schema.js';
import { repoMap } from './repo-map.js';
import { planProse } from './review-gather.js';
import { resolveTaskAnswers, type TaskChangeSet } from './task-answers.js';

export interface PlanOptions {
  requirements?: string;
  /** Amend the existing plan instead of refusing to replace it. */
  update?: boolean;
  /**
   * How many tasks there were when the prompt was built (the API path). Tasks
   * added while the model answers are kept beside the new plan, not a reason to
   * refuse it; without this, the tasks there are now count.
   */
  tasksAtPrompt?: number;
}

/** What a plan answer changes, as data: the task sets for the report, and the change for the writer. */
export interface PlanDraft extends TaskChangeSet {
  change: TaskChange;
}

const SYSTEM = `You are the Central Agent of a software project: the planner. You do not write code. You break the requirements into small tasks, each of which a fresh implementation agent (a cheaper model with a clean context and no other knowledge of the project) can finish in one sitting and prove with checks.

How to plan:
- Goal: what the project is for, in a few sentences. Constraints: rules every task must respect. Architecture: decisions every implementer must know. Phases: names in order, each with what it delivers ("API: login and sessions").
- Tasks: small (one focused change, about an hour of work), self-contained, ordered by dependencies. Each has a short unique \`key\` (e.g. "db-schema"), an imperative \`title\` under 70 characters, its \`phase\` (one of the phase names), \`depends_on\` (keys of tasks that must be done first; never a cycle), \`context\` (what a newcomer must know: why, where, which decisions bind it), \`requirements\`, \`success_criteria\` (observable, checkable), \`checks\` (shell commands that exit 0 when the task is done; name only commands this repository has or that an earlier task creates) and \`files\` (paths to read or create).
- Prefer tasks that can run in parallel when they do not depend on each other.

Answer with ONE JSON object that matches this JSON Schema, and nothing else (no prose, no markdown fence needed):
`;

const UPDATE_RULES = `
This is an UPDATE of the existing plan below. Return the whole plan (goal, constraints, architecture, phases) and only the tasks you add or change:
- a new task has a \`key\`; its \`depends_on\` may name keys or ids of existing tasks;
- to change an existing task, include it with its \`id\` and the fields that change; tasks that are in-progress, review, done or cancelled cannot be changed;
- tasks you leave out stay exactly as they are; nothing is deleted.
`;

export function planMessages(project: Project, opts: PlanOptions): ChatMessage[] {
  if (!opts.requirements?.trim()) throw new BatonError('the requirements are empty', { hint: 'Write them in a file and pass it: `baton plan --from REQUIREMENTS.md`.' });
  const tasks = loadTasksStrict(project.root);
  assertCanPlan(project, tasks, opts); // before anyone pays for (or pastes) a prompt that cannot be applied
  const system = `${SYSTEM}${JSON.stringify(PLAN_SCHEMA)}\n${opts.update ? UPDATE_RULES : ''}`;
  // The map takes at most half the planner's budget (about four characters a token); the requirements and the plan need the rest.
  const budget = project.config.models.planner?.context_budget ?? project.config.context_budget;
  const parts = ['# Requirements', '', opts.requirements.trim(), '', '# Repository', '', repoMap(project.root, { maxChars: budget * 2 })];
  if (opts.update) parts.push('', '# Current plan', '', currentPlan(project, tasks));
  return [
    { role: 'system', content: system },
    { role: 'user', content: redact(parts.join('\n')) },
  ];
}

/** The prompt as one text, for `--prompt`: what the API receives as its system and user messages. */
export function promptText(messages: readonly ChatMessage[]): string {
  return `${messages.map((m) => m.content.trim()).join('\n\n---\n\n')}\n`;
}

function currentPlan(project: Project, tasks: readonly Task[]): string {
  const plan = planProse(readPlan(project.root));
  const lines = topoOrder(tasks).map((t) =>
    `- ${t.id} [${t.status}] ${t.title}${t.phase ? ` (phase: ${t.phase})` : ''}${t.depends_on.length ? ` depends on ${t.depends_on.join(', ')}` : ''}`);
  return `${plan}\n\n## Existing tasks\n\n${lines.join('\n') || '(none)'}`;
}

function assertCanPlan(project: Project, existing: readonly Task[], opts: PlanOptions): void {
  const count = opts.tasksAtPrompt ?? existing.length;
  if (onTaskBranch(project)) {
    throw new BatonError('plans are made on the base branch, not on a task branch', { hint: `Switch to \`${project.config.base_branch}\` and run it again.` });
  }
  if (count && !opts.update) {
    throw new BatonError(`the plan already has ${count} task${count === 1 ? '' : 's'}`, {
      hint: 'Use `baton plan --update --from …` to add and amend tasks (in-progress and done tasks are kept).',
    });
  }
}

/** Validate an answer against the project and build the change it leads to; writes nothing. */
export function preparePlan(project: Project, answer: PlanAnswer, opts: PlanOptions = {}): PlanDraft {
  const existing = loadTasksStrict(project.root);
  assertCanPlan(project, existing, opts);
  const ceiling = project.config.max_plan_tasks;
  if (answer.tasks.length > ceiling) {
    // Not sent back to the model for repair: a runaway answer is refused at once (`noRepair`, llm/client.ts).
    throw Object.assign(new BatonError(`the plan has ${answer.tasks.length} tasks, more than \`max_plan_tasks\` (${ceiling}) allows`, {
      hint: `Plan in phases of at most ${ceiling} tasks, or raise \`max_plan_tasks\` in .agents/config.yaml.`,
    }), { noRepair: true });
  }
  if (!answer.tasks.length && !existing.length) throw new BatonError('the plan has no tasks', { hint: 'A plan needs at least one task.' });
  // Ids drawn from the answer: `--dry-run` shows the ids this answer's import will use.
  const set = resolveTaskAnswers(project.root, existing, answer.tasks, undefined, seededHex(JSON.stringify(answer.tasks), idSalt(project.root)));
  const change: TaskChange = {
    created: set.created.map(({ task, text }) => ({ task, text })),
    updated: set.amended.map(({ task, text, base }) => ({ task, text, base })),
    plan: { sections: planSections(answer) },
  };
  return { ...set, change };
}

/** Read an answer's text (JSON, JSON among prose, or markdown) into a plan answer, or say what is wrong. */
export function readPlanAnswer(text: string): { ok: true; value: PlanAnswer } | { ok: false; error: string } {
  const found = parseAnswer(text, PLAN_SCHEMA, PLAN_ALIASES);
  if (!found.ok) return found;
  const value = coerce(found.value, PLAN_SCHEMA) as PlanAnswer;
  const errors = validateSchema(value, PLAN_SCHEMA);
  return errors.length ? { ok: false, error: `it does not match the plan schema:\n${errors.slice(0, 8).join('\n')}` } : { ok: true, value };
}

/** `--import`: the change a pasted answer leads to, checked as the API path would check it. */
export function draftPlanFromText(project: Project, text: string, opts: PlanOptions & { source: string }): PlanDraft {
  const read = readPlanAnswer(text);
  if (!read.ok) {
    throw new BatonError(`${opts.source} is not a usable plan: ${read.error}`, {
      hint: 'Paste the model\'s whole answer (a JSON object, or markdown with ## Goal and ## Tasks sections); nothing was written.',
    });
  }
  return prepareOrExplain(project, read.value, opts, opts.source);
}

function prepareOrExplain(project: Project, answer: PlanAnswer, opts: PlanOptions, source: string): PlanDraft {
  try {
    return preparePlan(project, answer, opts);
  } catch (error) {
    if (error instanceof BatonError && !error.file) {
      throw new BatonError(`the plan from ${source} was rejected: ${error.message}`, { hint: `${error.hint ?? ''} Nothing was written.`.trim() });
    }
    throw error;
  }
}

/** The API path: ask the planner model, repair bad answers with it; returns the change and what it cost. */
export async function askPlanner(project: Project, opts: PlanOptions, modelOpts: ModelOptions): Promise<{ draft: PlanDraft; usage: Usage }> {
  const messages = planMessages(project, opts);
  const planned = { ...opts, tasksAtPrompt: loadTasksStrict(project.root).length };
  const { createModel } = await import('../llm/client.js');
  const model = createModel(project.config, 'planner', modelOpts);
  const result = await model.chatJson<PlanAnswer>({
    messages,
    schema: PLAN_SCHEMA,
    schemaName: 'plan',
    parse: (text) => parseAnswer(text, PLAN_SCHEMA, PLAN_ALIASES),
    validate: (answer) => {
      preparePlan(project, answer, planned); // throws a BatonError whose message goes back to the model
      return undefined;
    },
  });
  const draft = prepareOrExplain(project, result.value, planned, `the ${model.settings.model} answer`);
  return { draft, usage: { ...result.usage, purpose: opts.update ? 'plan --update' : 'plan' } };
}
