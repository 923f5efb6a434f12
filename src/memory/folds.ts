/**
 * git's line union of two entries with the same heading (a merge in a clone
 * where baton's memory merge driver is not installed, so `merge=union` ran)
 * writes one entry holding both bodies' lines, the lines they share once. That
 * entry was never written as it is: next to the entries history holds and the
 * file lacks, it is found, and gives way to them. Pure.
 */
import type { MemoryEntry } from './entry.js';

const lineSet = (body: string) => new Set(body.split('\n').map((l) => l.trim()).filter(Boolean));

/**
 * Entries of `present` that are two or more of `lost` folded into one: same
 * heading, and exactly their lines (the merge that folded them is in history
 * too, so that cannot tell). A commit's entry is made again from its commit.
 */
export function foldedEntries(present: readonly MemoryEntry[], lost: readonly MemoryEntry[]): MemoryEntry[] {
  const out: MemoryEntry[] = [];
  for (const p of present) {
    if (p.kind === 'commit') continue;
    const parts = lost.filter((l) => l.time === p.time && l.kind === p.kind && (l.ref ?? '') === (p.ref ?? ''));
    if (parts.length < 2) continue;
    const have = lineSet(p.body);
    const want = new Set(parts.flatMap((l) => [...lineSet(l.body)]));
    if (have.size === want.size && [...want].every((l) => have.has(l))) out.push(p);
  }
  return out;
}

/** Pure: `text` without the entries given (by their heading line), each with the blank lines before the next. */
export function withoutEntries(text: string, entries: readonly MemoryEntry[], all: readonly MemoryEntry[]): string {
  if (!entries.length) return text;
  const lines = text.split('\n');
  const drop = new Set<number>();
  for (const e of entries) {
    const next = all.find((x) => (x.line ?? 0) > (e.line ?? 0))?.line ?? lines.length + 1;
    for (let i = e.line! - 1; i < next - 1; i++) drop.add(i);
  }
  const kept = lines.filter((_, i) => !drop.has(i));
  return `${kept.join('\n').replace(/\n*$/, '')}\n`;
}
