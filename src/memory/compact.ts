/**
 * Compaction: the memory of a task done long ago folded into one `fold` entry,
 * the full text staying in git history at the commit the fold names. Pure.
 *
 *     ## 2026-11-22T11:02:40Z fold 3f2a91c0…(40 hex)
 *     Folded 22 entries (1 attempt, 20 commits, 1 check) of 2026-11-20T09:00:00Z to 2026-11-22T11:02:40Z; 3 kept in full.
 *     Full text: `git show 3f2a91c0…:.agents/memory/T-7f3a.md`
 *     Summary: success: Users table created; run migrations with `npm run migrate`.
 *
 *     Commits:
 *     - 3f2a91c0ab12 Add users table migration
 *     Bookkeeping:
 *     1b2c3d4e5f6a 77c0d1e4aa01
 *     Entries:
 *     9e1f0a2b
 *     Files:
 *     - db/schema.sql
 *
 * What a later prompt routes stays as it was, entry for entry: every result,
 * bug, review and usage entry, the decisions, notes and blockers no later
 * success superseded, the last check and the failed ones, and entries of kinds
 * baton does not know. What goes into the fold is what no prompt reads as a
 * whole: commit entries (each kept as its SHA and subject, baton's own
 * bookkeeping commits as a SHA, and the files they touched, which route other
 * tasks' memory), attempts, passing checks, and what a later success
 * superseded. A fold that would change what a prompt sees, the task's own
 * or another's, is not made (`routingView` before and after).
 *
 * A fold names exactly what it took in: the commits by SHA, the other entries
 * by a hash of what they say. Restoring from history, the merge driver and
 * doctor leave those out, and nothing else: an entry kept in full and deleted
 * since is still lost, and comes back.
 */
import { standings } from './attempts.js';
import { commitEntryFiles } from './commit-files.js';
import { formatEntry, type MemoryEntry } from './entry.js';
import { createHash } from 'node:crypto';
import { redact } from '../core/redact.js';

export const FOLD_KIND = 'fold';

export interface Fold {
  entry: MemoryEntry;
  /** The commit whose tree holds the full file (the heading's ref). */
  link: string;
  /** The latest time the fold covers (the heading's time). */
  through: string;
  from: string;
  folded: number;
  /** Entries the file kept in full when the fold was made. */
  kept: number;
  /** The task's own commits, with their subjects (the files they touched are in `files`). */
  commits: { sha: string; subject: string }[];
  /** baton's own commits (only `.agents/` touched). */
  bookkeeping: string[];
  /** Short hashes (entryHash) of the other entries it took in. */
  hashes: string[];
  files: string[];
}

const isAgents = (p: string) => p === '.agents' || p.startsWith('.agents/');

/** Pure: the fold an entry is, or undefined when it is not one (or not readable as one). */
export function parseFold(entry: MemoryEntry): Fold | undefined {
  if (entry.kind !== FOLD_KIND || !entry.ref || !/^[0-9a-f]{7,40}$/.test(entry.ref)) return undefined;
  const lines = entry.body.split('\n');
  const head = /^Folded (\d+) entr(?:y|ies).*? of (\S+) to (\S+); (\d+) kept in full\.$/.exec(lines[0] ?? '');
  const commits: { sha: string; subject: string }[] = [];
  const bookkeeping: string[] = [];
  const hashes: string[] = [];
  const files: string[] = [];
  const words = (line: string, re: RegExp) => line.split(/\s+/).filter((w) => re.test(w));
  let section = '';
  for (const line of lines) {
    if (/^(Commits|Bookkeeping|Entries|Files):$/.test(line)) section = line;
    else if (line.trim() === '') section = '';
    else if (section === 'Commits:') {
      const m = /^- ([0-9a-f]{7,40})(?: (.*))?$/.exec(line);
      if (m) commits.push({ sha: m[1]!, subject: m[2] ?? '' });
    } else if (section === 'Bookkeeping:') bookkeeping.push(...words(line, /^[0-9a-f]{7,40}$/));
    else if (section === 'Entries:') hashes.push(...words(line, /^[0-9a-f]{8}$/));
    else if (section === 'Files:' && line.startsWith('- ')) files.push(line.slice(2));
  }
  return {
    entry, link: entry.ref, through: entry.time, from: head?.[2] ?? entry.time,
    folded: Number(head?.[1] ?? 0), kept: Number(head?.[4] ?? 0), commits, bookkeeping, hashes, files,
  };
}

/**
 * The task's own commits a fold lists, as its commit records (the files they
 * touched go with the first: readers take the union, in first-touched order).
 */
export function foldCommits(entry: MemoryEntry): { sha: string; subject: string; time: string; files: { path: string; added: string; deleted: string }[] }[] {
  const fold = parseFold(entry);
  if (!fold) return [];
  const files = fold.files.map((path) => ({ path, added: '-', deleted: '-' }));
  return fold.commits.map((c, i) => ({ sha: c.sha, subject: c.subject, time: fold.through, files: i === 0 ? files : [] }));
}

/** The files a task's commits touched, in first-touched order, from its commit entries and folds (baton's own files left out). */
export function memoryFiles(entries: readonly MemoryEntry[]): string[] {
  const out = new Set<string>();
  for (const e of entries) {
    const paths = e.kind === 'commit' ? commitEntryFiles(e).map((f) => f.path) : e.kind === FOLD_KIND ? (parseFold(e)?.files ?? []) : [];
    for (const p of paths) if (!isAgents(p)) out.add(p);
  }
  return [...out];
}

/** Pure: 8 hex naming an entry by all it says (redacted alike: baton may redact an entry after the fact). */
function entryHash(e: Pick<MemoryEntry, 'time' | 'kind' | 'ref' | 'body'>): string {
  return createHash('sha1').update(`${e.time} ${e.kind} ${e.ref ?? ''}\n${redact(e.body.trim())}`).digest('hex').slice(0, 8);
}

/** Pure: a predicate for entries a task's folds took in (gone from the file on purpose), or undefined when it has none. */
export function coveredByFolds(entries: readonly MemoryEntry[]): ((e: MemoryEntry) => boolean) | undefined {
  const folds = entries.map(parseFold).filter((f): f is Fold => !!f);
  if (!folds.length) return undefined;
  const hashes = new Set(folds.flatMap((f) => f.hashes));
  const shas = folds.flatMap(shasOf);
  return (e) => e.kind === 'commit' && e.ref ? shas.some((s) => s.startsWith(e.ref!.slice(0, 7)) || e.ref!.startsWith(s)) : hashes.has(entryHash(e));
}

/** The commits one fold lists (as written: 7 to 12 hex). */
export const shasOf = (fold: Fold): string[] => [...fold.commits.map((c) => c.sha), ...fold.bookkeeping];

/** Every commit a task's folds list. */
export function foldedShas(entries: readonly MemoryEntry[]): string[] {
  return entries.flatMap((e) => {
    const fold = e.kind === FOLD_KIND ? parseFold(e) : undefined;
    return fold ? shasOf(fold) : [];
  });
}

const keyOf = (e: MemoryEntry) => `${e.time} ${e.kind} ${e.ref ?? ''}\n${e.body}`;

/**
 * Pure: what prompts can read of a task's memory (prompt/select.ts, and the
 * task's commits in prompt/compose.ts): for other tasks, the entries routed to
 * them and the files its commits touched; for the task itself (a done task
 * reopened), every entry but commits, attempts and checks, its last check and
 * its commits (subject and files). Each entry with how far it is trusted.
 * Equal before and after a fold, or the fold is not made.
 */
export function routingView(entries: readonly MemoryEntry[]): string {
  const s = standings(entries);
  const trusted = entries.filter((e) => s.get(e) !== 'superseded' || e.kind === 'bug');
  const failed = trusted.filter((e) => e.kind === 'check' && e.ref === 'fail').at(-1);
  const last = trusted.filter((e) => e.kind === 'check').at(-1);
  const own = trusted.filter((e) => !['commit', 'usage', FOLD_KIND].includes(e.kind));
  const routed = own.filter((e) => e === failed || e === last || (e.kind !== 'check' && e.kind !== 'attempt') || e === own.at(-1));
  const commits = entries.flatMap((e) => e.kind === FOLD_KIND ? foldCommits(e).map((c) => c.sha.slice(0, 7) + c.subject)
    : e.kind === 'commit' && e.ref && !isBookkeeping(e) ? [e.ref.slice(0, 7) + (e.body.split('\n')[0] ?? '')] : []);
  return JSON.stringify({ routed: routed.map((e) => [keyOf(e), s.get(e) ?? '']), commits, files: memoryFiles(entries) });
}

/** A commit entry of baton's own (Start, Log, Done): only `.agents/` touched. */
function isBookkeeping(e: MemoryEntry): boolean {
  const files = commitEntryFiles(e);
  return files.length > 0 && files.every((f) => isAgents(f.path));
}

export interface FoldPlan {
  /** The file's new text; undefined when nothing is folded (see `reason`). */
  text?: string;
  folded: number;
  reason?: string;
}

const plural = (n: number, word: string) => `${n} ${n === 1 ? word : word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`}`;

/** The outcome (the latest result's first paragraph), and the reviewer's word on the task when a review gave one. */
function summaryOf(entries: readonly MemoryEntry[]): string[] {
  const firstPara = (body: string) => body.trim().split(/\n\s*\n/)[0]!.replace(/\s+/g, ' ').slice(0, 400);
  const result = entries.filter((e) => e.kind === 'result').at(-1);
  const review = entries.filter((e) => e.kind === 'review' && e.body.trim()).at(-1);
  return [
    `Summary: ${result ? `${result.ref ?? 'result'}: ${firstPara(result.body) || '(no summary)'}` : 'no result logged'}`,
    ...(review ? [`Review${review.ref ? ` ${review.ref}` : ''}: ${firstPara(review.body)}`] : []),
  ];
}

/**
 * Pure: task `id`'s memory file (`text`) with what no prompt routes folded
 * into one entry that links to `link`, the commit whose tree holds the file as
 * it is now (`entries`, `preamble`: the file parsed). An earlier fold in the file is folded into the new one.
 * `prompt`: the task's last prompt (`.agents/prompts/<id>.md`) goes with the fold; the fold says where it stays.
 */
export function foldMemory(entries: readonly MemoryEntry[], preamble: string, id: string, link: string, opts: { prompt?: boolean } = {}): FoldPlan {
  const earlier = entries.map(parseFold).filter((f): f is Fold => !!f);
  if (entries.some((e) => e.kind === FOLD_KIND && !parseFold(e))) return { folded: 0, reason: 'a `fold` entry it cannot read is in the way' };
  const s = standings(entries);
  const lastCheck = entries.filter((e) => e.kind === 'check').at(-1);
  const keep = (e: MemoryEntry): boolean => {
    switch (e.kind) {
      case FOLD_KIND: case 'commit': case 'attempt': return false;
      case 'result': return true;
      case 'check': return e === lastCheck || e.ref === 'fail';
      case 'decision': case 'note': case 'blocker': return s.get(e) !== 'superseded';
      default: return true;
    }
  };
  const kept = entries.filter(keep);
  const gone = entries.filter((e) => !keep(e) && e.kind !== FOLD_KIND);
  if (!gone.length) return { folded: 0, reason: 'nothing to fold' };
  const counts = new Map<string, number>();
  for (const e of gone) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  const folded = gone.length + earlier.reduce((n, f) => n + f.folded, 0);
  const times = [...gone.map((e) => e.time), ...earlier.map((f) => f.from)].sort();
  const through = entries.reduce((t, e) => (e.time > t ? e.time : t), '');
  const folding = gone.filter((e) => e.kind === 'commit' && e.ref);
  const commits = [...earlier.flatMap((f) => f.commits), ...folding.filter((e) => !isBookkeeping(e)).map((e) => ({ sha: e.ref!, subject: e.body.split('\n')[0] ?? '' }))];
  const bookkeeping = [...earlier.flatMap((f) => f.bookkeeping), ...folding.filter(isBookkeeping).map((e) => e.ref!)];
  // The other entries by hash: what restoring from history and merging must not bring back (and nothing else).
  const hashes = [...earlier.flatMap((f) => [...f.hashes, entryHash(f.entry)]), ...gone.filter((e) => e.kind !== 'commit' || !e.ref).map(entryHash)];
  // The files that route other tasks' memory to this one: those its commits touched, in first-touched order.
  const files = memoryFiles([...earlier.map((f) => f.entry), ...gone]);
  const kinds = [...counts].map(([k, n]) => plural(n, k)).join(', ');
  const body = [
    `Folded ${plural(folded, 'entry')} (${earlier.length ? `${kinds}, and an earlier fold` : kinds}) of ${times[0]} to ${through}; ${kept.length} kept in full.`,
    `Full text: \`git show ${link}:.agents/memory/${id}.md\``,
    ...(opts.prompt ? [`The last prompt it was given: \`git show ${link}:.agents/prompts/${id}.md\``] : []),
    ...summaryOf(entries),
    '',
    ...(commits.length ? ['Commits:', ...commits.map((c) => `- ${c.sha}${c.subject ? ` ${c.subject}` : ''}`)] : []),
    ...(bookkeeping.length ? ['Bookkeeping:', ...chunks(bookkeeping, 8).map((c) => c.join(' '))] : []),
    ...(hashes.length ? ['Entries:', ...chunks(hashes, 8).map((c) => c.join(' '))] : []),
    ...(files.length ? ['Files:', ...files.map((f) => `- ${f}`)] : []),
  ].join('\n');
  const entry: MemoryEntry = { time: through, kind: FOLD_KIND, ref: link, body, task: id };
  const out = `${preamble.replace(/\s*$/, '')}\n\n${[...kept, entry].map((e) => formatEntry(e)).join('\n')}`;
  const after = [...kept, entry];
  if (routingView(after) !== routingView(entries)) return { folded: 0, reason: 'folding would change what prompts read of it' };
  return { text: out, folded };
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
