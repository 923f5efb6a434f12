/** What a later reader may trust of a task's memory: a success claim its check overruled is a failed try. */
import { describe, expect, it } from 'vitest';
import { standings, withoutSuperseded } from '../src/memory/attempts.js';
import type { MemoryEntry } from '../src/memory/entry.js';

const e = (time: string, kind: string, ref: string | undefined, body: string): MemoryEntry => ({ time: `2026-12-01T10:00:${time}Z`, kind, ref, body });

describe('standings', () => {
  it('treats a decision logged with a success claim that the check then failed as superseded by the later success', () => {
    const wrong = e('02', 'decision', undefined, 'Recurse until it fits');
    const right = e('06', 'decision', undefined, 'Loop over the words');
    const memory = [
      e('00', 'attempt', undefined, 'Attempt 1'),
      e('01', 'commit', 'abc1234', 'Add fit()'),
      e('02', 'result', 'success', 'fit() added'),
      wrong,
      e('04', 'check', 'fail', '`npm test` exited 1'),
      e('05', 'commit', 'def5678', 'Fix fit()'),
      e('06', 'result', 'success', 'fit() fixed'),
      right,
      e('08', 'check', 'pass', '`npm test` exited 0'),
    ];
    const s = standings(memory);
    expect(s.get(wrong)).toBe('superseded');
    expect(s.get(right)).toBe('current');
    expect(withoutSuperseded(memory)).not.toContain(wrong);
  });

  it('marks the overruled claim failed while nothing has succeeded since', () => {
    const wrong = e('02', 'decision', undefined, 'Recurse until it fits');
    const memory = [e('00', 'attempt', undefined, 'Attempt 1'), e('02', 'result', 'success', 'fit() added'), wrong, e('04', 'check', 'fail', '`npm test` exited 1')];
    expect(standings(memory).get(wrong)).toBe('failed');
  });
});
