/** Pure parts of the hooks' Node side: reconciling a memory file, reading commit refs, filtering entries. */
import { describe, expect, it } from 'vitest';
import { filterEntries } from '../src/workflow/memory-query.js';
import { parseCommitRefs } from '../src/git/history.js';
import { reconcileMemory } from '../src/memory/reconcile.js';
import { parseMemory } from '../src/memory/file.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const B2 = 'c'.repeat(40);
const entry = (sha: string, subject: string) => `## 2026-11-22T10:00:00Z commit ${sha.slice(0, 12)}\n${subject}\n\n- x.ts +1 -0`;
const HEADER = '# Memory: T-abcd\n\nAppend-only log.\n';

describe('reconcileMemory', () => {
  const text = `${HEADER}\n${entry(A, 'First')}\n\n## 2026-11-22T10:05:00Z note\nHand-written,   spacing kept.\n\n\n${entry(B, 'Second')}\n`;

  it('changes nothing when every entry is right', () => {
    const r = reconcileMemory(text, HEADER, { refs: new Map([[A.slice(0, 12), A], [B.slice(0, 12), B]]), expected: [A, B], entries: new Map() });
    expect(r).toEqual({ text, added: 0, replaced: 0, removed: 0 });
  });

  it('replaces a rewritten entry in place, keeps other entries byte for byte, drops duplicates', () => {
    const dup = `${text}\n${entry(A, 'First again')}\n`;
    const r = reconcileMemory(dup, HEADER, {
      refs: new Map([[A.slice(0, 12), A], [B.slice(0, 12), B2]]),
      expected: [A, B2],
      entries: new Map([[B2, entry(B2, 'Second, amended')]]),
    });
    expect(r.text).toBe(`${HEADER}\n${entry(A, 'First')}\n\n## 2026-11-22T10:05:00Z note\nHand-written,   spacing kept.\n\n\n${entry(B2, 'Second, amended')}\n`);
    expect(r).toMatchObject({ added: 0, replaced: 1, removed: 1 });
  });

  it('removes entries of commits gone from history and appends missing ones after a blank line', () => {
    const r = reconcileMemory(text, HEADER, {
      refs: new Map([[A.slice(0, 12), A], [B.slice(0, 12), null]]),
      expected: [A, B2],
      entries: new Map([[B2, entry(B2, 'Third')]]),
    });
    expect(r.text).toBe(`${HEADER}\n${entry(A, 'First')}\n\n## 2026-11-22T10:05:00Z note\nHand-written,   spacing kept.\n\n${entry(B2, 'Third')}\n`);
    expect(parseMemory(r.text).entries.map((e) => e.kind)).toEqual(['commit', 'note', 'commit']);
  });

  it('starts a new file with its header', () => {
    const r = reconcileMemory('', HEADER, { refs: new Map(), expected: [A], entries: new Map([[A, entry(A, 'First')]]) });
    expect(r.text).toBe(`${HEADER}\n${entry(A, 'First')}\n`);
  });
});

describe('parseCommitRefs', () => {
  it('reads SHA, parents and a valid Task trailer', () => {
    const out = `${A}\x1f${B} ${B2}\x1fT-7f3a\n${B}\x1f\x1fnot-an-id\n`;
    expect(parseCommitRefs(out)).toEqual([
      { sha: A, parents: [B, B2], task: 'T-7f3a' },
      { sha: B, parents: [], task: undefined },
    ]);
  });
});

describe('filterEntries', () => {
  const entries = parseMemory(`${entry(A, 'Login form')}\n\n## 2026-11-20T09:00:00Z bug\nCrash on empty password.\n\n## 2026-11-23T00:00:00Z decision\nKeep sessions.\n`, 'T-abcd').entries;
  it('sorts oldest first and filters by kind, since and grep', () => {
    expect(filterEntries(entries, {}).map((e) => e.kind)).toEqual(['bug', 'commit', 'decision']);
    expect(filterEntries(entries, { kinds: ['bug,decision'] }).map((e) => e.kind)).toEqual(['bug', 'decision']);
    expect(filterEntries(entries, { since: '2026-11-22' }).map((e) => e.kind)).toEqual(['commit', 'decision']);
    expect(filterEntries(entries, { grep: 'PASSWORD' }).map((e) => e.kind)).toEqual(['bug']);
    expect(() => filterEntries(entries, { grep: '(' })).toThrow(/not a regular expression/);
  });
});
