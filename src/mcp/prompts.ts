/** The task-assignment prompt and the review prompt as MCP prompts, from the same code as `baton prompt` and `baton review --prompt`. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { BatonError } from '../core/errors.js';
import { project, type ServerContext } from './tool-kit.js';
import { reviewPromptText } from './tools-read.js';

export function registerPrompts(server: McpServer, ctx: ServerContext): void {
  server.registerPrompt('task', {
    title: 'Do a baton task',
    description: 'The self-contained prompt for one task (what `baton prompt ID` prints): rules, project context, the task, relevant memory, checks and the report format',
    argsSchema: {
      id: z.string().describe('Task id or unique prefix'),
      budget: z.string().optional().describe('Token budget (a number; default: context_budget in config)'),
    },
  }, async ({ id, budget }) => {
    const tokens = budget ? Number(budget) : undefined;
    if (tokens !== undefined && !(Number.isInteger(tokens) && tokens > 0)) {
      throw new BatonError(`budget \`${budget}\` is not a whole number of tokens`, { hint: 'e.g. 8000' });
    }
    const { issuePrompt } = await import('../prompt/issue.js');
    const p = await ctx.exclusive(async () => issuePrompt(await project(ctx), id, { budget: tokens }));
    return { description: `${p.id}: ${p.tokens} tokens (budget ${p.budget})`, messages: [{ role: 'user', content: { type: 'text', text: p.text } }] };
  });

  server.registerPrompt('review', {
    title: 'Review the work (Central Agent)',
    description: 'The review prompt (what `baton review --prompt` prints): the plan and the memory since the last review; answer it and apply the answer with the `review_import` tool',
  }, async () => ({ messages: [{ role: 'user', content: { type: 'text', text: await reviewPromptText(ctx) } }] }));
}
