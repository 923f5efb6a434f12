/**
 * Issue 19 item 11: memory reads in time order, in the file and in `baton
 * memory`: an entry written after a later one (a commit dated ahead, a queue
 * flushed late) goes where its time places it; nothing already there moves.
 */
import { describe, expect, it } from 'vitest';
import { addTask, git, makeProject, ok, read, write } from './helpers/repo.js';

const headings = (text: string) => text.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.split(' ').slice(1, 3).join(' '));

describe('memory in time order', () => {
  it('a note logged after a commit dated later goes before it, in the file and in `baton memory`', () => {
    const dir = makeProject({ hooks: true });
    const id = addTask(dir, 'Greet people');
    git(dir, ['add', '-A']);
    if (git(dir, ['status', '--porcelain'])) git(dir, ['commit', '-qm', 'plan']);
    ok(dir, ['start', id]);
    write(dir, 'greet.txt', 'hi\n');
    git(dir, ['add', 'greet.txt']);
    git(dir, ['commit', '-qm', 'Add greet'], { GIT_COMMITTER_DATE: '2099-01-01T00:00:00Z', GIT_AUTHOR_DATE: '2099-01-01T00:00:00Z' });
    ok(dir, ['log', id, '--note', 'Greeting kept in a text file.']);
    const file = read(dir, `.agents/memory/${id}.md`);
    const times = headings(file).map((h) => h.split(' ')[0]!);
    expect(times).toEqual([...times].sort());
    expect(file.indexOf('Greeting kept in a text file.')).toBeLessThan(file.indexOf('Add greet'));
    const shown = headings(ok(dir, ['memory', id])).map((h) => h.split(' ')[0]!);
    expect(shown).toEqual([...shown].sort());
    expect(headings(ok(dir, ['memory', id])).at(-1)).toMatch(/^2099-01-01T00:00:00Z commit$/);
  });
});
