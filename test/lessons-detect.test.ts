/** The detection pass and the lessons file, as pure functions: what counts as recurring, and what a hand edit keeps. */
import { describe, expect, it } from 'vitest';
import type { MemoryEntry } from '../src/memory/entry.js';
import { applyLessonOps, isFaded, lessonApplies, mergeLessonsText, parseLessons, serializeLessons } from '../src/memory/lessons.js';
import { errorSignature, findRecurring, type HistoryTask } from '../src/memory/lessons-detect.js';

let clock = 0;
const at = () => `2026-11-22T10:${String(Math.floor(clock / 60)).padStart(2, '0')}:${String(clock++ % 60).padStart(2, '0')}Z`;
const e = (kind: string, body: string, ref?: string): MemoryEntry => ({ time: at(), kind, ref, body });
const task = (id: string, ...entries: MemoryEntry[]): HistoryTask => ({ id, entries });
const failedCheck = (command: string, output: string) => e('check', `\`${command}\` exited 1 in 2.0s\n\n\`\`\`\n${output}\n\`\`\``, 'fail');

describe('errorSignature', () => {
  it('is the same for the same error with other numbers, paths, ids and quoted values', () => {
    const a = errorSignature("TypeError: Cannot read properties of undefined (reading 'cents') at src/money.ts:42");
    const b = errorSignature('TypeError: Cannot read properties of undefined (reading "amount") at lib/pay/money.js:7');
    expect(a).toBe(b);
    expect(errorSignature('expected 3 to equal 4 (T-1a2b, commit 3f2a91c)')).toBe(errorSignature('expected 10 to equal 12 (T-9f9f, commit abcdef0)'));
    expect(a).not.toBe(errorSignature('RangeError: Invalid time value at src/date.ts:3'));
  });
});

describe('findRecurring', () => {
  it('a check failing for several tasks for the same reason is one lesson naming the check; once is none', () => {
    const out = findRecurring([
      task('T-aaa1', failedCheck('npm test', 'ok 1\nAssertionError: expected 41 to equal 42\n  at test/a.test.ts:3')),
      task('T-aaa2', failedCheck('npm test', 'AssertionError: expected 7 to equal 8')),
      task('T-aaa3', failedCheck('npm run lint', 'AssertionError: expected 1 to equal 2')),
      task('T-aaa4', e('bug', 'Segfault in the parser')),
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'error', tasks: ['T-aaa1', 'T-aaa2'] });
    expect(out[0]!.text).toContain('`npm test` failed');
    expect(out[0]!.checks).toEqual(['npm test']); // named nothing else: it reaches the tasks that run that check
  });

  it('one bug class worded differently in three tasks is one finding; pairs that share a file or a name, and a generic error, are none', () => {
    const commit = e('commit', 'Add decoder\n\n- src/pipeline/decode.ts +40 -0', 'abc1234');
    const out = findRecurring([
      task('T-d0', commit),
      task('T-d1', e('bug', 'Battery readings vanish: `decodeFrameHeader` reads the length at the wrong offset.')),
      task('T-d2', e('bug', 'RangeError: Offset is outside the bounds of the DataView\n    at decodeFrameHeader (src/pipeline/decode.ts:41:18)')),
      task('T-d3', e('bug', 'Solar logs come out empty for more than 16 channels; decode.ts trusts the header.')),
      // Noise: a file two bugs name, a name two bugs name, the same generic error in two unrelated places.
      task('T-n1', e('bug', 'Login accepts an expired token in src/api/auth.ts.'), e('bug', "TypeError: Cannot read properties of undefined (reading 'name') at src/ui/profile.ts:12")),
      task('T-n2', e('bug', 'Cookie not refreshed (src/api/auth.ts).'), e('bug', 'Dates before 1970 break `parseDate`.')),
      task('T-n3', e('bug', 'Offsets dropped by `parseDate`.'), e('bug', "TypeError: Cannot read properties of undefined (reading 'rows') at src/reports/export.ts:88")),
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'hotspot', tasks: ['T-d1', 'T-d2', 'T-d3'], files: ['src/pipeline/decode.ts'], symbols: ['decodeFrameHeader'] });
    for (const words of ['Battery readings vanish', 'RangeError: Offset', 'Solar logs come out empty']) expect(out[0]!.text).toContain(words);
  });

  it('a file that several retries changed is a lesson; first attempts do not count', () => {
    const commit = (file: string) => e('commit', `Fix\n\n- ${file} +3 -1`, 'abc1234');
    const history = [
      task('T-b1', e('attempt', ''), commit('src/db.ts'), e('attempt', ''), commit('src/db.ts')),
      task('T-b2', e('attempt', ''), commit('src/db.ts'), e('attempt', ''), commit('src/db.ts'), e('attempt', ''), commit('src/db.ts')),
      task('T-b3', e('attempt', ''), commit('src/db.ts'), commit('src/ui.ts')),
    ];
    const out = findRecurring(history);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'retries', files: ['src/db.ts'], tasks: ['T-b1', 'T-b2'] });
  });

  it('a later decision giving a subject another value contradicts; one that adds to it does not', () => {
    const out = findRecurring([
      task('T-c1', e('decision', 'The `session store` is Redis.')),
      task('T-c2', e('decision', 'The `session store` is Redis 7.')),
      task('T-c3', e('decision', '`session store` is Postgres.')),
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'contradiction', symbols: ['session store'], tasks: ['T-c2', 'T-c3'] });
    // Plain words too: a short noun phrase before the verb, never a pronoun.
    const plain = findRecurring([
      task('T-p1', e('decision', 'Sessions are stored in Redis.'), e('decision', 'We use tabs.')),
      task('T-p2', e('decision', 'Sessions are stored in Redis with a 30-day expiry.'), e('decision', 'We use spaces.')),
      task('T-p3', e('decision', 'Sessions are stored in Postgres, not Redis.')),
    ]);
    expect(plain).toHaveLength(1);
    expect(plain[0]).toMatchObject({ kind: 'contradiction', symbols: ['sessions'], tasks: ['T-p2', 'T-p3'] });
    expect(lessonApplies({ ...parseLessons('## L-1\n\nx').lessons[0]!, symbols: ['sessions'] }, { title: 'Expire old sessions', body: '' }, new Set())).toBe(true);
  });
});

describe('the lessons file', () => {
  const text = `# Lessons

Our own notes stay.

## L-abc123
status: active
kind: review
files: src/a.ts, src/b.ts
phases: API
owner: ana

Check \`src/a.ts\` twice.

Second paragraph.
`;

  it('round-trips a hand-written file, unknown keys and text as written', () => {
    const parsed = parseLessons(text);
    expect(parsed.problems).toEqual([]);
    expect(serializeLessons(parsed)).toBe(text);
  });

  it('routes by file, symbol and phase; fades when retired or unseen while enough tasks finished', () => {
    const [l] = parseLessons(text).lessons;
    expect(lessonApplies(l!, { title: 'x', body: '', phase: 'UI' }, new Set(['src/b.ts']))).toBe(true);
    expect(lessonApplies(l!, { title: 'x', body: '', phase: 'API' }, new Set())).toBe(true);
    expect(lessonApplies(l!, { title: 'x', body: '', phase: 'UI' }, new Set(['src/c.ts']))).toBe(false);
    const seen = { ...l!, seen: '2026-11-22T10:00:00Z' };
    const results = new Map([['T-1', '2026-11-22T11:00:00Z'], ['T-2', '2026-11-22T12:00:00Z'], ['T-3', '2026-11-22T09:00:00Z']]);
    expect(isFaded(seen, results, 2)).toBe(true);
    expect(isFaded(seen, results, 3)).toBe(false);
    expect(isFaded({ ...seen, status: 'retired' }, new Map(), 3)).toBe(true);
  });

  it('refuses a change that names no lesson or adds one that would reach no prompt', () => {
    const file = parseLessons(text);
    const by = { review: 'R-002', time: '2026-11-22T12:00:00Z' };
    expect(() => applyLessonOps(file, [], [{ action: 'reword', id: 'L-zzz999', text: 'x' }], by)).toThrow('lessons[0] (reword) names `L-zzz999`, which is not a lesson (known: L-abc123)');
    expect(() => applyLessonOps(file, [], [{ action: 'add', text: 'Be careful.' }], by)).toThrow('names no `files`, `symbols` or `phases`');
    const ok = applyLessonOps(file, [], [{ action: 'reword', id: 'L-abc123', text: 'Check it thrice.' }], by);
    expect(ok.file.lessons[0]!.text).toBe('Check it thrice.');
    expect(file.lessons[0]!.text).toContain('twice'); // the input is not changed
  });

  it('merges two branches by lesson: one added on each side, one retired on theirs, all kept', () => {
    const base = text;
    const by = { review: 'R-003', time: '2026-11-22T12:00:00Z' };
    const add = (t: string, ops: Parameters<typeof applyLessonOps>[2]) => serializeLessons(applyLessonOps(parseLessons(t), [], ops, by).file);
    const ours = add(base, [{ action: 'add', text: 'Ours.', files: ['src/o.ts'] }]);
    const theirs = add(base, [{ action: 'add', text: 'Theirs.', files: ['src/t.ts'] }, { action: 'retire', id: 'L-abc123', reason: 'done' }]);
    const merged = parseLessons(mergeLessonsText(base, ours, theirs));
    expect(merged.problems).toEqual([]);
    expect(merged.lessons.map((l) => l.text).sort()).toEqual(['Check `src/a.ts` twice.\n\nSecond paragraph.', 'Ours.', 'Theirs.']);
    expect(merged.lessons.find((l) => l.id === 'L-abc123')!.status).toBe('retired');
    expect(merged.preamble).toContain('Our own notes stay.');
  });
});
