import { mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEdits, applyHunks, parseEdits, parseUnifiedDiff, EditError } from '../src/agents/edits.js';
import { tempDir } from './helpers/repo.js';

const answer = (...parts: string[]) => parts.join('\n');

describe('reading edits from a model answer', () => {
  it('finds whole files, diffs, deletions and file requests, and keeps the rest as the report', () => {
    const parsed = parseEdits(answer(
      'I added the parser.',
      '```file src/parse.ts',
      'export const x = 1;',
      '```',
      '```diff',
      '--- a/src/main.ts',
      '+++ b/src/main.ts',
      '@@ -1,2 +1,2 @@',
      ' import a;',
      '-old();',
      '+fresh();',
      '```',
      '```delete src/old.ts',
      '```',
      '```need',
      '- src/util.ts',
      '```',
      '```ts',
      'example(); // an ordinary code block is prose',
      '```',
      '## Outcome',
      'success',
    ));
    expect(parsed.edits.map((e) => `${e.kind} ${e.path}`)).toEqual(['write src/parse.ts', 'patch src/main.ts', 'delete src/old.ts']);
    expect(parsed.requests).toEqual(['src/util.ts']);
    expect(parsed.prose).toContain('example(); // an ordinary code block is prose');
    expect(parsed.prose).toContain('## Outcome\nsuccess');
    expect(parsed.prose).not.toContain('export const x');
  });

  it('keeps a file that itself holds a code fence when the block uses a longer fence', () => {
    const parsed = parseEdits(answer('````file README.md', '# Use', '```sh', 'npm i', '```', '````'));
    expect(parsed.edits).toEqual([{ kind: 'write', path: 'README.md', content: '# Use\n```sh\nnpm i\n```\n' }]);
  });
});

describe('applying unified diffs', () => {
  const file = 'one\ntwo\nthree\nfour\nfive\n';
  it('applies a hunk whose line numbers are off, and reports a hunk that does not match', () => {
    const [edit] = parseUnifiedDiff('--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n three\n-four\n+FOUR\n five\n');
    expect(edit!.kind).toBe('patch');
    expect(applyHunks(file, (edit as { hunks: never[] }).hunks, 'f')).toBe('one\ntwo\nthree\nFOUR\nfive\n');
    const [bad] = parseUnifiedDiff('--- a/f\n+++ b/f\n@@ -2,2 +2,2 @@\n two\n-six\n+SIX\n');
    expect(() => applyHunks(file, (bad as { hunks: never[] }).hunks, 'f')).toThrow(/hunk 1 of f .* does not match the file/);
  });
});

describe('applying several hunks', () => {
  it('keeps track of the lines earlier hunks added or removed', () => {
    const text = Array.from({ length: 20 }, (_, i) => `l${i + 1}`).join('\n') + '\n';
    const [edit] = parseUnifiedDiff([
      '--- a/f', '+++ b/f',
      '@@ -2,2 +2,4 @@', ' l2', '+new a', '+new b', ' l3',
      '@@ -15,3 +17,2 @@', ' l15', '-l16', ' l17',
    ].join('\n'));
    const out = applyHunks(text, (edit as { hunks: never[] }).hunks, 'f').split('\n');
    expect(out.slice(0, 5)).toEqual(['l1', 'l2', 'new a', 'new b', 'l3']);
    expect(out).not.toContain('l16');
    expect(out).toHaveLength(22); // 20 lines + 2 - 1, and the final newline
  });
});

describe('applying edits to a folder', () => {
  it('writes all edits or none, and refuses paths outside the repository', () => {
    const root = tempDir();
    writeFileSync(join(root, 'a.txt'), 'a\n');
    const outside = tempDir();
    symlinkSync(outside, join(root, 'link'));
    for (const path of ['../escape.txt', '/etc/passwd', 'link/x.txt', '.git/config', '.agents/memory/T-1234.md']) {
      expect(() => applyEdits(root, [{ kind: 'write', path: 'ok.txt', content: 'x' }, { kind: 'write', path, content: 'x' }])).toThrow(EditError);
    }
    expect(existsSync(join(root, 'ok.txt'))).toBe(false);
    expect(existsSync(join(outside, 'x.txt'))).toBe(false);

    mkdirSync(join(root, 'src'));
    const changed = applyEdits(root, [
      { kind: 'write', path: 'src/new.ts', content: 'n\n' },
      ...parseUnifiedDiff('--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+b\n'),
      ...parseUnifiedDiff('--- /dev/null\n+++ b/c.txt\n@@ -0,0 +1,2 @@\n+c1\n+c2\n'),
    ]);
    expect(changed).toEqual(['a.txt', 'c.txt', 'src/new.ts']);
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('b\n');
    expect(readFileSync(join(root, 'c.txt'), 'utf8')).toBe('c1\nc2\n');
  });
});

describe('secrets in files sent to the implementer model', () => {
  it('are masked in what the model sees, and the mask can never be written back over them', async () => {
    const { fileContents } = await import('../src/agents/edits.js');
    const dir = tempDir();
    writeFileSync(join(dir, 'config.env'), 'PORT=3000\nAPI_KEY=sk-proj-abcdefghijklmnopqrstuvwx\n');
    const shown = fileContents(dir, ['config.env']);
    expect(shown).not.toContain('sk-proj-abcdefghijklmnopqrstuvwx');
    expect(shown).toContain('API_KEY=[REDACTED]');
    expect(shown).toContain('never write `[REDACTED]` into a file');

    // A whole-file answer built from the masked text is refused, and the file keeps its key.
    const edits = parseEdits(answer('```file config.env', 'PORT=4000', 'API_KEY=[REDACTED]', '```')).edits;
    expect(() => applyEdits(dir, edits)).toThrow(/writes `\[REDACTED\]`, the mask of a secret/);
    expect(readFileSync(join(dir, 'config.env'), 'utf8')).toContain('sk-proj-abcdefghijklmnopqrstuvwx');

    // A diff that leaves the key's line alone applies.
    const diff = parseEdits(answer('```diff', '--- a/config.env', '+++ b/config.env', '@@ -1 +1 @@', '-PORT=3000', '+PORT=4000', '```')).edits;
    applyEdits(dir, diff);
    expect(readFileSync(join(dir, 'config.env'), 'utf8')).toBe('PORT=4000\nAPI_KEY=sk-proj-abcdefghijklmnopqrstuvwx\n');
  });
});
