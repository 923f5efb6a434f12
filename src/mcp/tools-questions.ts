/**
 * Tools for a person in the loop: `ask` (an agent's question; the task waits),
 * `inbox` (what waits for an answer) and `answer` (the person's reply), the
 * same use cases as `baton log --question`, `baton inbox` and `baton answer`.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { logged, status, taskRef } from './schemas.js';
import { defineTool, project, type ServerContext } from './tool-kit.js';

const id = taskRef;

export function registerQuestionTools(server: McpServer, ctx: ServerContext): void {
  defineTool(server, ctx, 'ask', {
    title: 'Ask a person',
    description: 'Ask a question only a person can answer (a choice the task leaves open, a missing credential, a contradiction in the plan). It is recorded in the task\'s memory and the task is blocked "waiting for an answer"; stop working on the task after asking. The answer reaches you at the top of the task\'s next prompt.',
    input: { id, question: z.string().min(1).describe('The question, with what you need to decide and the options you see') },
    output: logged,
    writes: true,
    idempotent: false,
  }, async (a) => {
    const { askQuestion } = await import('../workflow/questions.js');
    return { data: await askQuestion(await project(ctx), a.id, a.question) };
  });

  defineTool(server, ctx, 'inbox', {
    title: 'Open questions',
    description: 'Questions agents asked that wait for a person\'s answer, across tasks, oldest first. Same data as `baton inbox --json`.',
    input: {},
    output: {
      questions: z.array(z.object({ id: z.string(), title: z.string(), status, time: z.string(), question: z.string(), from: z.string() })),
    },
    writes: false,
  }, async () => {
    const { inbox } = await import('../workflow/questions.js');
    return { data: { questions: await inbox(await project(ctx)) } };
  });

  defineTool(server, ctx, 'answer', {
    title: 'Answer a task\'s questions',
    description: 'Answer the open questions of a task, as the person said it: recorded in its memory, the task unblocked (auto takes it again), and its next prompt starts with the questions and this answer. With `forProject` the answer is also a project decision every task\'s prompt carries. Only when a person gave the answer.',
    input: {
      id,
      answer: z.string().min(1).describe('The answer, in the person\'s words'),
      forProject: z.boolean().optional().describe('Also record it as a project decision (memory/project.md)'),
    },
    output: {
      ...logged,
      answered: z.array(z.string()).describe('The questions it answered'),
      decision: z.object({ commit: z.string().optional() }).optional(),
    },
    writes: true,
    idempotent: false,
  }, async (a) => {
    const { answerTask } = await import('../workflow/questions.js');
    return { data: await answerTask(await project(ctx), a.id, a.answer, { forProject: a.forProject }) };
  });
}
