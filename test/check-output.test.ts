/** Check output as plain text, and the excerpt's rules on output no runner here writes. Pure units. */
import { describe, expect, it } from 'vitest';
import { stripAnsi } from '../src/core/ansi.js';
import { CheckDigest, checkExcerpt, MAX_CHARS } from '../src/core/check-output.js';

describe('stripAnsi', () => {
  it('removes CSI, OSC (links, titles), other ESC sequences, stray ESC and 8-bit CSI; keeps the text', () => {
    const text = '\u001b[1m\u001b[31mFAIL\u001b[39m\u001b[22m \u001b]8;;file:///x.js\u001b\\x.js\u001b]8;;\u001b\\ \u001b]0;title\u0007ok \u001b(B\u001b7done\u001b \u009b31mred\u001b';
    expect(stripAnsi(text)).toBe('FAIL x.js ok donered');
  });

  it('keeps what a carriage return overprinted last, reads CRLF as a newline, keeps tabs', () => {
    expect(stripAnsi('10%\r50%\r100% done\r\nnext\tline\r\n')).toBe('100% done\nnext\tline\n');
  });
});

describe('the excerpt of a failed check', () => {
  it('keeps a failure at the start of a long output, with its diff and project frame, and the summary', () => {
    const passing = Array.from({ length: 5000 }, (_, i) => `  ✓ passes ${i}`).join('\n');
    const out = [
      'not ok 1 - adds',
      '  expected: 3',
      '  actual:   4',
      '    at Object.<anonymous> (/repo/node_modules/lib/index.js:3:9)',
      '    at add (/repo/src/add.js:7:3)',
      '',
      passing,
      '# tests 5001',
      '# fail 1',
    ].join('\n');
    const ex = checkExcerpt(out, { cwd: '/repo' });
    expect(ex).toContain('not ok 1 - adds\n  expected: 3\n  actual:   4');
    expect(ex).toContain('at add (src/add.js:7:3)');
    expect(ex).not.toContain('node_modules/lib');
    expect(ex).toContain('1 more frame');
    expect(ex).toMatch(/# tests 5001\n# fail 1$/);
    expect(ex).not.toContain('passes 17');
  });

  it('folds a stack overflow\'s identical frames and stays bounded whatever the output', () => {
    const d = new CheckDigest();
    d.line('RangeError: Maximum call stack size exceeded');
    for (let i = 0; i < 200_000; i++) d.line('    at walk (lib/tree.js:16:23)');
    for (let i = 0; i < 3000; i++) d.line(`Error: case ${i} failed with a long message ${'x'.repeat(300)}`);
    const ex = d.excerpt();
    expect(ex).toContain('at walk (lib/tree.js:16:23)  (×200000)');
    expect(ex.length).toBeLessThanOrEqual(MAX_CHARS);
    expect(ex).toContain('of failures left out');
  });

  it('takes back the lines a live display redraws (cursor up), so only its last frame is kept', () => {
    const out = ['RUNS 0 OK', 'Asserts: 0 fail', '\u001b[2K\u001b[1A\u001b[2K\u001b[1A\u001b[2K\u001b[GFAIL a.test.js', 'Error: boom', 'Asserts: 1 fail'].join('\n');
    expect(checkExcerpt(out)).toBe('FAIL a.test.js\nError: boom\nAsserts: 1 fail');
  });

  it('shows the first and last lines when no line says what failed', () => {
    const out = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const ex = checkExcerpt(out);
    expect(ex.startsWith('line 0\nline 1\nline 2\nline 3\nline 4\n…\nline 80\n')).toBe(true);
    expect(ex.endsWith('line 99')).toBe(true);
  });
});
