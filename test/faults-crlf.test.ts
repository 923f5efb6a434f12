/**
 * CRLF line ends (issue 21): a memory file saved by a Windows editor, or checked
 * out by a clone with `core.autocrlf=true`, is read whole by every command and by
 * the hooks, written in the line ends it uses, and never duplicated by `--fix`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, read, tempDir } from './helpers/repo.js';

const headings = (text: string) => text.match(/^## .*$/gm) ?? [];
const entries = (dir: string, id: string) => (JSON.parse(ok(dir, ['memory', id, '--json'])) as { entries: { kind: string; body: string }[] }).entries;

function commitFile(dir: string, name: string, message: string): void {
  writeFileSync(join(dir, name), `${message}\n`);
  git(dir, ['add', name]);
  git(dir, ['commit', '-q', '-m', message]);
}

describe('CRLF memory files', () => {
  it('saved with CRLF on a task branch: every entry read, the note in the prompt, new entries in CRLF, --fix adds nothing', () => {
    const dir = makeProject({ hooks: true });
    // A project made by an older baton (no `.agents/** text eol=lf`): git keeps the CRLF save as it is.
    writeFileSync(join(dir, '.gitattributes'), read(dir, '.gitattributes').replace(/^\.agents\/\*\* text eol=lf\n/m, ''));
    const id = addTask(dir, 'Windows editor');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Plan']);
    ok(dir, ['start', id]);
    commitFile(dir, 'a.txt', 'First change');
    commitFile(dir, 'b.txt', 'Second change');
    ok(dir, ['log', id, '--outcome', 'partial', '--summary', 'Half way', '--decision', 'Keep the CRLF note visible']);
    commitFile(dir, 'c.txt', 'Third change');
    const path = `.agents/memory/${id}.md`;
    const lf = read(dir, path);
    const count = entries(dir, id).length;
    expect(count).toBeGreaterThanOrEqual(4);
    // A Windows editor saves the file with CRLF; the save is committed.
    writeFileSync(join(dir, path), lf.replace(/\n/g, '\r\n'));
    git(dir, ['add', path]);
    git(dir, ['commit', '-q', '-m', 'Memory saved on Windows']);

    expect(entries(dir, id).length).toBeGreaterThanOrEqual(count);
    expect(ok(dir, ['prompt', id])).toContain('Keep the CRLF note visible');
    commitFile(dir, 'd.txt', 'Fourth change');
    const after = read(dir, path);
    expect(after.replace(/\r\n/g, '')).not.toContain('\n'); // every line break is CRLF: the hooks wrote in the file's line ends
    expect(after).toContain('Third change');
    ok(dir, ['log', id, '--outcome', 'success', '--summary', 'Done on Windows']);
    const logged = read(dir, path);
    expect(logged.replace(/\r\n/g, '')).not.toContain('\n');
    expect(logged).toContain('Done on Windows');
    git(dir, ['add', '-A']);
    if (git(dir, ['status', '--porcelain'])) git(dir, ['commit', '-q', '-m', 'Log']);
    const before = headings(read(dir, path).replace(/\r/g, ''));
    baton(dir, ['doctor', '--fix']);
    const fixed = headings(read(dir, path).replace(/\r/g, ''));
    expect(fixed).toEqual(before);
    expect(new Set(fixed).size).toBe(fixed.length);
  });

  it('a clone with core.autocrlf=true of a project without the eol attribute: entries read, --fix doubles nothing', () => {
    const dir = makeProject({ hooks: true });
    // A project made by an older baton: no `.agents/** text eol=lf`.
    writeFileSync(join(dir, '.gitattributes'), read(dir, '.gitattributes').replace(/^\.agents\/\*\* text eol=lf\n/m, ''));
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Older attributes']);
    commitFile(dir, 'a.txt', 'On main one');
    commitFile(dir, 'b.txt', 'On main two');
    ok(dir, ['sync']);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Memory']);
    const count = entries(dir, 'project').length;
    expect(count).toBeGreaterThanOrEqual(3);

    const clone = join(tempDir(), 'clone');
    git(dir, ['clone', '-q', '-c', 'core.autocrlf=true', dir, clone]);
    expect(read(clone, '.agents/memory/project.md')).toContain('\r\n');
    ok(clone, ['hooks', 'install']);
    expect(entries(clone, 'project').length).toBe(count);
    const before = headings(read(clone, '.agents/memory/project.md').replace(/\r/g, ''));
    baton(clone, ['doctor', '--fix']);
    // Nothing doubled: each heading once, those that were there still there (the last commit's entry may join them).
    const fixed = headings(read(clone, '.agents/memory/project.md').replace(/\r/g, ''));
    expect(new Set(fixed).size).toBe(fixed.length);
    expect(fixed.slice(0, before.length)).toEqual(before);
    expect(fixed.length).toBeLessThanOrEqual(before.length + 1);
  });

  it('init writes `.agents/** text eol=lf`, once', () => {
    const dir = makeProject();
    ok(dir, ['init']);
    expect(read(dir, '.gitattributes').match(/^\.agents\/\*\* text eol=lf$/gm)).toHaveLength(1);
  });
});
