/** The shape of the reviewer's answer. */
import type { JsonSchema } from '../llm/schema.js';
import { TASK_SCHEMA, type TaskAnswer } from './plan-schema.js';
import type { LessonOp } from '../memory/lessons.js';

const strings: JsonSchema = { type: 'array', items: { type: 'string' } };

export const REVIEW_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['summary'],
  properties: {
    summary: { type: 'string', description: 'What happened since the last review and where the project stands, in a few sentences.' },
    conclusions: { ...strings, description: 'What you conclude: what works, what does not, what is at risk.' },
    follow_ups: {
      type: 'array',
      description: 'New tasks: fixes for failures and bugs, missing work. Same fields as plan tasks; `follows` is the id of the task that prompted it.',
      items: { ...TASK_SCHEMA, properties: { ...TASK_SCHEMA.properties, follows: { type: 'string' }, reason: { type: 'string' } } },
    },
    reopen: {
      type: 'array',
      description: 'Tasks marked done or in review whose work is not actually done.',
      items: { type: 'object', required: ['id', 'reason'], properties: { id: { type: 'string' }, reason: { type: 'string' } } },
    },
    split: {
      type: 'array',
      description: 'Not-started tasks too big for one agent: cancelled and replaced by the `into` tasks (which take over its dependents).',
      items: { type: 'object', required: ['id', 'into'], properties: { id: { type: 'string' }, reason: { type: 'string' }, into: { type: 'array', items: TASK_SCHEMA } } },
    },
    accept: {
      type: 'array',
      description: 'Tasks logged `partial` only because they have no checks, whose work the evidence shows is complete: baton merges them.',
      items: { type: 'object', required: ['id', 'reason'], properties: { id: { type: 'string' }, reason: { type: 'string' } } },
    },
    decisions: { ...strings, description: 'Project-level decisions to record in memory.' },
    unsupported_claims: {
      type: 'array',
      description: 'Claims an implementer made that the evidence (commits, check outcomes) does not support.',
      items: { type: 'object', required: ['task', 'claim'], properties: { task: { type: 'string' }, claim: { type: 'string' }, evidence: { type: 'string' } } },
    },
    plan_changes: { ...strings, description: 'Amendments to the plan\'s prose (constraints, architecture) to note in plan.md.' },
    lessons: {
      type: 'array',
      description: 'Changes to the lessons (recurring problems routed into later prompts): `add` one (text, and the files, symbols or phases it applies to), `reword` one (id, text), `retire` one (id, reason).',
      items: {
        type: 'object',
        required: ['action'],
        properties: {
          action: { type: 'string', enum: ['add', 'reword', 'retire'] },
          id: { type: 'string' },
          text: { type: 'string' },
          files: strings,
          symbols: strings,
          phases: strings,
          reason: { type: 'string' },
        },
      },
    },
    strategy: {
      type: 'array',
      description: 'Plan changes for lessons that keep firing (see "Lessons that keep firing"): `lesson` (its id), `reason`, and `tasks` to add (plan task fields, e.g. "Introduce a Money type") and/or `constraints` to add to plan.md\'s Constraints (`text`, with `replaces` = the words of a constraint it replaces).',
      items: {
        type: 'object',
        required: ['lesson', 'reason'],
        properties: {
          lesson: { type: 'string' },
          reason: { type: 'string' },
          tasks: { type: 'array', items: TASK_SCHEMA },
          constraints: {
            type: 'array',
            items: { type: 'object', required: ['text'], properties: { text: { type: 'string' }, replaces: { type: 'string' } } },
          },
        },
      },
    },
  },
};

/** A plan change for a lesson that keeps firing. */
export interface StrategyAnswer {
  lesson: string;
  reason: string;
  tasks?: TaskAnswer[];
  constraints?: { text: string; replaces?: string }[];
}

export interface FollowUpAnswer extends TaskAnswer {
  follows?: string;
  reason?: string;
}

export interface ReviewAnswer {
  summary: string;
  conclusions?: string[];
  follow_ups?: FollowUpAnswer[];
  reopen?: { id: string; reason: string }[];
  split?: { id: string; reason?: string; into: TaskAnswer[] }[];
  accept?: { id: string; reason: string }[];
  decisions?: string[];
  unsupported_claims?: { task: string; claim: string; evidence?: string }[];
  plan_changes?: string[];
  lessons?: LessonOp[];
  strategy?: StrategyAnswer[];
}

export const REVIEW_ALIASES: Record<string, string> = {
  follow_up_tasks: 'follow_ups',
  follow_up: 'follow_ups',
  followups: 'follow_ups',
  new_tasks: 'follow_ups',
  reopened: 'reopen',
  accepted: 'accept',
  reopen_tasks: 'reopen',
  tasks_to_reopen: 'reopen',
  unsupported: 'unsupported_claims',
  claims: 'unsupported_claims',
  unsupported_claim: 'unsupported_claims',
  plan_amendments: 'plan_changes',
  conclusion: 'conclusions',
  dependencies: 'depends_on',
  acceptance_criteria: 'success_criteria',
  criteria: 'success_criteria',
  commands: 'checks',
  follow_up_of: 'follows',
  for: 'follows',
  lesson_changes: 'lessons',
  lesson: 'lessons',
  lesson_id: 'id',
  paths: 'files',
  strategy_changes: 'strategy',
  plan_strategy: 'strategy',
};
