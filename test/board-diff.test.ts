/**
 * The diff the review page shows, read from a real repository: per file with
 * both sides' line numbers, renames, binaries and odd names; `.agents/` left
 * out; a diff too big for the page capped with a note instead of read whole.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { branchDiff } from '../src/git/diff.js';
import { commentsOf } from '../src/board/review.js';
import { git, makeRepo, write } from './helpers/repo.js';

describe('a task branch\'s diff for review', () => {
  it('per file with line numbers, renames, binaries and quoted names; capped with a note when too big', () => {
    const dir = makeRepo();
    write(dir, 'src/a.js', 'one\ntwo\nthree\n');
    write(dir, 'old-name.txt', 'kept\nas\nit\nwas\n');
    write(dir, '.agents/memory/T-1.md', '# Memory\n');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'base']);
    git(dir, ['switch', '-q', '-c', 'task/T-1']);
    write(dir, 'src/a.js', 'one\n2\nthree\nfour\n');
    git(dir, ['mv', 'old-name.txt', 'new-name.txt']);
    writeFileSync(join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0, 3]));
    write(dir, 'naïve "file".txt', 'x\n');
    write(dir, 'big.txt', Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n') + '\n');
    write(dir, '.agents/memory/T-1.md', '# Memory\n\n## 2026-01-01T00:00:00Z note\nhi\n');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'work']);

    const d = branchDiff(dir, 'main', 'task/T-1', '.agents', { totalLines: 60, fileLines: 40 })!;
    const byPath = new Map(d.files.map((f) => [f.path, f]));
    expect([...byPath.keys()].sort()).toEqual(['big.txt', 'logo.png', 'naïve "file".txt', 'new-name.txt', 'src/a.js']);
    const a = byPath.get('src/a.js')!;
    expect(a).toMatchObject({ status: 'modified', added: 2, deleted: 1 });
    expect(a.hunks[0]!.lines).toEqual([
      { kind: 'ctx', old: 1, new: 1, text: 'one' },
      { kind: 'del', old: 2, text: 'two' },
      { kind: 'add', new: 2, text: '2' },
      { kind: 'ctx', old: 3, new: 3, text: 'three' },
      { kind: 'add', new: 4, text: 'four' },
    ]);
    expect(byPath.get('new-name.txt')).toMatchObject({ status: 'renamed', from: 'old-name.txt', hunks: [] });
    expect(byPath.get('logo.png')).toMatchObject({ binary: true, hunks: [] });
    expect(byPath.get('naïve "file".txt')!.hunks[0]!.lines).toEqual([{ kind: 'add', new: 1, text: 'x' }]);
    // 50 changed lines are more than one file may show: listed with its counts and how to see it.
    expect(byPath.get('big.txt')).toMatchObject({ added: 50, hunks: [] });
    expect(byPath.get('big.txt')!.omitted).toContain('git diff main...task/T-1 -- big.txt');
    expect(d.note).toContain('1 file not shown in full');

    // The review's own entries give back the comments with their file and line.
    expect(commentsOf([{ time: 't', kind: 'review', ref: 'changes-requested', body: 'Changes requested by a person on the board.\n\n- General\n- `src/a.js:2`: Why 2?\n  Say two.\n- `new-name.txt:1`: ok' }]))
      .toEqual([{ path: 'src/a.js', line: 2, text: 'Why 2?\nSay two.', time: 't' }, { path: 'new-name.txt', line: 1, text: 'ok', time: 't' }]);
  });
});
