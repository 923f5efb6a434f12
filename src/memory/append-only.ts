/**
 * Memory is append-only for agents: what a task branch removed or changed of
 * the entries a memory file held when the branch left the base is put back
 * before the branch is closed. Whatever edits the files (a command agent, a
 * shell, an api model) is held to it at the one place every branch passes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitRun, showFile } from '../git/task-branch.js';
import { withLock, writeFileAtomic } from '../workspace/atomic.js';
import { AGENTS, stateDir } from '../workspace/paths.js';
import { redact } from '../core/redact.js';
import type { MemoryEntry } from './entry.js';
import { withoutEntries } from './folds.js';
import { FOLD_KIND } from './compact.js';
import { parseMemory } from './file.js';
import { insertEntries } from './restore.js';

const heading = (e: MemoryEntry) => `${e.time} ${e.kind} ${e.ref ?? ''}`;
const keyOf = (e: MemoryEntry) => `${heading(e)}\n${e.body.trim()}`;

/**
 * Pure: `after` with every entry of `before` it lacks put back; an entry it
 * changed (same heading, another body) gives way to the original. Returns the
 * text and the entries put back.
 */
export function keepAppendOnly(before: string, after: string, id: string): { text: string; restored: MemoryEntry[] } {
  const old = parseMemory(before, id).entries;
  const now = parseMemory(after, id).entries;
  const have = new Set(now.map(keyOf));
  // An entry baton redacted since (a key in it) is the same entry.
  const missing = old.filter((e) => !have.has(keyOf(e)) && !have.has(keyOf({ ...e, body: redact(e.body) })));
  const was = new Set(old.map(keyOf));
  // Folds are made on the base (`baton memory compact`), never on a task branch: one written there goes,
  // or it would pass the entries it claims to hold for folded (memory/compact.ts).
  const forged = now.filter((e) => e.kind === FOLD_KIND && !was.has(keyOf(e)));
  if (!missing.length && !forged.length) return { text: after, restored: [] };
  const lostHeadings = new Set(missing.map(heading));
  const changed = now.filter((e) => (!was.has(keyOf(e)) && lostHeadings.has(heading(e))) || forged.includes(e));
  const text = insertEntries(withoutEntries(after, changed, now), id, missing);
  return { text, restored: missing };
}

export interface Rewrite {
  /** `.agents/memory/<id>.md` */
  path: string;
  restored: number;
}

/**
 * In the checkout `dir` (on the task branch): every memory file the branch
 * changed since it left `base` is made whole again (what it held at the fork,
 * plus what was added). Returns what was put back, file by file.
 */
export async function restoreRewrittenMemory(dir: string, base: string): Promise<Rewrite[]> {
  const fork = gitRun(dir, ['merge-base', base, 'HEAD']);
  if (fork.code !== 0) return [];
  const from = fork.stdout.trim();
  const changed = gitRun(dir, ['diff', '--name-only', '-z', '--no-renames', from, '--', AGENTS.memory]);
  const out: Rewrite[] = [];
  for (const path of changed.stdout.split('\0').filter(Boolean)) {
    const m = /^\.agents\/memory\/(T-[0-9a-f]+|project)\.md$/.exec(path);
    const before = m ? showFile(dir, from, path) : undefined;
    if (!m || before === undefined) continue;
    const file = join(dir, path);
    await withLock(join(stateDir(dir), `memory-${m[1]}.lock`), async () => {
      const after = existsSync(file) ? readFileSync(file, 'utf8') : '';
      const { text, restored } = keepAppendOnly(before, after, m[1]!);
      if (text === after) return;
      writeFileAtomic(file, text);
      out.push({ path, restored: restored.length });
    });
  }
  return out;
}
