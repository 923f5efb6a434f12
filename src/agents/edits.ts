/**
 * Edits an implementation model answers with, and applying them safely.
 *
 * The answer format (taught by the api executor's instructions):
 *
 *   ```file src/app.ts        whole file: the block is the new content
 *   ```delete src/old.ts      delete a file (empty block)
 *   ```diff                   unified diff, one or more files (--- a/x, +++ b/x, @@ hunks)
 *   ```need                   paths the model wants to read first, one a line
 *
 * Parsing is pure; applying checks every path (inside the repository, not
 * `.git/`, not the append-only memory) and computes every new file before
 * writing any, so a set of edits lands whole or not at all.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { redact, REDACTED } from '../core/redact.js';
import { writeFileAtomic } from '../workspace/atomic.js';

export interface Hunk {
  oldStart: number;
  header: string;
  /** Lines with their marker: ' ' context, '-' removed, '+' added. */
  lines: string[];
  /** `\ No newline at end of file` after the new side's last line. */
  noNewlineAtEnd?: boolean;
}

export type Edit =
  | { kind: 'write'; path: string; content: string }
  | { kind: 'delete'; path: string }
  | { kind: 'patch'; path: string; hunks: Hunk[]; create: boolean; remove: boolean };

export interface ParsedAnswer {
  edits: Edit[];
  /** Files the model asked to see (```need blocks). */
  requests: string[];
  /** The answer with the edit blocks taken out: the agent's report. */
  prose: string;
  /** Blocks that could not be read, said so the model can fix them. */
  problems: string[];
}

/** An edit that does not apply; the message is sent back to the model. */
export class EditError extends Error {
  constructor(message: string, readonly path?: string) {
    super(message);
    this.name = 'EditError';
  }
}

const FENCE_OPEN = /^(`{3,}|~{3,})[ \t]*(.*?)[ \t]*$/;

/** The implementer's answer read as edits (file, diff and delete blocks) and file requests. */
export function parseEdits(text: string): ParsedAnswer {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const out: ParsedAnswer = { edits: [], requests: [], prose: '', problems: [] };
  const prose: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i]!);
    const kind = open ? blockKind(open[2]!) : undefined;
    if (!open || !kind) {
      prose.push(lines[i]!);
      if (open) i = skipBlock(lines, i, open[1]!, prose);
      continue;
    }
    const fence = open[1]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j]!;
      if (l.startsWith(fence[0]!.repeat(fence.length)) && l.trim().replace(new RegExp(`\\${fence[0]}`, 'g'), '') === '') break;
      body.push(l);
    }
    if (j >= lines.length) out.problems.push(`the block opened on line ${i + 1} (\`${lines[i]}\`) is never closed`);
    i = j;
    if (kind.type === 'file') out.edits.push({ kind: 'write', path: kind.path, content: body.length ? `${body.join('\n')}\n` : '' });
    else if (kind.type === 'delete') out.edits.push({ kind: 'delete', path: kind.path });
    else if (kind.type === 'need') out.requests.push(...body.map((l) => l.trim().replace(/^[-*]\s+/, '')).filter(Boolean));
    else {
      try {
        out.edits.push(...parseUnifiedDiff(body.join('\n')));
      } catch (error) {
        out.problems.push((error as Error).message);
      }
    }
  }
  out.prose = prose.join('\n').trim();
  return out;
}

type BlockKind = { type: 'file' | 'delete'; path: string } | { type: 'need' } | { type: 'diff' };

function blockKind(info: string): BlockKind | undefined {
  const named = /^(file|delete)(?::|\s+)(\S+)$/.exec(info);
  if (named) return { type: named[1] as 'file' | 'delete', path: named[2]! };
  const attr = /(?:^|\s)(?:path|file)=["']?([^\s"']+)/.exec(info);
  if (attr) return { type: 'file', path: attr[1]! };
  if (/^(diff|patch|udiff)$/.test(info)) return { type: 'diff' };
  if (/^(need|files)$/.test(info)) return { type: 'need' };
  return undefined;
}

/** Copy an ordinary code block into the prose untouched; returns its last line. */
function skipBlock(lines: string[], start: number, fence: string, prose: string[]): number {
  for (let j = start + 1; j < lines.length; j++) {
    prose.push(lines[j]!);
    if (lines[j]!.trim() === fence || (lines[j]!.startsWith(fence) && lines[j]!.trim().replace(/[`~]/g, '') === '')) return j;
  }
  return lines.length;
}

function diffPath(raw: string): string | null {
  const p = raw.replace(/\t.*$/, '').trim().replace(/^"(.*)"$/, '$1');
  if (p === '/dev/null') return null;
  return p.replace(/^[ab]\//, '');
}

/** `--- a/x` / `+++ b/x` / `@@ -l,s +l,s @@` … into one patch edit per file. */
export function parseUnifiedDiff(text: string): Edit[] {
  const lines = text.split('\n');
  const edits: Edit[] = [];
  let current: Extract<Edit, { kind: 'patch' }> | undefined;
  let hunk: Hunk | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      const from = diffPath(line.slice(4));
      const to = diffPath(lines[i + 1]!.slice(4));
      const path = to ?? from;
      if (!path) throw new EditError(`a diff names /dev/null on both sides (line ${i + 1})`);
      current = { kind: 'patch', path, hunks: [], create: from === null, remove: to === null };
      edits.push(current);
      hunk = undefined;
      i++;
      continue;
    }
    const h = /^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@/.exec(line);
    if (h) {
      if (!current) throw new EditError(`a hunk (\`${line}\`) comes before any \`--- a/path\` / \`+++ b/path\` header`);
      hunk = { oldStart: Number(h[1]), header: line, lines: [] };
      current.hunks.push(hunk);
      continue;
    }
    if (!hunk) continue; // `diff --git`, `index …` and prose between files
    if (line.startsWith('\\')) {
      if (hunk.lines.at(-1)?.[0] !== '-') hunk.noNewlineAtEnd = true;
      continue;
    }
    if (line === '' && i === lines.length - 1) continue;
    // Models often drop the space of an empty context line.
    const marked = line === '' ? ' ' : line;
    if (!' +-'.includes(marked[0]!)) {
      hunk = undefined;
      continue;
    }
    hunk.lines.push(marked);
  }
  if (!edits.length) throw new EditError('a ```diff block holds no `--- a/path` / `+++ b/path` header');
  return edits;
}

/**
 * Apply hunks to a file's text. Each hunk is looked for at its line number,
 * then nearest to it anywhere in the file, then ignoring trailing spaces.
 */
export function applyHunks(original: string, hunks: readonly Hunk[], path: string): string {
  const endsWithNewline = original === '' || original.endsWith('\n');
  const lines = original === '' ? [] : original.replace(/\n$/, '').split('\n');
  let offset = 0;
  let noNewline = false;
  hunks.forEach((hunk, index) => {
    const before = hunk.lines.filter((l) => l[0] !== '+').map((l) => l.slice(1));
    const after = hunk.lines.filter((l) => l[0] !== '-').map((l) => l.slice(1));
    const want = Math.max(0, hunk.oldStart - 1 + offset);
    const at = findBlock(lines, before, want);
    if (at < 0) {
      const first = before.find((l) => l.trim()) ?? before[0] ?? '';
      throw new EditError(
        `hunk ${index + 1} of ${path} (\`${hunk.header}\`) does not match the file: its old lines (starting \`${first.trim()}\`) are not in ${path} as it is now`,
        path,
      );
    }
    lines.splice(at, before.length, ...after);
    offset = at - (hunk.oldStart - 1) + after.length - before.length;
    if (hunk.noNewlineAtEnd) noNewline = true;
  });
  if (!lines.length) return '';
  return lines.join('\n') + (noNewline || !endsWithNewline ? '' : '\n');
}

function findBlock(lines: readonly string[], block: readonly string[], want: number): number {
  if (!block.length) return Math.min(want, lines.length);
  for (const norm of [(s: string) => s, (s: string) => s.trimEnd()]) {
    const matches = (at: number) => block.every((b, k) => lines[at + k] !== undefined && norm(lines[at + k]!) === norm(b));
    for (let d = 0; d <= lines.length; d++) {
      if (want - d >= 0 && matches(want - d)) return want - d;
      if (d && want + d <= lines.length - block.length && matches(want + d)) return want + d;
      if (want - d < 0 && want + d > lines.length - block.length) break;
    }
  }
  return -1;
}

/**
 * The absolute path of `path` inside `root`, or an EditError saying why not:
 * absolute paths, `..` escapes, symlinks pointing out, `.git/` and memory files.
 */
export function safePath(root: string, path: string): string {
  const clean = path.trim().replace(/\\/g, '/');
  if (!clean || isAbsolute(clean) || /^[a-zA-Z]:/.test(clean)) {
    throw new EditError(`refused \`${path}\`: paths must be relative to the repository root`, path);
  }
  const abs = resolve(root, clean);
  const relPath = relative(root, abs);
  if (!relPath || relPath.startsWith('..') || isAbsolute(relPath)) {
    throw new EditError(`refused \`${path}\`: it is outside the repository`, path);
  }
  const parts = relPath.split(sep);
  if (parts.includes('.git')) throw new EditError(`refused \`${path}\`: baton never edits \`.git/\``, path);
  if (parts[0] === '.agents' && parts[1] === 'memory') {
    throw new EditError(`refused \`${path}\`: memory is append-only; put what you learned in your report`, path);
  }
  // A symlinked folder (or file) inside the repository may point out of it.
  let probe = abs;
  while (!existsSync(probe) && probe !== root) probe = dirname(probe);
  const real = realpathSync(probe);
  const realRoot = realpathSync(root);
  if (real !== realRoot && !real.startsWith(realRoot + sep)) {
    throw new EditError(`refused \`${path}\`: it leads outside the repository through a symbolic link`, path);
  }
  if (existsSync(abs) && lstatSync(abs).isSymbolicLink()) {
    throw new EditError(`refused \`${path}\`: it is a symbolic link`, path);
  }
  return abs;
}

/** Apply every edit or none; returns the changed paths (relative, sorted). */
export function applyEdits(root: string, edits: readonly Edit[]): string[] {
  const plan = new Map<string, { abs: string; content: string | null }>();
  const current = (path: string, abs: string): string | null => {
    const planned = plan.get(path);
    if (planned) return planned.content;
    return existsSync(abs) ? readFileSync(abs, 'utf8') : null;
  };
  for (const edit of edits) {
    const abs = safePath(root, edit.path);
    const key = relative(root, abs).split(sep).join('/');
    if (edit.kind === 'write') plan.set(key, { abs, content: edit.content });
    else if (edit.kind === 'delete') {
      if (current(key, abs) === null) throw new EditError(`cannot delete \`${key}\`: there is no such file`, key);
      plan.set(key, { abs, content: null });
    } else {
      const text = current(key, abs);
      if (text === null && !edit.create) {
        throw new EditError(`cannot patch \`${key}\`: there is no such file (a new file's diff starts with \`--- /dev/null\`)`, key);
      }
      if (text !== null && edit.create && text !== '') {
        throw new EditError(`the diff creates \`${key}\`, but that file already exists; send it as a whole file instead`, key);
      }
      const next = applyHunks(text ?? '', edit.hunks, key);
      plan.set(key, { abs, content: edit.remove && next === '' ? null : next });
    }
  }
  for (const [key, { abs, content }] of plan) {
    // The mask of a secret the model was shown must never replace the secret itself.
    const before = existsSync(abs) ? readFileSync(abs, 'utf8') : '';
    if (content !== null && content.includes(REDACTED) && !before.includes(REDACTED)) {
      throw new EditError(`refused \`${key}\`: the edit writes \`${REDACTED}\`, the mask of a secret; leave those lines out of your edit (use a diff)`, key);
    }
  }
  for (const { abs, content } of plan.values()) {
    if (content === null) rmSync(abs, { force: true });
    else {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileAtomic(abs, content);
    }
  }
  return [...plan.keys()].sort();
}

/** Text of files a model asked for (or the task names), each capped; missing ones said so. */
export function fileContents(root: string, paths: readonly string[], maxChars = 60_000): string {
  const parts: string[] = [];
  for (const p of [...new Set(paths)]) {
    let abs: string;
    try {
      abs = safePath(root, p);
    } catch (error) {
      parts.push(`### ${p}\n(${(error as Error).message})`);
      continue;
    }
    if (!existsSync(abs) || !lstatSync(abs).isFile()) {
      parts.push(`### ${p}\n(no such file yet)`);
      continue;
    }
    const raw = readFileSync(abs, 'utf8');
    // Nothing that looks like a key is sent to a model; the model is told not to write the mask back.
    let text = redact(raw);
    const masked = text !== raw
      ? `\n(values that look like secrets are shown as \`${REDACTED}\`: change this file only with a diff whose hunks do not touch those lines, and never write \`${REDACTED}\` into a file)`
      : '';
    if (text.length > maxChars) text = `${text.slice(0, maxChars)}\n… (cut at ${maxChars} characters)`;
    const fence = text.includes('```') ? '~~~~' : '```';
    parts.push(`### ${p}${masked}\n${fence}\n${text.replace(/\n$/, '')}\n${fence}`);
  }
  return parts.join('\n\n');
}
