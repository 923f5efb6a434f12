/**
 * The git merge driver for memory files (`merge=baton-memory`, registered by
 * git-hooks/merge-driver.ts). git's line union, which memory files used, loses
 * what an entry is: two entries with the same heading on both sides fold into
 * one (their bodies run together), and a title of a file both sides created
 * lands inside the last entry. This merge works by entry: our file is kept as
 * it is, and each entry only their side added goes in where its time places
 * it (what union did, by entry). It never reports a conflict: memory is append-only.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { MemoryEntry } from './entry.js';
import { parseMemory } from './file.js';
import { insertEntries } from './restore.js';
import { coveredByFolds, FOLD_KIND } from './compact.js';
import { withoutEntries } from './folds.js';
import { withoutStrayTitles } from './titles.js';
import { gitRun } from '../git/task-branch.js';
import { LESSONS_FILE, mergeLessonsText } from './lessons.js';

/** What makes two entries the same: a commit's entry by its SHA (7 hex: older entries carry 7), others by all they say. */
export function entryKey(e: MemoryEntry): string {
  return e.kind === 'commit' && e.ref ? `commit ${e.ref.slice(0, 7)}` : `${e.time} ${e.kind} ${e.ref ?? ''}\n${e.body}`;
}

/**
 * Pure: the merge of three versions of memory file `id`. `pick`: the merge
 * replays one commit of another branch (a cherry-pick, a revert, `am -3`), whose
 * base is that commit's parent, not an ancestor of ours.
 */
export function mergeMemoryText(base: string, ours: string, theirs: string, id: string, pick = false): string {
  const [b, o, t] = [base, ours, theirs].map(withoutStrayTitles) as [string, string, string];
  if (o.trim() === '' && !pick) return t;
  const theirsParsed = parseMemory(t);
  // A fold made on their side (memory/compact.ts) holds entries of ours too: those go, the fold comes in below.
  const o2 = withTheirFolds(o, theirsParsed.entries);
  const mine = parseMemory(o2);
  // An entry our folds took in does not come back from their side.
  const covered = coveredByFolds(mine.entries) ?? (() => false);
  // Every entry of theirs we lack, even one the base held: in a rebase "ours" is older
  // than the base, and an entry it lacks was never deleted. Memory is append-only; a
  // stale commit entry that comes back goes on the next flush.
  // A pick brings only what the picked commit added, and no commit entry: those record
  // commits of the other branch, not here (the picked commit itself is recorded by the
  // hooks, in the task its `Task:` trailer names).
  const known = new Set(mine.entries.map(entryKey));
  const inBase = pick ? new Set(parseMemory(b).entries.map(entryKey)) : new Set<string>();
  const added: MemoryEntry[] = [];
  for (const e of theirsParsed.entries) {
    const key = entryKey(e);
    if (known.has(key) || inBase.has(key) || (pick && e.kind === 'commit') || covered(e)) continue;
    known.add(key);
    added.push(e);
  }
  const text = withTheirPreamble(o2, mine.preamble, theirsParsed.preamble, parseMemory(b).preamble);
  return added.length ? insertEntries(text, id, added) : text;
}

/**
 * Pure: our text without the entries their side's folds took in that their
 * side no longer holds (kept ones stay): what a fold made there means here.
 */
function withTheirFolds(ours: string, theirs: readonly MemoryEntry[]): string {
  const folds = theirs.filter((e) => e.kind === FOLD_KIND);
  if (!folds.length) return ours;
  const mine = parseMemory(ours).entries;
  const have = new Set(mine.map(entryKey));
  if (folds.every((f) => have.has(entryKey(f)))) return ours;
  const covered = coveredByFolds(theirs)!;
  const there = new Set(theirs.map(entryKey));
  return withoutEntries(ours, mine.filter((e) => covered(e) && !there.has(entryKey(e))), mine);
}

/**
 * Lines a person added to their side's preamble (notes above the entries) go
 * under ours; a title that only differs (older baton put the task's title in
 * it) is not news.
 */
function withTheirPreamble(text: string, ours: string, theirs: string, base: string): string {
  if (theirs === ours || theirs === base) return text;
  const have = new Set(ours.split('\n').map((l) => l.trim()));
  const extra = theirs.split('\n').filter((l) => l.trim() !== '' && !have.has(l.trim()) && !/^# Memory: /.test(l));
  if (!extra.length) return text;
  const head = ours.replace(/\s*$/, '');
  const rest = text.slice(ours.length).replace(/^\n*/, '');
  return `${head}${head ? '\n\n' : ''}${extra.join('\n')}\n${rest ? `\n${rest}` : ''}`;
}

/**
 * `baton merge-driver memory %O %A %B %P`: the result goes into %A (git's
 * contract). Should anything fail, git's own line union is the answer, as
 * before this driver: a merge of memory never stops on a conflict.
 */
export function runMemoryDriver(basePath: string, oursPath: string, theirsPath: string, pathname = ''): number {
  try {
    const read = (p: string) => readFileSync(p, 'utf8');
    if (basename(pathname) === LESSONS_FILE) {
      writeFileSync(oursPath, mergeLessonsText(read(basePath), read(oursPath), read(theirsPath)));
      return 0;
    }
    const id = /^(T-[0-9a-f]+|project)\.md$/.exec(basename(pathname))?.[1] ?? /^# Memory: (T-[0-9a-f]+|project)/m.exec(read(oursPath))?.[1] ?? 'project';
    writeFileSync(oursPath, mergeMemoryText(read(basePath), read(oursPath), read(theirsPath), id, replaysOneCommit(process.cwd())));
  } catch {
    gitRun(dirname(oursPath), ['merge-file', '--union', oursPath, basePath, theirsPath]);
  }
  return 0;
}

/**
 * True when git runs this merge to replay one commit (cherry-pick, revert, `am -3`,
 * `stash apply`): neither `git merge` (it names what it merges in `GITHEAD_<sha>`)
 * nor a rebase (its folder in the git dir), which replays this branch's own commits.
 */
export function replaysOneCommit(cwd: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (Object.keys(env).some((k) => k.startsWith('GITHEAD_'))) return false;
  const r = gitRun(cwd, ['rev-parse', '--git-path', 'rebase-merge', '--git-path', 'rebase-apply']);
  if (r.code !== 0) return false;
  return !r.stdout.split('\n').filter(Boolean).some((p) => existsSync(resolve(cwd, p)));
}
