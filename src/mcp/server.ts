/**
 * `baton mcp`: the MCP server over stdio. Loaded only by that command, so no
 * other command pays for the SDK.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerPrompts } from './prompts.js';
import { registerResources, resourceNotifications } from './resources.js';
import { BoundedStdioTransport } from './stdio.js';
import { serverContext } from './tool-kit.js';
import { registerReadTools } from './tools-read.js';
import { registerWriteTools } from './tools-write.js';
import { registerQuestionTools } from './tools-questions.js';

const INSTRUCTIONS = `baton keeps a project's plan, tasks and memory as files under .agents/, and runs each task on its own git branch.
To do a task: \`next\` (what is ready) → \`start\` (its branch) → \`prompt\` (the brief; work from it, commit in the folder \`start\` returned) → \`log\` (outcome, summary, bugs, decisions) → \`done\`.
When only a person can decide, \`ask\` and stop; \`inbox\` and \`answer\` are for the person's side.
\`status\` shows where the plan stands; \`memory_search\` what earlier attempts found. Errors name the file and line and say how to fix them; a call that fails writes nothing.`;

export function createServer(cwd: string, version: string): { server: McpServer; watch: () => () => void } {
  const ctx = serverContext(cwd);
  const server = new McpServer({ name: 'baton', version }, { instructions: INSTRUCTIONS });
  registerReadTools(server, ctx);
  registerWriteTools(server, ctx);
  registerQuestionTools(server, ctx);
  registerResources(server, ctx);
  registerPrompts(server, ctx);
  return { server, watch: resourceNotifications(server, ctx).start };
}

/** Serve on stdin/stdout until the client closes stdin. */
export async function serveStdio(cwd: string, version: string): Promise<void> {
  // stdout carries the protocol: a stray console.log anywhere below would corrupt it, so it goes to stderr.
  console.log = console.info = console.debug = console.error;
  const { server, watch } = createServer(cwd, version);
  await server.connect(new BoundedStdioTransport());
  const stop = watch();
  await new Promise<void>((resolve) => {
    const done = () => {
      stop();
      void server.close().finally(resolve);
    };
    process.stdin.once('end', done);
    process.stdin.once('close', done);
  });
}
