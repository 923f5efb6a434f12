/** Which memory a prompt carries, where it is routed, and the order it is given up in. Pure. */
import { describe, expect, it } from 'vitest';
import type { MemoryEntry } from '../src/memory/entry.js';
import type { Task } from '../src/core/task.js';
import { cleanBody, type View } from '../src/prompt/render-memory.js';
import { dropOrder, isProtected, selectMemory } from '../src/prompt/select.js';

function task(id: string, deps: string[] = [], files: string[] = []): Task {
  return { id, title: id, status: 'todo', depends_on: deps, files, checks: [], path: `.agents/tasks/${id}-x.md`, body: '', lines: {} };
}
let n = 0;
function e(task: string, kind: string, body: string, ref?: string): MemoryEntry {
  n++;
  return { task, kind, body, ref, time: `2026-11-01T00:${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}Z` };
}

describe('selectMemory', () => {
  const up = task('T-aaa');
  const dep = task('T-bbb', ['T-aaa']);
  const me = task('T-ccc', ['T-bbb'], ['src/login.ts']);
  const other = task('T-ddd');
  const sharer = task('T-eee');
  const memory = new Map<string, MemoryEntry[]>([
    ['T-aaa', [e('T-aaa', 'result', 'Exported formatMoney(cents, currency)', 'success'), e('T-aaa', 'decision', 'Ids are UUIDv7'), e('T-aaa', 'bug', 'Slow migration')]],
    ['T-bbb', [
      e('T-bbb', 'result', 'First try failed', 'failure'),
      e('T-bbb', 'commit', 'Add schema\n\n- db.sql +1 -0', 'abc1234'),
      e('T-bbb', 'result', 'Schema ready', 'success'),
      e('T-bbb', 'decision', 'Emails lower-cased'),
      e('T-bbb', 'note', 'Call migrate() before anything else'),
    ]],
    ['T-ccc', [e('T-ccc', 'attempt', 'Attempt 1'), e('T-ccc', 'bug', 'Cookie parser broke'), e('T-ccc', 'result', 'Cookie broke', 'failure'), e('T-ccc', 'attempt', 'Attempt 2')]],
    ['T-ddd', [e('T-ddd', 'bug', 'src/login.ts leaks the password in logs'), e('T-ddd', 'decision', 'Unrelated choice'), e('T-ddd', 'result', 'Unrelated result', 'success')]],
    ['T-eee', [e('T-eee', 'bug', 'The module keeps a global cache')]],
    ['project', [
      e('project', 'decision', 'Use the shared logger'),
      e('project', 'decision', 'T-ccc must not store passwords'),
      e('project', 'decision', 'T-ddd must page its results'),
      e('project', 'usage', '1000 tokens'),
    ]],
  ]);
  // T-eee's commits touched src/login.ts: its bug does not name the file, the commits do.
  const files = new Map([['T-ccc', ['src/login.ts']], ['T-eee', ['src/login.ts', 'src/cache.ts']], ['T-ddd', ['src/other.ts']]]);
  const items = selectMemory({ task: me, tasks: [up, dep, me, other, sharer], memory, files });
  const bodies = (pred: (i: (typeof items)[number]) => boolean) => items.filter(pred).map((i) => i.entry.body);

  it('keeps the direct dependency\'s latest result and this task\'s failure protected; supersedes earlier results', () => {
    expect(bodies(isProtected)).toEqual(['Cookie broke', 'Schema ready', 'T-ccc must not store passwords']);
    expect(items.find((i) => i.entry.body === 'Cookie broke')?.group).toBe('redo');
    expect(bodies(() => true)).not.toContain('First try failed');
    // Attempt entries say only that an attempt began; what it found is history.
    expect(bodies((i) => i.group === 'own')).toEqual(['Cookie parser broke']);
  });

  it('carries what tasks further up produced, and what shares a file, below the direct ones', () => {
    const upstream = items.filter((i) => i.group === 'upstream').map((i) => `${i.tier} ${i.entry.body}`);
    expect(upstream).toEqual(['2 Exported formatMoney(cents, currency)', '2 Ids are UUIDv7']);
    expect(bodies((i) => i.group === 'related')).toEqual(expect.arrayContaining([
      'src/login.ts leaks the password in logs', 'The module keeps a global cache', 'Use the shared logger',
    ]));
  });

  it('routes project memory: what names this task leads it, what names another task stays with that task', () => {
    expect(items.find((i) => i.entry.body === 'T-ccc must not store passwords')?.group).toBe('instruction');
    const all = bodies(() => true);
    expect(all).not.toContain('T-ddd must page its results');
    // Never: commits, usage, unrelated entries of other tasks, bugs of tasks further up.
    for (const gone of ['Add schema\n\n- db.sql +1 -0', '1000 tokens', 'Unrelated choice', 'Unrelated result', 'Slow migration']) expect(all).not.toContain(gone);
  });

  it('gives up the lowest tier and least relevant first, the oldest first within them', () => {
    const order = dropOrder(items).filter((i) => !isProtected(i)).map((i) => `${i.tier} ${i.entry.body}`);
    expect(order[0]).toBe('2 The module keeps a global cache'); // only a shared file
    expect(order.indexOf('2 Exported formatMoney(cents, currency)')).toBeGreaterThan(order.indexOf('2 Call migrate() before anything else'));
    expect(order.at(-1)!.startsWith('1 ')).toBe(true);
  });
});

describe('cleanBody', () => {
  const view = { task: task('T-ccc'), byId: new Map([['T-bbb', { ...task('T-bbb'), title: 'Schema' }]]) } as unknown as View;
  const style = { terse: false };

  it('cuts a failed check to the lines that say what failed', () => {
    const noise = Array.from({ length: 200 }, (_, i) => `  ✓ passing test ${i}`).join('\n');
    const body = `\`npm test\` exited 1 in 3.2s\n\n\`\`\`\n${noise}\n  ✗ login sets a cookie\n    AssertionError: expected undefined to be 'sid'\n\`\`\``;
    const out = cleanBody({ time: '2026-11-01T00:00:00Z', kind: 'check', ref: 'fail', body }, view, style);
    expect(out).toBe("`npm test` exited 1 in 3.2s\n    ✗ login sets a cookie\n      AssertionError: expected undefined to be 'sid'");
  });

  it('gives ids their titles and drops pointers the agent cannot open', () => {
    const body = 'T-bbb filed follow-up for T-ccc.\n\nSee .agents/reviews/R-002.md.';
    expect(cleanBody({ time: '2026-11-01T00:00:00Z', kind: 'review', ref: 'R-002', body }, view, style)).toBe('"Schema" (T-bbb) filed follow-up for this task.');
  });
});
