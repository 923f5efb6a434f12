/** Bring one memory file's commit entries in line with history (flush and rebuild share this). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../workspace/paths.js';
import { truncatedHistory } from '../git/gitdir.js';
import { commitEntriesText, isAncestor, resolveCommit } from '../git/history.js';
import { withLock } from '../workspace/atomic.js';
import { memoryHeader, memoryPath, parseMemory, memoryTextForWrite, writeMemoryText } from './file.js';
import { packageRoot, shortSha } from '../workspace/package.js';
import { finalSha } from './queue.js';
import { parseEntriesText, reconcileMemory } from './reconcile.js';
import { withoutStrayTitles } from './titles.js';
import { foldedShas } from './compact.js';

export interface SyncOptions {
  /** Commits that must have an entry, oldest first. */
  expected: string[];
  /** old → new SHAs from amends and rebases. */
  rewrites?: ReadonlyMap<string, string>;
  /** Rewrite every commit entry from history (rebuild), not only stale ones. */
  regenerate?: boolean;
  /** Check that other entries name commits still in HEAD's history (default true; false for project.md, which is long). */
  validate?: boolean;
  /** Full SHAs off HEAD's history whose entries stay anyway (still reachable from a branch or the reflog). */
  keep?: ReadonlySet<string>;
}

export interface SyncResult {
  id: string;
  path: string;
  added: number;
  replaced: number;
  removed: number;
}

export async function syncCommitEntries(root: string, id: string, opts: SyncOptions): Promise<SyncResult> {
  const path = memoryPath(root, id);
  const result: SyncResult = { id, path, added: 0, replaced: 0, removed: 0 };
  const rewrites = opts.rewrites ?? new Map<string, string>();
  const expected = new Set(opts.expected);
  await withLock(join(stateDir(root), `memory-${id}.lock`), async () => {
    const raw = memoryTextForWrite(path);
    // A title a line merge left among the entries goes on the next write (cheap: no git).
    const text = withoutStrayTitles(raw);
    if (text !== raw) result.replaced++;
    const refs = new Map<string, string | null>();
    const parsed = parseMemory(text).entries;
    // A fold lists the commits whose entries it took in (memory/compact.ts): they are recorded.
    const folded = foldedShas(parsed);
    const inFold = (sha: string) => folded.some((f) => sha.startsWith(f));
    for (const entry of parsed) {
      if (entry.kind !== 'commit' || !entry.ref || refs.has(entry.ref)) continue;
      refs.set(entry.ref, await currentShaOf(root, entry.ref, expected, rewrites, opts.validate ?? true, opts.keep));
    }
    const present = new Set([...refs.values()].filter((s): s is string => !!s));
    const wanted = new Set(opts.expected.filter((s) => !present.has(s) && !inFold(s)));
    for (const [ref, sha] of refs) if (sha && (opts.regenerate || !sha.startsWith(ref))) wanted.add(sha);
    if (!wanted.size && ![...refs.values()].includes(null)) {
      if (text !== raw) writeMemoryText(path, text);
      return;
    }
    const byShort = parseEntriesText(await commitEntriesText(root, [...wanted], packageRoot()));
    const entries = new Map<string, string>();
    for (const sha of wanted) {
      const e = byShort.get(shortSha(sha));
      if (e) entries.set(sha, e);
    }
    const r = reconcileMemory(text, memoryHeader(id), { refs, expected: opts.expected, entries, regenerate: opts.regenerate });
    Object.assign(result, { added: r.added, replaced: result.replaced + r.replaced, removed: r.removed });
    if (r.text !== raw) writeMemoryText(path, r.text);
  });
  return result;
}

/** What an entry's ref names now: a commit of the branch, the rewrite of one, or nothing (null). */
async function currentShaOf(
  root: string, ref: string, expected: ReadonlySet<string>, rewrites: ReadonlyMap<string, string>, validate: boolean, keep?: ReadonlySet<string>,
): Promise<string | null> {
  for (const sha of expected) if (sha.startsWith(ref)) return sha;
  for (const old of rewrites.keys()) {
    if (!old.startsWith(ref)) continue;
    const now = finalSha(rewrites, old);
    return expected.has(now) || (await isAncestor(root, now)) ? now : null;
  }
  if (!validate) return ref;
  const full = await resolveCommit(root, ref);
  if (full && (keep?.has(full) || (await isAncestor(root, full)))) return full;
  // A shallow or grafted clone does not see the commits beyond its cut: unseen is not gone, the entry stays.
  return truncatedHistory(root) ? ref : null;
}
