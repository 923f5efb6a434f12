/** Which memory a prompt carries and the order it is given up in. Pure. */
import { describe, expect, it } from 'vitest';
import type { MemoryEntry } from '../src/core/memory.js';
import type { Task } from '../src/core/task.js';
import { dropOrder, selectMemory } from '../src/prompt/select.js';

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
  const memory = new Map<string, MemoryEntry[]>([
    ['T-aaa', [e('T-aaa', 'decision', 'Ids are UUIDv7'), e('T-aaa', 'bug', 'Slow migration')]],
    ['T-bbb', [
      e('T-bbb', 'result', 'First try failed', 'failure'),
      e('T-bbb', 'commit', 'Add schema\n\n- db.sql +1 -0', 'abc1234'),
      e('T-bbb', 'result', 'Schema ready', 'success'),
      e('T-bbb', 'decision', 'Emails lower-cased'),
      e('T-bbb', 'bug', 'Index missing on email'),
    ]],
    ['T-ccc', [e('T-ccc', 'attempt', 'Attempt 1'), e('T-ccc', 'result', 'Cookie broke', 'failure'), e('T-ccc', 'attempt', 'Attempt 2')]],
    ['T-ddd', [e('T-ddd', 'bug', 'src/login.ts leaks the password in logs'), e('T-ddd', 'decision', 'Unrelated choice'), e('T-ddd', 'note', 'Mentions T-ccc by id')]],
    ['project', [e('project', 'decision', 'Use the shared logger'), e('project', 'usage', '1000 tokens')]],
  ]);
  const items = selectMemory(me, [up, dep, me, other], memory);
  const view = (tier: number) => items.filter((i) => i.tier === tier).map((i) => `${i.entry.task} ${i.entry.kind} ${i.entry.body}`);

  it('ranks dependency results and decisions first, then own history, then mentions, then the rest', () => {
    expect(view(0)).toEqual(['T-bbb result Schema ready', 'T-bbb decision Emails lower-cased']);
    // The attempt just opened is the current one, not an earlier one.
    expect(view(1)).toEqual(['T-ccc attempt Attempt 1', 'T-ccc result Cookie broke']);
    expect(view(2)).toEqual(['T-ddd bug src/login.ts leaks the password in logs', 'T-ddd note Mentions T-ccc by id']);
    expect(view(3)).toEqual([
      'T-aaa decision Ids are UUIDv7',
      'T-bbb result First try failed',
      'T-bbb bug Index missing on email',
      'project decision Use the shared logger',
    ]);
    // Never: commits, usage, unrelated entries of other tasks, bugs of tasks further up.
    const all = items.map((i) => i.entry.body);
    expect(all).not.toContain('Add schema\n\n- db.sql +1 -0');
    expect(all).not.toContain('1000 tokens');
    expect(all).not.toContain('Unrelated choice');
    expect(all).not.toContain('Slow migration');
  });

  it('gives up the least relevant first, the oldest first within a tier', () => {
    const order = dropOrder(items).map((i) => `${i.tier} ${i.entry.body}`);
    expect(order[0]).toBe('3 Ids are UUIDv7');
    expect(order.slice(0, 4).every((o) => o.startsWith('3 '))).toBe(true);
    expect(order.at(-1)).toBe('0 Emails lower-cased');
    expect(order.at(-2)).toBe('0 Schema ready');
  });
});
