/**
 * Memory is versioned: an entry deleted from a memory file (by hand, by a bad
 * merge, with the file) is still in the file's history. These functions find
 * such entries (doctor) and put them back (rebuild), in time order, redacted.
 * Commit entries are not restored from history: they are made from the commits
 * themselves, and one whose commit is gone is stale, not lost.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir, AGENTS } from '../workspace/paths.js';
import { withLock } from '../workspace/atomic.js';
import { catFiles } from '../git/branches.js';
import { lines, runGit, type GitTask } from '../git/run.js';
import { addedRuns, type AddedRuns } from '../git/history.js';
import { redact } from '../core/redact.js';
import { formatEntry, type MemoryEntry } from './entry.js';
import { withoutStrayTitles } from './titles.js';
import { foldedEntries, withoutEntries } from './folds.js';
import { coveredByFolds } from './compact.js';
import { appendable, lfText, memoryFileKind, memoryHeader, memoryPath, memoryTextForWrite, parseMemory, writeMemoryText } from './file.js';

export interface LostEntry {
  entry: MemoryEntry;
  /** The last commit whose version of the file held it, and its line there. */
  commit: string;
  line: number;
}

/** Memory files that ever existed in HEAD's history (their ids). */
export const memoryIdsInHistory: GitTask<string[]> = {
  args: ['log', '--full-history', '--format=', '--name-only', 'HEAD', '--', AGENTS.memory],
  codes: [0, 128],
  parse: (o) => [...new Set(lines(o.stdout).map((p) => /^\.agents\/memory\/(T-[0-9a-f]+|project)\.md$/.exec(p)?.[1]).filter((id): id is string => !!id))],
};

const keyOf = (e: MemoryEntry) => `${e.time} ${e.kind} ${e.ref ?? ''}\n${e.body}`;

/** A non-commit entry some commit added to a memory file, as its diff shows it. */
interface Added {
  commit: string;
  path: string;
  entry: MemoryEntry;
}

/**
 * Non-commit entries added by each commit of HEAD's history, by file path,
 * from the diffs (`git log -p`): linear in the history, never every version
 * of every file. Read once for the whole memory folder when every file is
 * looked at (doctor, rebuild), else for one file.
 */
export type MemoryHistory = ReadonlyMap<string, Added[]>;

export function memoryHistory(root: string, id?: string): MemoryHistory {
  return collectAdded(runGit(root, addedRuns([id ? AGENTS.memoryFile(id) : AGENTS.memory])));
}

function collectAdded(found: AddedRuns[]): Map<string, Added[]> {
  const byPath = new Map<string, Added[]>();
  for (const { commit, path, runs } of found) {
    if (!/^\.agents\/memory\/[^/]+\.md$/.test(path)) continue;
    const list = byPath.get(path) ?? [];
    for (const run of runs) {
      for (const entry of parseMemory(run.join('\n')).entries) if (entry.kind !== 'commit') list.push({ commit, path, entry });
    }
    byPath.set(path, list);
  }
  return byPath;
}

/**
 * Non-commit entries the file held at some commit of HEAD's history and does
 * not hold now. The diffs name the candidates (an entry added and not here as
 * it was added); only the versions that added one are read whole, to see the
 * entry as the file held it (a diff can cut an entry where lines repeat).
 */
export async function lostEntries(root: string, id: string, text?: string, history: MemoryHistory = memoryHistory(root, id)): Promise<LostEntry[]> {
  const path = memoryPath(root, id);
  const rel = AGENTS.memoryFile(id);
  // A title a line merge left inside an entry is not part of it, now or in an older version.
  const now = withoutStrayTitles(lfText(text ?? (memoryFileKind(path) === 'file' ? readFileSync(path, 'utf8') : '')));
  const current = parseMemory(now).entries;
  const have = new Set(current.map(keyOf).concat(parseMemory(redact(now)).entries.map(keyOf)));
  // What a fold took out on purpose is not lost: its full text is at the commit the fold names.
  const covered = coveredByFolds(current) ?? (() => false);
  const present = (e: MemoryEntry) => covered(e) || have.has(keyOf(e)) || have.has(keyOf({ ...e, body: redact(e.body) }));
  const commits = [...new Set((history.get(rel) ?? []).filter((a) => !present(a.entry)).map((a) => a.commit))];
  if (!commits.length) return [];
  const texts = await catFiles(root, commits.map((c) => `${c}:${rel}`));
  const lost = new Map<string, LostEntry>();
  for (const commit of commits) {
    const old = texts.get(`${commit}:${rel}`);
    if (old === undefined) continue;
    for (const entry of parseMemory(withoutStrayTitles(lfText(old)), id).entries) {
      const key = keyOf(entry);
      if (entry.kind === 'commit' || lost.has(key) || present(entry)) continue;
      lost.set(key, { entry, commit, line: entry.line ?? 1 });
    }
  }
  return [...lost.values()].sort((a, b) => a.entry.time.localeCompare(b.entry.time));
}

/** Pure: `text` with `entries` put back where their time places them, redacted. */
export function insertEntries(text: string, id: string, entries: readonly MemoryEntry[]): string {
  let out = text.trim() === '' ? memoryHeader(id) : text;
  for (const entry of entries) {
    const block = formatEntry({ ...entry, body: redact(entry.body) });
    const parsed = parseMemory(out);
    const next = parsed.entries.find((e) => e.time > entry.time);
    if (!next) {
      out = `${appendable(out).replace(/\n*$/, '\n\n')}${block}`;
      continue;
    }
    const all = out.split('\n');
    const at = next.line! - 1;
    out = [...all.slice(0, at), ...block.split('\n').slice(0, -1), '', ...all.slice(at)].join('\n');
  }
  return out;
}

/**
 * Put lost entries back, take out titles a line merge left among the entries,
 * and redact the whole file (a key pasted by hand, cut across lines, goes too).
 * Returns how many entries came back and whether anything else changed.
 */
export async function restoreMemory(root: string, id: string, history?: MemoryHistory): Promise<{ restored: number; cleaned: boolean }> {
  const path = memoryPath(root, id);
  let result = { restored: 0, cleaned: false };
  await withLock(join(stateDir(root), `memory-${id}.lock`), async () => {
    const text = memoryTextForWrite(path);
    const untitled = withoutStrayTitles(text);
    const lost = await lostEntries(root, id, untitled, history);
    // An entry git's union folded from lost ones gives way to them.
    const present = parseMemory(untitled).entries;
    const unfolded = withoutEntries(untitled, foldedEntries(present, lost.map((l) => l.entry)), present);
    const restored = lost.length ? insertEntries(unfolded, id, lost.map((l) => l.entry)) : unfolded;
    const clean = redact(restored);
    result = { restored: lost.length, cleaned: clean !== restored || unfolded !== text };
    if (clean !== text) writeMemoryText(path, clean);
  });
  return result;
}
