/** The shape of the planner's answer, as a JSON Schema sent to the model and checked on the way back. */
import type { JsonSchema } from '../llm/schema.js';

const strings: JsonSchema = { type: 'array', items: { type: 'string' } };

/** One task as a model writes it; shared by the planner and the reviewer's follow-ups. */
export const TASK_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['title'],
  properties: {
    key: { type: 'string', description: 'Short unique name for this task in this answer, e.g. "db-schema"; other tasks depend on it by this key.' },
    id: { type: 'string', description: 'Only to change an existing task: its id (T-xxxx).' },
    title: { type: 'string', description: 'Imperative, under 70 characters.' },
    phase: { type: 'string' },
    depends_on: { ...strings, description: 'Keys of tasks in this answer, or ids of existing tasks, that must be done first.' },
    context: { type: 'string', description: 'What a fresh implementer must know: why, where, decisions that bind it.' },
    requirements: strings,
    success_criteria: { ...strings, description: 'Observable outcomes a reviewer can check.' },
    checks: { ...strings, description: 'Shell commands that exit 0 when the task is done; only ones that exist in this repository.' },
    files: { ...strings, description: 'Paths to read or create.' },
  },
};

export interface TaskAnswer {
  key?: string;
  id?: string;
  title: string;
  phase?: string;
  depends_on?: string[];
  context?: string;
  requirements?: string[];
  success_criteria?: string[];
  checks?: string[];
  files?: string[];
}

export const PLAN_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['goal', 'tasks'],
  properties: {
    goal: { type: 'string', description: 'What the project is for, in a few sentences.' },
    constraints: { ...strings, description: 'Languages, platforms, budgets, rules every task must respect.' },
    architecture: { ...strings, description: 'Decisions every implementer must know.' },
    phases: { ...strings, description: 'Phase names in order, each optionally followed by ": what it delivers".' },
    tasks: { type: 'array', items: TASK_SCHEMA },
  },
};

export interface PlanAnswer {
  goal: string;
  constraints?: string[];
  architecture?: string[];
  phases?: string[];
  tasks: TaskAnswer[];
}

/** Names a model may give sections and fields in a markdown answer. */
export const PLAN_ALIASES: Record<string, string> = {
  architecture_decisions: 'architecture',
  decisions: 'architecture',
  dependencies: 'depends_on',
  depends: 'depends_on',
  depends_on_keys: 'depends_on',
  after: 'depends_on',
  acceptance_criteria: 'success_criteria',
  criteria: 'success_criteria',
  done_when: 'success_criteria',
  check: 'checks',
  commands: 'checks',
  verification: 'checks',
  file: 'files',
  file_hints: 'files',
  requirement: 'requirements',
  task_list: 'tasks',
  objective: 'goal',
};
