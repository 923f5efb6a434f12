/**
 * How every baton MCP tool is registered: typed input and output (zod), the
 * result as structured content plus text, a BatonError as a tool error with
 * the same `file:line` and hint the CLI prints, and calls that write run one
 * at a time in this server (other processes are kept out by the domain's own
 * lock files, as for the CLI).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { BatonError } from '../core/errors.js';
import { camelKeys } from '../core/json-keys.js';
import { redact } from '../core/redact.js';
import type { Project } from '../workspace/context.js';

export interface ServerContext {
  /** The folder `baton mcp` was started in (any folder inside the repository). */
  cwd: string;
  /** Runs `fn` after every earlier write of this server has finished. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

export function serverContext(cwd: string): ServerContext {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    cwd,
    exclusive<T>(fn: () => Promise<T>): Promise<T> {
      const run = tail.then(fn, fn);
      tail = run.catch(() => undefined);
      return run;
    },
  };
}

/**
 * Opened afresh for each call: the config and the checked-out branch may have changed since the last.
 * Imported on the first call (it reads YAML): the server answers `initialize` without it.
 */
export async function project(ctx: ServerContext): Promise<Project> {
  const { openProject } = await import('../workspace/context.js');
  return openProject(ctx.cwd);
}

export interface ToolSpec<I extends z.ZodRawShape, O extends z.ZodRawShape> {
  title: string;
  /** For the model: when to call it and what it returns. */
  description: string;
  input: I;
  output: O;
  /** Writes files or commits: serialized, and annotated as not read-only. */
  writes: boolean;
  /** Calling it twice with the same arguments does nothing more the second time. */
  idempotent?: boolean;
}

export interface ToolAnswer<T> {
  data: T;
  /** Text for clients that ignore structured content; default: the data as JSON. */
  text?: string;
}

type In<I extends z.ZodRawShape> = z.infer<z.ZodObject<I>>;

export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(
  server: McpServer,
  ctx: ServerContext,
  name: string,
  spec: ToolSpec<I, O>,
  // The domain's data, keys as the code has them (`depends_on`): checked against `output` once camelCased.
  run: (args: In<I>) => Promise<ToolAnswer<object>>,
): void {
  // Clients check structured content against the schema strictly: keys it does not name are dropped here.
  const shape = z.object(spec.output);
  const handler = async (args: In<I>): Promise<CallToolResult> => {
    try {
      const answer = spec.writes ? await ctx.exclusive(() => run(args)) : await run(args);
      // A JSON round trip drops undefined fields and Maps: what the client gets is plain data.
      // Keys in camelCase, as the CLI's `--json` gives them (docs/json.md): `dependsOn`, never `depends_on`.
      const data = shape.parse(camelKeys(JSON.parse(JSON.stringify(answer.data)))) as Record<string, unknown>;
      return { content: [{ type: 'text', text: answer.text ?? JSON.stringify(data, null, 2) }], structuredContent: data };
    } catch (error) {
      return toolError(error);
    }
  };
  server.registerTool(name, {
    title: spec.title,
    description: spec.description,
    inputSchema: spec.input,
    outputSchema: spec.output,
    annotations: { readOnlyHint: !spec.writes, destructiveHint: false, idempotentHint: spec.idempotent ?? !spec.writes, openWorldHint: false },
  }, handler as never);
}

/** The CLI's message for the same failure: `baton: file:line: message` and the hint, redacted like the CLI's. */
export function toolError(error: unknown): CallToolResult {
  const text = redact(error instanceof BatonError
    ? `baton: ${error.format()}`
    : `baton: unexpected error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  const where = error instanceof BatonError && error.file ? { file: error.file, line: error.line ?? null, hint: error.hint ? redact(error.hint) : null } : undefined;
  return { isError: true, content: [{ type: 'text', text }], ...(where ? { _meta: { baton: where } } : {}) };
}
