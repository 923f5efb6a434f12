import { describe, expect, it } from 'vitest';
import { findCycles, nextTasks, topoOrder } from '../src/core/graph.js';
import { newTaskId, resolveTask } from '../src/core/ids.js';
import { redact } from '../src/core/redact.js';
import type { Task } from '../src/core/task.js';
import { parseMemory } from '../src/memory/file.js';

const t = (id: string, deps: string[] = [], extra: Partial<Task> = {}): Task => ({
  id, title: id, status: 'todo', depends_on: deps, files: [], checks: [], path: `.agents/tasks/${id}-x.md`, body: '', lines: {}, ...extra,
});

describe('graph', () => {
  it('finds each cycle as a closed path', () => {
    expect(findCycles([t('T-a1', ['T-b2']), t('T-b2', ['T-a1']), t('T-c3', ['T-a1'])])).toEqual([['T-a1', 'T-b2', 'T-a1']]);
    expect(findCycles([t('T-a1', ['T-a1'])])).toEqual([['T-a1', 'T-a1']]);
  });

  it('orders dependencies first, then phase order, then creation time', () => {
    const tasks = [
      t('T-0003', [], { phase: 'Two', created: '2026-01-01T00:00:01.000Z' }),
      t('T-0001', ['T-0004'], { phase: 'One', created: '2026-01-01T00:00:02.000Z' }),
      t('T-0002', [], { phase: 'One', created: '2026-01-01T00:00:03.000Z' }),
      t('T-0004', [], { phase: 'Two', created: '2026-01-01T00:00:00.000Z' }),
    ];
    expect(topoOrder(tasks, ['One', 'Two']).map((x) => x.id)).toEqual(['T-0002', 'T-0004', 'T-0001', 'T-0003']);
    expect(nextTasks(tasks, ['One', 'Two']).map((x) => x.id)).toEqual(['T-0002', 'T-0004', 'T-0003']);
  });

  it('handles a long chain of 5,000 tasks without recursion limits', () => {
    const tasks = Array.from({ length: 5000 }, (_, i) => t(`T-${i.toString(16).padStart(4, '0')}`, i ? [`T-${(i - 1).toString(16).padStart(4, '0')}`] : []));
    expect(findCycles(tasks)).toEqual([]);
    expect(topoOrder(tasks).at(-1)!.id).toBe('T-1387');
  });
});

describe('ids', () => {
  it('grows the id when the short one is taken', () => {
    const rolls = ['aaaa', 'aaaa', 'aaaa', 'aaaa', 'aaaab'];
    const id = newTaskId(new Set(['T-aaaa']), (n) => rolls.shift()!.slice(0, n).padEnd(n, 'b'));
    expect(id).toBe('T-aaaab');
  });

  it('uses longer ids for large plans so parallel branches rarely pick the same one', () => {
    const existing = new Set(Array.from({ length: 5000 }, (_, i) => `T-${i}`));
    expect(newTaskId(existing).length).toBeGreaterThanOrEqual(2 + 6);
  });

  it('resolves prefixes, with or without T-, in any case', () => {
    const tasks = [t('T-7f3a'), t('T-7e00')];
    expect(resolveTask(tasks, '7f').id).toBe('T-7f3a');
    expect(resolveTask(tasks, 't-7F3A').id).toBe('T-7f3a');
    expect(() => resolveTask(tasks, 'T-7')).toThrow('`T-7` matches 2 tasks');
  });
});

describe('memory format', () => {
  it('reads entries, keeping fenced code that looks like headings inside the body', () => {
    const text = [
      '# Memory: T-7f3a',
      '',
      '## 2026-11-22T10:31:05Z commit 3f2a91c',
      'Add users table',
      '',
      '```md',
      '## 2026-01-01T00:00:00Z note',
      '```',
      '',
      '## 2026-11-22T11:02:40Z result success',
      'Done.',
      '',
    ].join('\n');
    const { preamble, entries } = parseMemory(text, 'T-7f3a');
    expect(preamble).toBe('# Memory: T-7f3a\n');
    expect(entries.map((e) => [e.kind, e.ref, e.line])).toEqual([['commit', '3f2a91c', 3], ['result', 'success', 10]]);
    expect(entries[0]!.body).toBe('Add users table\n\n```md\n## 2026-01-01T00:00:00Z note\n```');
  });
});

describe('redaction', () => {
  it('removes keys and tokens but keeps the text around them', () => {
    const text = 'key sk-proj-abcdefghijklmnopqrstuvwx and OPENAI_API_KEY=abcd1234efgh5678, token ghp_abcdefghijklmnopqrstuvwxyz0123 ok';
    expect(redact(text)).toBe('key [REDACTED] and OPENAI_API_KEY=[REDACTED], token [REDACTED] ok');
    expect(redact('api_key_env: OPENAI_API_KEY')).toBe('api_key_env: OPENAI_API_KEY');
  });
});
