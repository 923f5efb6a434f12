/**
 * Memory files: `memory/<id>.md` and `memory/project.md`, append-only, one
 * entry per level-2 heading. The format is baton's own (`## <time> <kind>
 * [<ref>]` at column 0), so a line scanner that skips fenced code reads it
 * exactly and fast enough for tens of thousands of entries.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENTRY_HEADING_RE, formatEntry, type MemoryEntry } from './entry.js';
import { redact } from '../core/redact.js';
import { withLock, writeFileAtomic } from '../workspace/atomic.js';
import { agentsPaths, stateDir } from '../workspace/paths.js';

export interface MemoryFile {
  /** Everything before the first entry (title, notes a person wrote). */
  preamble: string;
  entries: MemoryEntry[];
}

const FENCE_RE = /^ {0,3}(`{3,}|~{3,})/;

export function parseMemory(text: string, task?: string): MemoryFile {
  const lines = text.split('\n');
  const entries: MemoryEntry[] = [];
  let preambleEnd = lines.length;
  let current: { entry: MemoryEntry; bodyLines: string[] } | undefined;
  let fence: string | undefined;
  const close = () => {
    if (!current) return;
    current.entry.body = current.bodyLines.join('\n').replace(/\s+$/, '');
    entries.push(current.entry);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const f = FENCE_RE.exec(line);
    if (f) {
      if (!fence) fence = f[1]![0]!.repeat(f[1]!.length);
      else if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') fence = undefined;
    }
    const m = !fence && !f ? ENTRY_HEADING_RE.exec(line) : null;
    if (m) {
      if (!current) preambleEnd = i;
      close();
      current = { entry: { time: m[1]!, kind: m[2]!, ref: m[3] || undefined, body: '', task, line: i + 1 }, bodyLines: [] };
    } else if (current) current.bodyLines.push(line);
  }
  close();
  const preamble = lines.slice(0, preambleEnd).join('\n');
  return { preamble, entries };
}

/**
 * `text` ready for entries to be appended: a code fence left open at its end
 * (a bad paste, a cut merge) is closed, or every entry after it would read as
 * code. The hook does the same (format-entries.awk).
 */
export function appendable(text: string): string {
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const f = FENCE_RE.exec(line);
    if (!f) continue;
    if (!fence) fence = f[1]![0]!.repeat(f[1]!.length);
    else if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') fence = undefined;
  }
  return fence ? `${text.replace(/\n*$/, '\n')}${fence}\n` : text;
}

export function memoryPath(root: string, id: string): string {
  return id === 'project' ? agentsPaths(root).projectMemory : agentsPaths(root).memoryFile(id);
}

export function readMemory(root: string, id: string): MemoryFile {
  const path = memoryPath(root, id);
  if (!existsSync(path)) return { preamble: '', entries: [] };
  return parseMemory(readFileSync(path, 'utf8'), id);
}

/** Every memory file's entries: task files and project.md. */
export function readAllMemory(root: string): MemoryEntry[] {
  const dir = agentsPaths(root).memory;
  if (!existsSync(dir)) return [];
  const out: MemoryEntry[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.md') || name.startsWith('.')) continue;
    const id = name.slice(0, -3);
    out.push(...parseMemory(readFileSync(join(dir, name), 'utf8'), id).entries);
  }
  return out;
}

/**
 * The title a new memory file starts with. The hooks write the same text
 * (hooks/baton.sh, pinned by test/faults-formats.test.ts), and it carries no
 * task title: the same file created on two branches must merge as one.
 */
export function memoryHeader(id: string, _title?: string): string {
  return id === 'project'
    ? '# Memory: project\n\nDecisions from reviews and commits made off task branches. Append-only; baton adds entries below.\n'
    : `# Memory: ${id}\n\nAppend-only log of attempts, commits, results, bugs and decisions for this task.\n`;
}

/**
 * Append entries to a memory file, redacting secrets. Atomic, and serialized
 * across processes with a lock in the git dir (parallel runs share project.md).
 */
export async function appendMemory(
  root: string,
  id: string,
  entries: Pick<MemoryEntry, 'time' | 'kind' | 'ref' | 'body'>[],
  title?: string,
): Promise<void> {
  if (!entries.length) return;
  const path = memoryPath(root, id);
  let lockDir: string;
  try {
    lockDir = stateDir(root);
  } catch {
    lockDir = join(agentsPaths(root).memory);
  }
  await withLock(join(lockDir, `memory-${id}.lock`), () => {
    const before = appendable(existsSync(path) ? readFileSync(path, 'utf8') : memoryHeader(id, title));
    const sep = before === '' || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
    const added = entries.map((e) => formatEntry({ ...e, body: redact(e.body) })).join('\n');
    writeFileAtomic(path, `${before}${sep}${added}`);
  });
}
