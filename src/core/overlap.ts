/**
 * Which files a task will touch, predicted before it starts, and whether two
 * tasks' predictions overlap. Pure: the caller gathers what git and memory
 * say (src/tasks/predicted-files.ts); this decides.
 *
 * A prediction is the union of:
 *   - `files:` from the task's front matter;
 *   - the file paths its title and body name;
 *   - the files its dependencies' commits touched;
 *   - the files its own earlier attempts touched (a retry, or the commits so far of a running task);
 *   - what was learned: files another task touched outside what it named, when it named
 *     a file this task names too (and this task's own such files, through its commits).
 * baton's own files (`.agents/`) are left out: their merge drivers keep them from conflicting.
 */

export type PredictionSource = 'files' | 'text' | 'dependency' | 'earlier' | 'learned';

export interface PredictionInput {
  id: string;
  files: readonly string[];
  /** The title and body, read for file paths. */
  text: string;
  dependencyFiles: readonly string[];
  earlierFiles: readonly string[];
}

/** What one finished task teaches: the files it named, and those it touched outside them. */
export interface Lesson {
  id: string;
  named: readonly string[];
  outside: readonly string[];
}

export interface Prediction {
  id: string;
  /** Sorted, each once. */
  files: string[];
  /** Why each file is in: its first source. */
  why: Record<string, PredictionSource>;
}

export interface Overlap {
  /** The other task. */
  on: string;
  files: string[];
}

/** Extensions that make a bare word (no slash, no backticks) a file name: `package.json`, `db.ts`. */
const CODE_EXT = new Set('ts tsx js jsx mjs cjs json md mdx py go rs rb java kt c h cc cpp hpp cs php swift sql sh yaml yml toml lock css scss html vue svelte txt ini cfg env xml gradle'.split(' '));
const PATH_RE = /(`[^`\n]+`)|\b(Makefile|Dockerfile|Containerfile|Procfile|Gemfile|Rakefile|Justfile|LICENSE)\b|((?:\.{0,2}\/)?(?:[\w@.+-]+\/)*[\w@+-][\w@.+-]*\.[A-Za-z][\w]{0,9}|(?:[\w@.+-]+\/)+[\w@.+-]+\/?)/g;

/** File paths a task's text names: in backticks, with a slash, or a name with a known extension. */
export function pathsNamedIn(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(PATH_RE)) {
    const quoted = m[1] !== undefined;
    const raw = quoted ? m[1]!.slice(1, -1).trim() : (m[2] ?? m[3]!);
    const at = m.index ?? 0;
    // A URL's host and path are not the repository's files.
    if (!quoted && /[a-z]+:\/\/\S*$/i.test(text.slice(Math.max(0, at - 200), at))) continue;
    const path = normalizePath(raw);
    if (!path || !looksLikePath(path, quoted)) continue;
    out.add(path);
  }
  return [...out];
}

function looksLikePath(path: string, quoted: boolean): boolean {
  if (/\s|[*?<>|"'(){}[\]=:,;]/.test(path)) return false;
  if (/^\d+(\.\d+)*$/.test(path) || /^v?\d+\.\d+/.test(path)) return false; // versions
  if (path.startsWith('-')) return false; // flags
  const ext = /\.([A-Za-z][\w]{0,9})$/.exec(path)?.[1]?.toLowerCase();
  if (path.includes('/')) return quoted || ext !== undefined || path.endsWith('/');
  if (BARE_NAMES.test(path)) return true;
  // `Node.js`, `Vue.js` in prose are products, not files.
  if (!quoted && /^[A-Z][a-z]+\.js$/.test(path)) return false;
  return ext !== undefined && (CODE_EXT.has(ext) || (quoted && /^[\w.-]+$/.test(path)));
}

/** Files whose names have no extension. */
const BARE_NAMES = /^(?:Makefile|Dockerfile|Containerfile|Procfile|Gemfile|Rakefile|Justfile|LICENSE|\.[a-z][\w.-]*(?:ignore|rc|attributes|env))$/;

/** `./src/a.ts` → `src/a.ts`; trailing punctuation dropped; `.agents/` and paths leaving the repo give ''. */
export function normalizePath(raw: string): string {
  let p = raw.trim().replace(/\\/g, '/').replace(/[.,;:!?)]+$/, '');
  while (p.startsWith('./')) p = p.slice(2);
  if (!p || p.startsWith('/') || p.split('/').includes('..')) return '';
  if (p === '.agents' || p.startsWith('.agents/')) return '';
  return p;
}

/** Whether two paths name the same file, or one is a folder (`src/api/`) holding the other. */
export function samePlace(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.endsWith('/') && b.startsWith(a)) return true;
  return b.endsWith('/') && a.startsWith(b);
}

/** The files of `touched` that `named` does not cover. */
export function outsideOf(named: readonly string[], touched: readonly string[]): string[] {
  return [...new Set(touched.map(normalizePath).filter((f) => f && !named.some((n) => samePlace(n, f))))];
}

/** What a task names itself: its `files:` and the paths in its text. */
export function namedFiles(input: Pick<PredictionInput, 'files' | 'text'>): string[] {
  return [...new Set([...input.files.map(normalizePath), ...pathsNamedIn(input.text)].filter(Boolean))];
}

export function predict(input: PredictionInput, lessons: readonly Lesson[] = []): Prediction {
  const why: Record<string, PredictionSource> = {};
  const add = (paths: readonly string[], source: PredictionSource) => {
    for (const raw of paths) {
      const p = normalizePath(raw);
      if (p && !(p in why)) why[p] = source;
    }
  };
  add(input.files, 'files');
  add(pathsNamedIn(input.text), 'text');
  add(input.dependencyFiles, 'dependency');
  add(input.earlierFiles, 'earlier');
  const named = Object.keys(why);
  for (const l of lessons) {
    if (l.id === input.id || l.named.some((n) => named.some((m) => samePlace(n, m)))) add(l.outside, 'learned');
  }
  return { id: input.id, files: Object.keys(why).sort(), why };
}

/**
 * The files two predictions share (a folder in one holding a file in the
 * other counts). A file both only inherit from dependencies is left out: it
 * says where they start, not that either edits it, and counting it would run
 * every child of a common parent one after another.
 */
export function sharedFiles(a: Prediction, b: Prediction): string[] {
  const out = new Set<string>();
  for (const f of a.files) {
    for (const g of b.files) {
      if (!samePlace(f, g) || (a.why[f] === 'dependency' && b.why[g] === 'dependency')) continue;
      out.add(f.length >= g.length ? f : g);
    }
  }
  return [...out].sort();
}

/** The first of `busy` (running tasks, in order) whose prediction overlaps `p`. */
export function firstOverlap(p: Prediction, busy: readonly Prediction[]): Overlap | undefined {
  for (const other of busy) {
    if (other.id === p.id) continue;
    const files = sharedFiles(p, other);
    if (files.length) return { on: other.id, files };
  }
  return undefined;
}

/** `waits for T-1a2b: both touch src/db.ts` */
export function waitText(o: Overlap): string {
  const shown = o.files.slice(0, 3).map((f) => f).join(', ');
  const more = o.files.length > 3 ? ` and ${o.files.length - 3} more` : '';
  return `waits for ${o.on}: both touch ${shown}${more}`;
}

/**
 * Ready tasks in the order to take them, each with the running task it must
 * wait for (if any). A ready task also waits for an earlier ready task that
 * it overlaps, since that one goes first.
 */
export function scheduleAround(ready: readonly Prediction[], running: readonly Prediction[]): { id: string; waits?: Overlap }[] {
  const busy = [...running];
  return ready.map((p) => {
    const waits = firstOverlap(p, busy);
    if (!waits) busy.push(p);
    return waits ? { id: p.id, waits } : { id: p.id };
  });
}
