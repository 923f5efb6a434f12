/** Shared by the MCP tests: `baton mcp` as a child process, driven by the SDK's own client over stdio. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { join } from 'node:path';
import { BIN, git, GIT_ENV, snapshotFiles, tempDir } from './helpers/repo.js';

export interface Connection {
  client: Client;
  stderr: () => string;
  close: () => Promise<void>;
}

export async function connect(dir: string, args: string[] = []): Promise<Connection> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', ...args],
    cwd: dir,
    env: { ...(process.env as Record<string, string>), ...GIT_ENV },
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d) => (err += d));
  const client = new Client({ name: 'baton-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => err, close: () => client.close() };
}

/**
 * The plan in `viaCli` committed and cloned, with `baton mcp` connected to the clone:
 * the same repository twice, so ids, branches and files match one for one between a
 * run through the CLI and the same run through MCP.
 */
export async function cloneForMcp(viaCli: string): Promise<{ viaMcp: string; mcp: Connection }> {
  git(viaCli, ['add', '-A']);
  git(viaCli, ['commit', '-q', '-m', 'Plan']);
  const viaMcp = join(tempDir(), 'clone');
  git(tempDir(), ['clone', '-q', viaCli, viaMcp]);
  return { viaMcp, mcp: await connect(viaMcp) };
}

export async function call(c: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await c.callTool({ name, arguments: args })) as CallToolResult;
}

/** A tool call that must succeed; its structured content. */
export async function data<T = Record<string, any>>(c: Client, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const r = await call(c, name, args);
  if (r.isError) throw new Error(`${name} failed: ${textOf(r)}`);
  return r.structuredContent as T;
}

export function textOf(r: CallToolResult): string {
  return r.content.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

/** Everything under .agents/, the files git sees as changed, HEAD and the branch: the whole state a call could touch. */
export function repoState(dir: string): { files: Record<string, string>; status: string; head: string; branch: string } {
  return {
    files: snapshotFiles(dir),
    status: git(dir, ['status', '--porcelain', '--untracked-files=all']),
    head: git(dir, ['rev-parse', 'HEAD']).trim(),
    branch: git(dir, ['branch', '--show-current']).trim(),
  };
}

/** Times and commit SHAs differ between two runs (one through MCP, one through the CLI); everything else must not. */
export function normalize(files: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(files)) {
    // The prompt names the report file by its absolute path, which differs from clone to clone.
    out[k] = v.replace(/`[^`\s]*\/\.git\/baton\/reports\//g, '`<git dir>/baton/reports/').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '<time>').replace(/(?<![-\w])[0-9a-f]{7,40}\b/g, '<sha>');
  }
  return out;
}

/** The commit subjects of `ref`, newest first. */
export function subjects(dir: string, ref: string): string[] {
  return git(dir, ['log', '--format=%s', ref]).trim().split('\n');
}
