/**
 * A task branch's changes against the base, per file, as a reviewer reads
 * them: `git diff base...branch` (from where the branch left the base), with
 * one folder left out (the board leaves out `.agents/`: memory is shown beside the diff).
 * Bounded: `--numstat` first, then the text of only as many files as fit, so
 * a branch that rewrote a megabyte file costs no more than a small one.
 * The parser is a pure function of git's output.
 */
import { gitRun } from './task-branch.js';

export interface DiffLine {
  kind: 'add' | 'del' | 'ctx';
  /** Line number on the base side (del, ctx). */
  old?: number;
  /** Line number on the branch side (add, ctx): what a comment's `file:line` names. */
  new?: number;
  text: string;
}

export interface DiffHunk {
  header: string;
  lines: DiffLine[];
}

export interface FileDiff {
  path: string;
  /** Set when the file was renamed or copied from another path. */
  from?: string;
  status: 'added' | 'deleted' | 'modified' | 'renamed';
  binary: boolean;
  added: number;
  deleted: number;
  hunks: DiffHunk[];
  /** Why the text is not shown (too big): the file is still listed with its counts. */
  omitted?: string;
}

export interface BranchDiff {
  base: string;
  branch: string;
  files: FileDiff[];
  /** Said when files were left out to stay within the limits. */
  note?: string;
}

export interface DiffLimits {
  /** Changed lines shown in all (added + deleted). */
  totalLines: number;
  /** Changed lines shown for one file. */
  fileLines: number;
}

const DIFF_LIMITS: DiffLimits = { totalLines: 4000, fileLines: 1500 };

/** `--numstat -z` output → files with their counts. Pure. */
function parseNumstatZ(text: string): { path: string; from?: string; added: number; deleted: number; binary: boolean }[] {
  const out: { path: string; from?: string; added: number; deleted: number; binary: boolean }[] = [];
  const parts = text.split('\0');
  for (let i = 0; i < parts.length; i++) {
    const m = /^(\d+|-)\t(\d+|-)\t(.*)$/s.exec(parts[i]!.replace(/^\n/, ''));
    if (!m) continue;
    const binary = m[1] === '-';
    const counts = { added: binary ? 0 : Number(m[1]), deleted: binary ? 0 : Number(m[2]), binary };
    // A rename: an empty path field, then the old and the new path as their own fields.
    if (m[3] === '') {
      out.push({ from: parts[i + 1]!, path: parts[i + 2]!, ...counts });
      i += 2;
    } else out.push({ path: m[3]!, ...counts });
  }
  return out;
}

/** One file's unified diff text (from `diff --git` on) → hunks with line numbers on both sides. Pure. */
function parseHunks(text: string): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  let hunk: DiffHunk | undefined;
  let oldNo = 0;
  let newNo = 0;
  for (const line of text.split('\n')) {
    const h = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@.*$/.exec(line);
    if (h) {
      hunk = { header: line, lines: [] };
      hunks.push(hunk);
      oldNo = Number(h[1]);
      newNo = Number(h[2]);
      continue;
    }
    if (!hunk) continue;
    if (line.startsWith('+')) hunk.lines.push({ kind: 'add', new: newNo++, text: line.slice(1) });
    else if (line.startsWith('-')) hunk.lines.push({ kind: 'del', old: oldNo++, text: line.slice(1) });
    else if (line.startsWith(' ')) hunk.lines.push({ kind: 'ctx', old: oldNo++, new: newNo++, text: line.slice(1) });
    // `\ No newline at end of file` and the empty string after the last newline carry no line.
  }
  return hunks;
}

/** `git diff` of several files → each file's text, keyed by its new path (the old one for a deletion). Pure. */
function splitFiles(text: string): Map<string, { text: string; status: FileDiff['status'] }> {
  const out = new Map<string, { text: string; status: FileDiff['status'] }>();
  const chunks = text.split(/^(?=diff --git )/m).filter((c) => c.startsWith('diff --git '));
  for (const chunk of chunks) {
    const header = chunk.slice(0, chunk.search(/^@@ /m) === -1 ? chunk.length : chunk.search(/^@@ /m));
    // Paths from the `---`/`+++` lines (git quotes unusual names there as C strings).
    // The quotes, when there are any, wrap the `a/` or `b/` prefix too.
    const side = (re: RegExp, prefix: string) => {
      // A name with a space ends in a tab there (so a patch tool can tell where it stops).
      const raw = re.exec(header)?.[1]?.replace(/\t$/, '');
      if (raw === undefined || raw === '/dev/null') return raw;
      const path = unquote(raw);
      return path.startsWith(prefix) ? path.slice(prefix.length) : path;
    };
    const minus = side(/^--- (.*)$/m, 'a/');
    const plus = side(/^\+\+\+ (.*)$/m, 'b/');
    const renamed = /^rename to (.*)$/m.exec(header)?.[1];
    const renameTo = renamed === undefined ? undefined : unquote(renamed);
    const status: FileDiff['status'] = /^new file mode/m.test(header) ? 'added' : /^deleted file mode/m.test(header) ? 'deleted' : renameTo ? 'renamed' : 'modified';
    const path = renameTo ?? (plus && plus !== '/dev/null' ? plus : minus ?? '');
    if (path) out.set(path, { text: chunk, status });
  }
  return out;
}

/** Git's C-style quoting of a path with unusual characters → the path. */
function unquote(path: string): string {
  if (!path.startsWith('"')) return path;
  const body = path.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = body[++i]!;
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(({ n: 10, t: 9, '"': 34, '\\': 92 } as Record<string, number>)[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The branch's changes since it left `base`, without the folder `leaveOut`; undefined when either ref is missing. */
export function branchDiff(root: string, base: string, branch: string, leaveOut: string, limits: DiffLimits = DIFF_LIMITS): BranchDiff | undefined {
  const range = `${base}...${branch}`;
  const stat = gitRun(root, ['diff', '--no-color', '--no-ext-diff', '-M', '--numstat', '-z', range, '--', '.', `:(exclude)${leaveOut}`]);
  if (stat.code !== 0) return undefined;
  const listed = parseNumstatZ(stat.stdout);
  let budget = limits.totalLines;
  const shown: string[] = [];
  const omitted = new Map<string, string>();
  for (const f of listed) {
    const size = f.added + f.deleted;
    if (f.binary) continue;
    if (size > limits.fileLines) omitted.set(f.path, `${size.toLocaleString('en-US')} changed lines: too many to show here (\`git diff ${range} -- ${f.path}\`)`);
    else if (size > budget) omitted.set(f.path, `not shown: the diff passed ${limits.totalLines.toLocaleString('en-US')} changed lines (\`git diff ${range} -- ${f.path}\`)`);
    else {
      budget -= size;
      shown.push(f.path);
    }
  }
  const texts = new Map<string, { text: string; status: FileDiff['status'] }>();
  // Literal paths: a file named like a pathspec pattern (`*`, `:`) is itself, nothing more.
  const wanted = listed.filter((f) => f.binary || shown.includes(f.path)).flatMap((f) => (f.from ? [f.from, f.path] : [f.path]));
  if (wanted.length) {
    const r = gitRun(root, ['--literal-pathspecs', 'diff', '--no-color', '--no-ext-diff', '-M', range, '--', ...wanted]);
    if (r.code === 0) for (const [k, v] of splitFiles(r.stdout)) texts.set(k, v);
  }
  const files = listed.map((f): FileDiff => {
    const t = texts.get(f.path);
    const status = t?.status ?? (f.from ? 'renamed' : 'modified');
    return {
      path: f.path, ...(f.from ? { from: f.from } : {}), status, binary: f.binary, added: f.added, deleted: f.deleted,
      hunks: t && !f.binary ? parseHunks(t.text) : [],
      ...(omitted.has(f.path) ? { omitted: omitted.get(f.path) } : {}),
    };
  });
  const left = omitted.size;
  return { base, branch, files, ...(left ? { note: `${left} file${left === 1 ? '' : 's'} not shown in full: the diff is bigger than the board shows (${limits.totalLines.toLocaleString('en-US')} changed lines in all, ${limits.fileLines.toLocaleString('en-US')} per file).` } : {}) };
}
