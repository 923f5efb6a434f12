import { describe, expect, it } from 'vitest';
import { keepAppendOnly } from '../src/memory/append-only.js';
import { redact } from '../src/core/redact.js';
import { decidingFields } from '../src/tasks/deciding.js';

const header = '# Memory: T-abc\n\nAppend-only log.\n\n';
const entry = (day: number, kind: string, body: string) => `## 2026-01-0${day}T10:00:00Z ${kind}\n${body}\n\n`;

describe('keepAppendOnly', () => {
  it('leaves a file that only grew as it is', () => {
    const before = header + entry(1, 'note', 'One.');
    const after = before + entry(2, 'note', 'Two.');
    expect(keepAppendOnly(before, after, 'T-abc')).toEqual({ text: after, restored: [] });
  });

  it('puts back a deleted entry in time order, and an original over its changed copy; new entries stay', () => {
    const before = header + entry(1, 'note', 'One.') + entry(2, 'decision', 'Use SQLite.') + entry(3, 'bug', 'Off by one.');
    const after = header + entry(2, 'decision', 'Use Postgres.') + entry(4, 'note', 'Four.');
    const { text, restored } = keepAppendOnly(before, after, 'T-abc');
    expect(restored.map((e) => e.body)).toEqual(['One.', 'Use SQLite.', 'Off by one.']);
    expect(text).not.toContain('Use Postgres.');
    const order = ['One.', 'Use SQLite.', 'Off by one.', 'Four.'].map((b) => text.indexOf(b));
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
  });

  it('takes an entry baton redacted since for the same entry', () => {
    const before = header + entry(1, 'note', `Key sk-${'a'.repeat(40)} pasted.`);
    const after = redact(before);
    expect(after).not.toBe(before);
    expect(keepAppendOnly(before, after, 'T-abc')).toEqual({ text: after, restored: [] });
  });

  it('rebuilds a file the branch deleted', () => {
    const before = header + entry(1, 'note', 'One.');
    const { text } = keepAppendOnly(before, '', 'T-abc');
    expect(text).toContain('# Memory: T-abc');
    expect(text).toContain('One.');
  });
});

describe('decidingFields', () => {
  const task = { checks: ['npm test'], depends_on: ['T-1', 'T-2'], role: undefined, body: '## Success criteria\n- [ ] it works\n' };
  it('does not count a ticked box or the order of dependencies as a change', () => {
    expect(decidingFields({ ...task, depends_on: ['T-2', 'T-1'], body: '## Success criteria\n- [x] it works\n' })).toEqual(decidingFields(task));
  });
  it('counts changed checks and criteria', () => {
    expect(decidingFields({ ...task, checks: ['true'] }).checks).not.toBe(decidingFields(task).checks);
    expect(decidingFields({ ...task, body: '## Success criteria\n- [ ] it compiles\n' })['success criteria']).not.toBe(decidingFields(task)['success criteria']);
  });
});
