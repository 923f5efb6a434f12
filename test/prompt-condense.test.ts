/** Condensing a text, and which try each memory entry belongs to. Pure. */
import { describe, expect, it } from 'vitest';
import type { MemoryEntry } from '../src/memory/entry.js';
import { standings } from '../src/memory/attempts.js';
import { condense, namesIn } from '../src/prompt/condense.js';

describe('condense', () => {
  it('keeps the first sentence and the names and numbers of the rest', () => {
    expect(condense('Rollups are written in batches. We measured several sizes. The batch size is 4817 rows, see `BATCH_ROWS` in src/rollup/hourly.ts.'))
      .toBe('Rollups are written in batches. […: 4817 rows, `BATCH_ROWS`, src/rollup/hourly.ts]');
    expect(condense('Short and whole.')).toBe('Short and whole.');
    expect(condense('Talked about it at length. Nothing else to add here.')).toBe('Talked about it at length. […]');
  });

  it('does not end a sentence inside code, a file name or an abbreviation', () => {
    expect(condense('Call `a.b. c` first, e.g. before start. Then more text follows here.'))
      .toBe('Call `a.b. c` first, e.g. before start. […]');
    expect(condense('Edit src/tax.ts and README.md only. Later, maybe more.')).toBe('Edit src/tax.ts and README.md only. […]');
  });

  it('finds identifiers of every common shape, once each, and skips lone digits', () => {
    expect(namesIn('use normaliseReading, then StageBase, IDEMPOTENT_KEY, SI-UNITS and `x()`; normaliseReading again; step 1 of 3'))
      .toEqual(['normaliseReading', 'StageBase', 'IDEMPOTENT_KEY', 'SI-UNITS', '`x()`']);
  });
});

let n = 0;
const e = (kind: string, body = kind, ref?: string): MemoryEntry => ({ task: 'T-aaa', kind, ref, body, time: `2026-11-01T00:00:${String(n++ % 60).padStart(2, '0')}Z` });

describe('standings', () => {
  it('supersedes what a failed attempt logged once a later attempt succeeds', () => {
    const wrong = e('decision', 'half-up');
    const right = e('decision', 'half-even');
    const found = e('bug', 'drift');
    const memory = [e('attempt'), e('result', 'off', 'failure'), wrong, found, e('attempt'), e('result', 'ok', 'success'), right];
    memory[2]!.time = memory[1]!.time;
    memory[3]!.time = memory[1]!.time;
    memory[6]!.time = memory[5]!.time;
    const s = standings(memory);
    expect(s.get(wrong)).toBe('superseded');
    expect(s.get(found)).toBe('superseded');
    expect(s.get(right)).toBe('current');
  });

  it('splits one attempt at each logged result, and marks a failure nothing has followed', () => {
    const first = e('decision', 'first');
    const later = e('note', 'later');
    const memory = [e('attempt'), e('result', 'bad', 'failure'), first, e('commit'), later, e('result', 'good', 'success')];
    first.time = memory[1]!.time;
    expect(standings(memory).get(first)).toBe('superseded');
    // Logged without an outcome before the success: it belongs to the success.
    expect(standings(memory).get(later)).toBe('current');
    const open = e('decision', 'still failing');
    const failing = [e('attempt'), e('result', 'bad', 'failure'), open];
    open.time = failing[1]!.time;
    expect(standings(failing).get(open)).toBe('failed');
  });

  it('supersedes an attempt that never reported, but not memory from before any attempt', () => {
    const before = e('decision', 'plain');
    const abandoned = e('decision', 'abandoned');
    const memory = [before, e('attempt'), abandoned, e('attempt'), e('result', 'ok', 'success')];
    const s = standings(memory);
    expect(s.get(before)).toBe('current');
    expect(s.get(abandoned)).toBe('superseded');
  });
});
