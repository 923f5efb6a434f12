/**
 * Tools that read: status, next, task_show, task_list, pr, memory_search, prompt, review_prompt.
 * Domain modules are imported on the first call, not at start: the server answers `initialize` sooner.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { resolveTask } from '../core/ids.js';
import { memoryEntry, status, taskData, taskObject, task as taskShape, taskRef, taskSummaryObject } from './schemas.js';
import { defineTool, project, type ServerContext } from './tool-kit.js';

const id = taskRef;

export function registerReadTools(server: McpServer, ctx: ServerContext): void {
  defineTool(server, ctx, 'status', {
    title: 'Project status',
    description: 'Where the plan stands: counts by status and by phase, the tasks that are ready, in progress and blocked (with what they wait on), work on unmerged task branches, and the latest memory entries. Call it first to orient yourself in a baton project. Same data as `baton status --json`.',
    input: {
      recent: z.number().int().min(0).max(100).optional().describe('How many recent memory entries to include (default 5)'),
      branches: z.boolean().optional().describe('Also read unmerged task branches (default true)'),
    },
    output: {
      total: z.number(),
      counts: z.record(z.string(), z.number()),
      phases: z.array(z.object({ phase: z.string(), total: z.number(), done: z.number() })),
      ready: z.array(taskSummaryObject),
      inProgress: z.array(taskSummaryObject),
      blocked: z.array(taskSummaryObject.extend({ waitingOn: z.array(z.string()) })),
      inFlight: z.array(z.object({ id: z.string(), branch: z.string(), status })),
      recent: z.array(memoryEntry),
    },
    writes: false,
  }, async (a) => {
    const { statusReport } = await import('../workflow/status.js');
    return { data: await statusReport(await project(ctx), { recent: a.recent ?? 5, branches: a.branches ?? true }) };
  });

  defineTool(server, ctx, 'next', {
    title: 'Ready tasks',
    description: 'The tasks that are ready to take (status todo, every dependency done), in the order to take them. Call it to choose what to work on; then call `start` with the first id. An empty list means nothing is ready: `status` shows what the tasks wait on.',
    input: { limit: z.number().int().min(1).optional().describe('Return at most this many') },
    output: { tasks: z.array(taskSummaryObject) },
    writes: false,
  }, async (a) => {
    const { nextReport } = await import('../workflow/status.js');
    const ready = await nextReport(await project(ctx));
    return { data: { tasks: a.limit ? ready.slice(0, a.limit) : ready } };
  });

  defineTool(server, ctx, 'task_show', {
    title: 'Show a task',
    description: 'One task: its front matter (status, dependencies, phase, branch, files, checks) and its markdown body (Context, Requirements, Success criteria). Call it to read a task before changing it; for the full self-contained brief to work from, call `prompt` instead.',
    input: { id },
    output: taskShape,
    writes: false,
  }, async (a) => {
    const [{ loadTasksStrict }, { statedTasks }] = await Promise.all([import('../tasks/task-files.js'), import('../tasks/state.js')]);
    const p = await project(ctx);
    // The state every view shows: its unmerged branch's status laid over this checkout's.
    const { tasks: [shown] } = await statedTasks(p, [resolveTask(loadTasksStrict(p.root), a.id)]);
    return { data: taskData(shown!) };
  });

  defineTool(server, ctx, 'task_list', {
    title: 'List tasks',
    description: 'Every task (id, title, status, phase, dependencies, branch, files, checks), in dependency order, optionally only one status or one phase. Call it for an overview of the whole plan; `next` gives only the ready ones. Same data as `baton task list --json`.',
    input: {
      status: status.optional().describe('Only tasks with this status'),
      phase: z.string().optional().describe('Only tasks in this phase'),
    },
    output: { tasks: z.array(taskObject.omit({ body: true })) },
    writes: false,
  }, async (a) => {
    const { listTasks } = await import('../workflow/task-list.js');
    return { data: { tasks: await listTasks(await project(ctx), { status: a.status, phase: a.phase }) } };
  });

  defineTool(server, ctx, 'pr', {
    title: 'Pull-request text',
    description: 'A pull-request title and body for a task, from the task and its memory: the goal, the success criteria (ticked when met), the result, decisions and bugs, the commits and the checks. Call it when a task is finished, to open a pull request with it. Same data as `baton pr ID --json`; it opens nothing.',
    input: { id },
    output: { id: z.string(), title: z.string(), body: z.string().describe('Markdown'), branch: z.string(), base: z.string() },
    writes: false,
  }, async (a) => {
    const { draftPullRequest } = await import('../workflow/pr.js');
    const draft = draftPullRequest(await project(ctx), a.id);
    return { data: draft, text: `${draft.title}\n\n${draft.body}` };
  });

  defineTool(server, ctx, 'memory_search', {
    title: 'Search memory',
    description: 'Memory entries (commits, attempts, results, bugs, decisions, blockers, notes, reviews), oldest first, for one task, for `project`, or for all, filtered by kind, date and a regular expression. Call it to learn what earlier attempts found or decided before you repeat their work.',
    input: {
      id: z.string().optional().describe('A task id (or unique prefix) or `project`; all memory when left out'),
      kinds: z.array(z.string()).optional().describe('Only these kinds, e.g. ["bug", "decision"]'),
      since: z.string().optional().describe('Only entries at or after this date (2026-11-22) or ISO time'),
      grep: z.string().optional().describe('Only entries matching this regular expression (case-insensitive)'),
      limit: z.number().int().min(1).optional().describe('Only the newest N matches'),
    },
    output: { entries: z.array(memoryEntry) },
    writes: false,
  }, async (a) => {
    const { searchMemory } = await import('../workflow/memory-query.js');
    const found = searchMemory(await project(ctx), a.id, { kinds: a.kinds, since: a.since, grep: a.grep });
    return { data: { entries: a.limit ? found.slice(-a.limit) : found } };
  });

  defineTool(server, ctx, 'prompt', {
    title: 'Task prompt',
    description: 'The self-contained prompt for doing one task: working rules, the project goal and architecture, the task, what its dependencies produced, relevant bugs and decisions, files, checks and the report format. It fits the token budget, leaving out the least relevant memory first (listed in `omitted`). Call it after `start`, and work from the text it returns. It is kept in the git dir until the next start, log or done commits it to .agents/prompts/<id>.md on the task branch.',
    input: { id, budget: z.number().int().min(1).optional().describe('Token budget (default: context_budget in .agents/config.yaml)') },
    output: {
      id: z.string(), branch: z.string(), text: z.string().describe('The prompt (markdown)'),
      tokens: z.number(), budget: z.number(), encoding: z.string(),
      omitted: z.array(z.object({ task: z.string(), kind: z.string(), time: z.string() })).describe('Memory entries left out to fit the budget'),
      overBudget: z.boolean().describe('True when it is over budget even with all memory left out'),
      file: z.string().describe('Where the prompt was kept'),
    },
    // It records the prompt in the git dir, so it writes (the same file for the same inputs).
    writes: true,
    idempotent: true,
  }, async (a) => {
    const { issuePrompt } = await import('../prompt/issue.js');
    const p = await issuePrompt(await project(ctx), a.id, { budget: a.budget });
    return { data: p, text: p.text };
  });

  defineTool(server, ctx, 'review_prompt', {
    title: 'Review prompt',
    description: 'The Central Agent review prompt: the plan and the memory written since the last review, with the answer format. Call it when tasks have reached `review` and you act as the reviewer; answer it, then pass your whole answer to `review_import`.',
    input: {},
    output: { text: z.string().describe('The prompt (markdown)') },
    writes: false,
  }, async () => {
    const text = await reviewPromptText(ctx);
    return { data: { text }, text };
  });
}

export async function reviewPromptText(ctx: ServerContext): Promise<string> {
  const [{ reviewPrompt }, { promptText }] = await Promise.all([import('../agents/reviewer.js'), import('../agents/planner.js')]);
  return promptText(reviewPrompt(await project(ctx)));
}
