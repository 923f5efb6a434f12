import { describe, expect, it } from 'vitest';
import { outsideOf, pathsNamedIn, predict, scheduleAround, sharedFiles, waitText } from '../src/core/overlap.js';

const input = (id: string, extra: { files?: string[]; text?: string; dependencyFiles?: string[]; earlierFiles?: string[] } = {}) => ({
  id, files: extra.files ?? [], text: extra.text ?? '', dependencyFiles: extra.dependencyFiles ?? [], earlierFiles: extra.earlierFiles ?? [],
});

describe('predicting the files a task touches', () => {
  it('reads file paths from a task text: backticks, paths with a slash, names with a code extension; not URLs, versions or prose', () => {
    const text = 'Add a users table to `src/db.ts` and db/schema.sql, update package.json and `Makefile`.\n'
      + 'See https://example.com/docs/guide.html, needs git 2.38 and Node.js 20, e.g. this; also ./src/api/login.ts.';
    expect(pathsNamedIn(text).sort()).toEqual(['Makefile', 'db/schema.sql', 'package.json', 'src/api/login.ts', 'src/db.ts']);
    // baton's own files merge through their drivers: never a reason to wait.
    expect(pathsNamedIn('Edit `.agents/plan.md` and .agents/tasks/T-1-x.md')).toEqual([]);
  });

  it('joins files:, the text, the dependencies and earlier attempts, saying where each came from', () => {
    const p = predict(input('T-1', { files: ['src/a.ts'], text: 'Touch `src/b.ts`', dependencyFiles: ['src/c.ts', '.agents/memory/T-0.md'], earlierFiles: ['src/d.ts', 'src/a.ts'] }));
    expect(p.files).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts']);
    expect(p.why).toEqual({ 'src/a.ts': 'files', 'src/b.ts': 'text', 'src/c.ts': 'dependency', 'src/d.ts': 'earlier' });
  });

  it('learns: files a task touched outside what it named join the prediction of tasks naming the same files', () => {
    const lesson = { id: 'T-9', named: ['src/db.ts'], outside: outsideOf(['src/db.ts'], ['src/db.ts', 'src/schema.ts']) };
    expect(lesson.outside).toEqual(['src/schema.ts']);
    expect(predict(input('T-1', { text: 'change src/db.ts' }), [lesson]).why['src/schema.ts']).toBe('learned');
    expect(predict(input('T-2', { text: 'change src/other.ts' }), [lesson]).files).toEqual(['src/other.ts']);
  });

  it('a file both tasks only inherit from their dependencies is no overlap; one that either names is', () => {
    const a = predict(input('T-1', { dependencyFiles: ['package.json', 'src/db.ts'] }));
    const b = predict(input('T-2', { dependencyFiles: ['package.json'], text: 'edit `src/db.ts`' }));
    expect(sharedFiles(a, b)).toEqual(['src/db.ts']);
  });

  it('a folder overlaps the files in it', () => {
    const a = predict(input('T-1', { files: ['src/api/'] }));
    const b = predict(input('T-2', { files: ['src/api/login.ts'] }));
    expect(sharedFiles(a, b)).toEqual(['src/api/login.ts']);
    expect(sharedFiles(a, predict(input('T-3', { files: ['src/apiary.ts'] })))).toEqual([]);
  });
});

describe('scheduling around overlap', () => {
  it('a ready task waits for a running task, or an earlier ready one, that touches the same file; others go', () => {
    const running = [predict(input('T-r', { files: ['src/db.ts'] }))];
    const ready = [
      predict(input('T-a', { text: 'edit src/db.ts' })),
      predict(input('T-b', { files: ['src/ui.ts'] })),
      predict(input('T-c', { files: ['src/ui.ts', 'README.md'] })),
      predict(input('T-d', { files: ['src/other.ts'] })),
    ];
    const plan = scheduleAround(ready, running);
    expect(plan).toEqual([
      { id: 'T-a', waits: { on: 'T-r', files: ['src/db.ts'] } },
      { id: 'T-b' },
      { id: 'T-c', waits: { on: 'T-b', files: ['src/ui.ts'] } },
      { id: 'T-d' },
    ]);
    expect(waitText(plan[0]!.waits!)).toBe('waits for T-r: both touch src/db.ts');
  });
});
