/**
 * The MCP configuration each client reads, to start `baton mcp` in the
 * project: Claude Code (.mcp.json), Cursor (.cursor/mcp.json), Codex
 * (.codex/config.toml, read in trusted projects) and VS Code (.vscode/mcp.json).
 * Writing merges baton's entry into the file: other servers stay as they are.
 * No SDK here: `baton init --mcp` must stay light.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError, USAGE_EXIT } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { findRepoRoot } from '../git/gitdir.js';
import { writeFileAtomic } from '../workspace/atomic.js';

export const CLIENTS = ['claude', 'cursor', 'codex', 'vscode'] as const;
export type Client = (typeof CLIENTS)[number];

const NAME = 'baton';

interface ClientFormat {
  /** Relative to the repository root. */
  file: string;
  /** The entry for baton, as the client documents it. */
  entry: Record<string, unknown>;
  /** JSON files: the key that holds the servers. */
  key?: 'mcpServers' | 'servers';
  /** What to tell the user beyond the file. */
  note: string;
}

export function clientFormat(client: Client): ClientFormat {
  switch (client) {
    case 'claude':
      // Claude Code starts project servers in the project folder.
      return { file: '.mcp.json', key: 'mcpServers', entry: { type: 'stdio', command: 'baton', args: ['mcp'] }, note: 'Claude Code asks once to approve the project\'s servers; `claude mcp list` shows it.' };
    case 'cursor':
      // Cursor does not promise the project folder as the working directory; -C names it.
      return { file: '.cursor/mcp.json', key: 'mcpServers', entry: { command: 'baton', args: ['mcp', '-C', '${workspaceFolder}'] }, note: 'Turn it on in Cursor\'s MCP settings; its log is in the Output panel (MCP Logs).' };
    case 'vscode':
      return { file: '.vscode/mcp.json', key: 'servers', entry: { type: 'stdio', command: 'baton', args: ['mcp'], cwd: '${workspaceFolder}' }, note: 'Start it from the MCP: List Servers command; Copilot\'s agent mode sees its tools.' };
    case 'codex':
      return {
        file: '.codex/config.toml', entry: { command: 'baton', args: ['mcp'] },
        note: 'Codex reads .codex/config.toml only in a project you marked trusted. Otherwise add it for every project with `codex mcp add baton -- baton mcp` (it goes in ~/.codex/config.toml). `codex mcp list` shows it.',
      };
  }
}

export function isClient(value: string): value is Client {
  return (CLIENTS as readonly string[]).includes(value);
}

export function requireClient(value: string): Client {
  if (!isClient(value)) throw new BatonError(`unknown MCP client \`${value}\`.${didYouMean(value, CLIENTS)}`, { hint: `Use one of: ${CLIENTS.join(', ')}.`, exitCode: USAGE_EXIT });
  return value;
}

const tomlString = (s: string) => JSON.stringify(s);

function tomlTable(entry: Record<string, unknown>): string {
  const lines = [`[mcp_servers.${NAME}]`];
  for (const [k, v] of Object.entries(entry)) lines.push(`${k} = ${Array.isArray(v) ? `[${v.map((x) => tomlString(String(x))).join(', ')}]` : tomlString(String(v))}`);
  return `${lines.join('\n')}\n`;
}

/** The file's text with baton's entry in it (the whole file when there is none yet). Pure. */
export function withBatonEntry(client: Client, existing: string | undefined, file = clientFormat(client).file): string {
  const f = clientFormat(client);
  if (!f.key) return withTomlTable(existing ?? '', tomlTable(f.entry));
  let data: Record<string, unknown> = {};
  if (existing?.trim()) {
    try {
      data = JSON.parse(existing) as Record<string, unknown>;
    } catch (error) {
      const pos = /position (\d+)/.exec((error as Error).message);
      const line = pos ? existing.slice(0, Number(pos[1])).split('\n').length : undefined;
      throw new BatonError(`${file} is not valid JSON, so baton's entry cannot be added; nothing was written`, {
        file, line, hint: `Fix the file (comments are not allowed here), or add by hand under "${f.key}": "${NAME}": ${JSON.stringify(f.entry)}`,
      });
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new BatonError(`${file} does not hold a JSON object; nothing was written`, { file, hint: `It should look like {"${f.key}": {…}}.` });
    }
  }
  const servers = (data[f.key] && typeof data[f.key] === 'object' ? data[f.key] : {}) as Record<string, unknown>;
  return `${JSON.stringify({ ...data, [f.key]: { ...servers, [NAME]: f.entry } }, null, 2)}\n`;
}

/** Replace the `[mcp_servers.baton]` table (and its sub-tables) or append it; every other line stays. */
function withTomlTable(existing: string, table: string): string {
  const lines = existing.split('\n');
  const kept: string[] = [];
  let inBaton = false;
  for (const line of lines) {
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(line);
    if (header) inBaton = header[1] === `mcp_servers.${NAME}` || header[1]!.startsWith(`mcp_servers.${NAME}.`);
    if (!inBaton) kept.push(line);
  }
  const body = kept.join('\n').replace(/\n+$/, '');
  return body ? `${body}\n\n${table}` : table;
}

/** What `baton mcp --print-config CLIENT` prints: the entry as the client's file holds it. */
export function printedConfig(client: Client): string {
  const f = clientFormat(client);
  return f.key ? `${JSON.stringify({ [f.key]: { [NAME]: f.entry } }, null, 2)}\n` : tomlTable(f.entry);
}

export interface WrittenConfig {
  client: Client;
  file: string;
  created: boolean;
  changed: boolean;
  note: string;
}

/** The client's file with baton's entry, checked but not written yet: `write()` writes it. */
export function prepareClientConfig(root: string, client: Client): { write: () => WrittenConfig } {
  const f = clientFormat(client);
  const path = join(root, f.file);
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  const next = withBatonEntry(client, existing, f.file);
  return {
    write: () => {
      if (next !== existing) writeFileAtomic(path, next);
      return { client, file: f.file, created: existing === undefined, changed: next !== existing, note: f.note };
    },
  };
}

/**
 * `baton init --mcp a --mcp b`: every name and every existing file checked
 * first (in the repository at or above `cwd`); call the result to write them.
 */
export async function prepareClientConfigs(cwd: string, names: readonly string[]): Promise<() => WrittenConfig[]> {
  // Not a repository: requireRepo throws the error every command gives (loaded only then: it brings the YAML parser).
  const root = findRepoRoot(cwd) ?? (await import('../workspace/context.js')).requireRepo(cwd);
  const prepared = [...new Set(names.map(requireClient))].map((c) => prepareClientConfig(root, c));
  return () => prepared.map((p) => p.write());
}
