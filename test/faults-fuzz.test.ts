/**
 * Fuzzed memory files: whatever a person or a bad merge leaves, reconciling
 * keeps every non-commit entry's text, redaction leaves nothing secret, and
 * the CLI (doctor, rebuild, the hook) never shows a stack trace or loses text.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact } from '../src/core/redact.js';
import { parseMemory } from '../src/memory/file.js';
import { reconcileMemory } from '../src/memory/reconcile.js';
import { insertEntries } from '../src/memory/restore.js';
import { baton, git, ok, read } from './helpers/repo.js';
import { commitFile, taskRepo } from './hooks-util.js';

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '## 2026-11-22T10:00:00Z commit 0123456789ab', '## 2026-11-22T10:01:00Z note', '## 2026-11-22T10:02:00Z decision',
  '## not a heading', '```', '~~~', '# Memory: T-abcd', '', '', 'text line', '\r', '\u0000', '- a.ts +1 -0',
  'AKIAIOSFODNN7EXAMPLE', 'sk-proj-abcdefghijklmnopqrstuv', '-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEAkeymaterial',
  '-----END RSA PRIVATE KEY-----', '<<<<<<< HEAD', '=======', '>>>>>>> branch', '## 2026-13-99T99:99:99Z commit zz', 'ünïcödé ✓',
];

function fuzzText(next: () => number): string {
  const n = Math.floor(next() * 40);
  return Array.from({ length: n }, () => PIECES[Math.floor(next() * PIECES.length)]).join(next() < 0.1 ? '\r\n' : '\n');
}

describe('fuzzed memory files', () => {
  it('reconcile keeps every non-commit entry and the text around them; insert and redact keep parsing', () => {
    const next = rng(20261130);
    for (let i = 0; i < 300; i++) {
      const text = fuzzText(next);
      const before = parseMemory(text);
      const refs = new Map(before.entries.filter((e) => e.kind === 'commit' && e.ref).map((e) => [e.ref!, null]));
      const r = reconcileMemory(text, '# Memory: T-abcd\n', { refs, expected: [], entries: new Map() });
      const after = parseMemory(r.text);
      expect(after.entries.filter((e) => e.kind !== 'commit').map((e) => e.body)).toEqual(
        before.entries.filter((e) => e.kind !== 'commit').map((e) => e.body),
      );
      expect(after.entries.some((e) => e.kind === 'commit')).toBe(false);
      const restored = insertEntries(text, 'T-abcd', [{ time: '2026-11-22T10:00:30Z', kind: 'result', ref: 'success', body: 'Back from history' }]);
      expect(parseMemory(restored).entries.filter((e) => e.kind === 'result' && e.body === 'Back from history')).toHaveLength(1);
      const clean = redact(text);
      expect(clean).not.toContain('AKIAIOSFODNN7EXAMPLE');
      expect(clean).not.toContain('sk-proj-abcdefghijklmnopqrstuv');
      expect(clean).not.toContain('-----BEGIN RSA PRIVATE KEY-----');
    }
  });

  it('doctor, rebuild and the hook on a fuzzed memory file: no stack trace, every note kept', () => {
    const { dir, id } = taskRepo();
    commitFile(dir, 'a.txt', 'a\n', 'Add a');
    const next = rng(7);
    const path = `.agents/memory/${id}.md`;
    const noise = `${read(dir, path)}\n## 2026-11-22T10:01:00Z note\nKeep me\n\n${fuzzText(next)}\n${fuzzText(next)}\n`.replace(/\u0000/g, '');
    writeFileSync(join(dir, path), noise);
    git(dir, ['add', '-A']);
    commitFile(dir, 'b.txt', 'b\n', 'Add b');
    const d = baton(dir, ['doctor']);
    expect(d.stderr).not.toMatch(/\n\s+at /);
    ok(dir, ['memory', 'rebuild']);
    const text = read(dir, path);
    expect(text).toContain('## 2026-11-22T10:01:00Z note\nKeep me');
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(baton(dir, ['doctor']).stderr).not.toMatch(/\n\s+at /);
  });
});
