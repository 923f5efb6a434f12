/**
 * Memory files: `memory/<id>.md` and `memory/project.md`, append-only, one
 * entry per level-2 heading. The format is baton's own (`## <time> <kind>
 * [<ref>]` at column 0), so a line scanner that skips fenced code reads it
 * exactly and fast enough for tens of thousands of entries.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { boundedBody, ENTRY_HEADING_RE, formatEntry, type MemoryEntry } from './entry.js';
import { fenceAfter } from './fence.js';
import { redact } from '../core/redact.js';
import { lfText, withEolOf } from '../core/eol.js';

export { lfText } from '../core/eol.js';
import { stripAnsi } from '../core/ansi.js';
import { withLock, writeFileAtomic } from '../workspace/atomic.js';
import { AGENTS, agentsPaths, stateDir } from '../workspace/paths.js';
import { BatonError, type Problem } from '../core/errors.js';
import { gitDirOf } from '../git/gitdir.js';

export interface MemoryFile {
  /** Everything before the first entry (title, notes a person wrote). */
  preamble: string;
  entries: MemoryEntry[];
}


export function parseMemory(text: string, task?: string): MemoryFile {
  const lines = lfText(text).split('\n');
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
    const f = fenceAfter(line, fence);
    fence = f.open;
    const m = !fence && !f.isFence ? ENTRY_HEADING_RE.exec(line) : null;
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
  for (const line of text.split('\n')) fence = fenceAfter(line, fence).open;
  return fence ? `${text.replace(/\n*$/, '\n')}${fence}\n` : text;
}

/** `.agents/memory/<id>.md` (`project.md` for the project): built directly, as a prompt reads thousands. */
export function memoryPath(root: string, id: string): string {
  return join(root, AGENTS.memoryFile(id));
}

export function readMemory(root: string, id: string): MemoryFile {
  const path = memoryPath(root, id);
  let text: string;
  try {
    text = readFileSync(path, 'utf8'); // one read, no stat first: a prompt reads the memory of every task upstream
  } catch (error) {
    // Nothing there (most tasks not started), a folder or a broken link: no memory (doctor says so). Anything else is an error to see.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ELOOP' || code === 'ENOTDIR') return { preamble: '', entries: [] };
    throw error;
  }
  return parseMemory(text, id);
}

/** Every memory file's entries: task files and project.md. */
export function readAllMemory(root: string): MemoryEntry[] {
  const dir = agentsPaths(root).memory;
  const out: MemoryEntry[] = [];
  for (const name of memoryFileNames(dir)) out.push(...parseMemory(readFileSync(join(dir, name), 'utf8'), name.slice(0, -3)).entries);
  return out;
}

/** What is at a memory file's path: a readable file, nothing, a folder, or a symbolic link that leads nowhere. */
export function memoryFileKind(path: string): 'file' | 'missing' | 'folder' | 'dangling' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ELOOP' && code !== 'ENOTDIR') throw error;
    try {
      return lstatSync(path).isSymbolicLink() ? 'dangling' : 'missing';
    } catch {
      return 'missing';
    }
  }
}

/** The `*.md` names in the memory folder that are files to read; folders and broken links are skipped. */
export function memoryFileNames(dir: string): string[] {
  if (!existsSync(dir)) return [];
  // lessons.md is no task's log: it is the lessons file (memory/lessons.ts).
  // The folder listing says "file" or "folder" without a stat; only links (and file systems that do not say) are looked through.
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.name.endsWith('.md') && !d.name.startsWith('.') && d.name !== 'lessons.md')
    .filter((d) => d.isFile() || (!d.isDirectory() && memoryFileKind(join(dir, d.name)) === 'file'))
    .map((d) => d.name)
    .sort();
}

/** A warning for each `*.md` in the memory folder that is a folder or a broken link (`baton doctor`). */
export function brokenMemoryFiles(dir: string, shown = '.agents/memory'): Problem[] {
  if (!existsSync(dir)) return [];
  const problems: Problem[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.md') || name.startsWith('.')) continue;
    const problem = brokenMemoryFile(join(dir, name), `${shown}/${name}`);
    if (problem) problems.push(problem);
  }
  return problems;
}

function brokenMemoryFile(path: string, file: string): Problem | undefined {
  const kind = memoryFileKind(path);
  if (kind === 'folder') {
    return { file, severity: 'warning', message: 'a folder named like a memory file; it is skipped', hint: 'Rename the folder, or move its contents out: memory is one `.md` file per task.' };
  }
  if (kind !== 'dangling') return undefined;
  let target = '';
  try {
    target = ` to \`${readlinkSync(path)}\``;
  } catch {
    /* gone since the listing */
  }
  return { file, severity: 'warning', message: `a symbolic link${target} that leads nowhere; it is skipped`, hint: 'Remove the link, or restore the file it points to (`baton memory rebuild` restores memory from history).' };
}

/**
 * A memory file's text before baton writes it ('' when there is none yet). A
 * folder or a broken link in its place is refused, located, before anything is written.
 */
export function memoryTextForWrite(path: string): string {
  const file = `.agents/memory/${basename(path)}`;
  const problem = brokenMemoryFile(path, file);
  if (problem) throw new BatonError(`${problem.message.replace(/; it is skipped$/, '')} is in the way of this memory file; nothing was written`, { file, hint: problem.hint });
  return existsSync(path) ? lfText(readFileSync(path, 'utf8')) : '';
}

/** Write a memory file baton read with `memoryTextForWrite`, in the line ends it already uses. */
export function writeMemoryText(path: string, text: string): void {
  let like = '';
  try {
    like = readFileSync(path, 'utf8').slice(0, 4096);
  } catch {
    /* a new file: LF */
  }
  writeFileAtomic(path, withEolOf(text, like));
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
 * Append entries to a memory file, redacting secrets and stripping escape sequences. Atomic, and serialized
 * across processes with a lock in the git dir (parallel runs share project.md).
 */
/**
 * Pure: `text` with `entries` added where their time places them (after every
 * entry of the same time or earlier), so the file reads in time order: a
 * commit recorded after a later entry (the hooks' queue flushed late) goes
 * before it. Entries already there are not touched, nor moved; a new entry
 * newer than all of them is appended, the usual case, in one pass.
 */
export function withEntriesInTimeOrder(text: string, entries: readonly Pick<MemoryEntry, 'time' | 'kind' | 'ref' | 'body'>[]): string {
  const sorted = entries.map((e, i) => ({ e, i })).sort((a, b) => (a.e.time < b.e.time ? -1 : a.e.time > b.e.time ? 1 : a.i - b.i)).map(({ e }) => e);
  // Bodies hold what checks and agents printed: plain text, never a terminal's escape sequences.
  const block = (e: Pick<MemoryEntry, 'time' | 'kind' | 'ref' | 'body'>) => formatEntry({ ...e, body: redact(boundedBody(stripAnsi(e.body))) });
  const present = parseMemory(text).entries;
  const last = present.at(-1)?.time ?? '';
  const tail = sorted.filter((e) => e.time >= last);
  const inner = sorted.filter((e) => e.time < last);
  let out = text;
  if (inner.length) {
    // Before the first entry that is later than it; grouped by that entry's line, spliced in one pass from the end.
    const at = new Map<number, string[]>();
    let j = 0;
    for (const e of inner) {
      while (present[j]!.time <= e.time) j++;
      const line = present[j]!.line! - 1;
      at.set(line, [...(at.get(line) ?? []), ...block(e).split('\n').slice(0, -1), '']);
    }
    const lines = out.split('\n');
    for (const line of [...at.keys()].sort((a, b) => b - a)) lines.splice(line, 0, ...at.get(line)!);
    out = lines.join('\n');
  }
  if (!tail.length) return out;
  const sep = out === '' || out.endsWith('\n\n') ? '' : out.endsWith('\n') ? '\n' : '\n\n';
  return `${out}${sep}${tail.map(block).join('\n')}`;
}

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
    const text = memoryTextForWrite(path);
    const before = appendable(existsSync(path) ? text : memoryHeader(id, title));
    writeMemoryText(path, withEntriesInTimeOrder(before, entries));
  });
}
