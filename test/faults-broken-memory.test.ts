/**
 * A folder or a dangling symbolic link named `*.md` in `.agents/memory/`: the
 * commands that read memory skip it and go on; `baton doctor` names it.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, read } from './helpers/repo.js';

describe('a folder or a broken link in the memory folder', () => {
  let dir: string;
  let id: string;
  let other: string;
  beforeAll(() => {
    dir = makeProject();
    id = addTask(dir, 'Keep the record');
    other = addTask(dir, 'Second task');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Two tasks']);
    ok(dir, ['log', id, '--decision', 'Memory stays readable around a bad entry in its folder']);
    mkdirSync(join(dir, '.agents/memory/notes.md')); // a folder someone made
    mkdirSync(join(dir, `.agents/memory/${other}.md`)); // a folder in place of a task's memory
    symlinkSync('../../elsewhere/gone.md', join(dir, '.agents/memory/linked.md')); // a link to nothing
  });

  it('status, memory and prompt still work, and still show the memory that is there', () => {
    for (const args of [['status'], ['memory'], ['memory', id], ['memory', other], ['prompt', id]]) {
      const r = baton(dir, args);
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    expect(ok(dir, ['memory', id])).toContain('Memory stays readable around a bad entry');
    expect(ok(dir, ['memory'])).toContain('Memory stays readable around a bad entry');
  });

  it('doctor names each one, with its path, as a warning', () => {
    const r = baton(dir, ['doctor']);
    const out = r.stdout + r.stderr;
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(out).toMatch(/\.agents\/memory\/notes\.md.*folder/);
    expect(out).toContain(`.agents/memory/${other}.md`);
    expect(out).toMatch(/\.agents\/memory\/linked\.md.*(link|nowhere)/);
    expect(out).toContain('elsewhere/gone.md');
  });

  it('writing memory where a folder stands is refused with the file named, and nothing is lost', () => {
    const before = read(dir, `.agents/memory/${id}.md`);
    const r = baton(dir, ['log', other, '--decision', 'This has nowhere to go']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).toContain(`.agents/memory/${other}.md`);
    expect(read(dir, `.agents/memory/${id}.md`)).toBe(before);
  });
});
