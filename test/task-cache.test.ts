import { rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, makeProject, ok, read, taskFile, write } from './helpers/repo.js';

/**
 * The task cache (in the git dir) skips reading files whose stat is unchanged.
 * A hand edit must always be seen, even one that keeps the size and the
 * mtime's second (git's "racy" case).
 */
describe('task cache', () => {
  const statusOf = (dir: string, id: string) =>
    (JSON.parse(ok(dir, ['task', 'list', '--json'])) as { tasks: { id: string; status: string; title: string }[] }).tasks.find((t) => t.id === id);

  it('sees hand edits that keep the size, with a new mtime or within the same second, and files added or removed', () => {
    const dir = makeProject();
    const a = addTask(dir, 'Alpha');
    const b = addTask(dir, 'Bravo');
    const file = taskFile(dir, a);
    const abs = join(dir, file);
    // An old mtime, so the cache written next holds this entry as settled (not racy).
    utimesSync(abs, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    expect(statusOf(dir, a)?.status).toBe('todo');
    expect(statSync(join(dir, '.git', 'baton', 'task-cache.json')).isFile()).toBe(true);

    // Same size, another old mtime: the stat differs, the file is read again.
    write(dir, file, read(dir, file).replace('status: todo', 'status: done'));
    utimesSync(abs, new Date('2021-01-01T00:00:00Z'), new Date('2021-01-01T00:00:00Z'));
    expect(statusOf(dir, a)?.status).toBe('done');
    expect(ok(dir, ['task', 'show', a])).toContain('status:     done');

    // Same size, written in the same second as the cache and given back that mtime.
    const cache = statSync(join(dir, '.git', 'baton', 'task-cache.json'));
    write(dir, file, read(dir, file).replace('status: done', 'status: todo'));
    utimesSync(abs, cache.atime, cache.mtime);
    expect(statusOf(dir, a)?.status).toBe('todo');
    write(dir, file, read(dir, file).replace('title: Alpha', 'title: Omega'));
    utimesSync(abs, cache.atime, cache.mtime);
    expect(statusOf(dir, a)?.title).toBe('Omega');
    expect(ok(dir, ['task', 'show', a])).toContain(`${a}  Omega`);

    // A file removed from under the cache is gone from every view; put back, it returns.
    const bFile = taskFile(dir, b);
    const bText = read(dir, bFile);
    rmSync(join(dir, bFile));
    expect(statusOf(dir, b)).toBeUndefined();
    write(dir, bFile, bText);
    expect(statusOf(dir, b)?.title).toBe('Bravo');
  });

  it('keeps bodies apart from the fields status reads, and still sees a body edit made after status ran', () => {
    const dir = makeProject();
    const a = addTask(dir, 'Charlie');
    const file = taskFile(dir, a);
    const abs = join(dir, file);
    write(dir, file, `${read(dir, file)}\nFirst draft of the body.\n`);
    utimesSync(abs, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    expect(ok(dir, ['status'])).toContain('Charlie');
    // status reads only the fields: the body is not in its cache.
    expect(read(dir, '.git/baton/task-cache.json')).not.toContain('First draft');
    expect(ok(dir, ['task', 'show', a])).toContain('First draft of the body.');
    // Same size, another old mtime, after both caches hold the file.
    write(dir, file, read(dir, file).replace('First draft', 'Final draft'));
    utimesSync(abs, new Date('2021-01-01T00:00:00Z'), new Date('2021-01-01T00:00:00Z'));
    expect(ok(dir, ['status'])).toContain('Charlie');
    const shown = ok(dir, ['task', 'show', a]);
    expect(shown).toContain('Final draft of the body.');
    expect(shown).not.toContain('First draft');
  });

  it('sees a hand edit of config.yaml that keeps the size, even within the second the config cache was written', () => {
    const dir = makeProject();
    const config = join(dir, '.agents', 'config.yaml');
    utimesSync(config, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    expect(ok(dir, ['doctor'])).not.toContain('mian');
    const cache = statSync(join(dir, '.git', 'baton', 'config-cache.json'));
    write(dir, '.agents/config.yaml', read(dir, '.agents/config.yaml').replace('base_branch: main', 'base_branch: mian'));
    utimesSync(config, cache.atime, cache.mtime);
    const doctor = baton(dir, ['doctor']);
    expect(doctor.stdout + doctor.stderr).toContain('mian');
    write(dir, '.agents/config.yaml', read(dir, '.agents/config.yaml').replace('base_branch: mian', 'base_branch: main'));
    utimesSync(config, new Date('2021-01-01T00:00:00Z'), new Date('2021-01-01T00:00:00Z'));
    expect(ok(dir, ['doctor'])).not.toContain('mian');
  });

  it('task show answers from the cache exactly as from the files, and sees a file added beside it', () => {
    const dir = makeProject();
    const a = addTask(dir, 'Delta');
    const file = taskFile(dir, a);
    // Old mtimes (the folder's too), so the cache holds them as settled and answers for them.
    for (const name of [file, '.agents/config.yaml', '.agents/tasks']) utimesSync(join(dir, name), new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    const uncached = () => {
      rmSync(join(dir, '.git', 'baton'), { recursive: true, force: true });
      return baton(dir, ['task', 'show', a]);
    };
    const fromFiles = uncached();
    ok(dir, ['status']); // fills the cache
    expect(baton(dir, ['task', 'show', a])).toEqual(fromFiles);
    // A second file for the same id, added after the cache listed the folder: both answers name the clash.
    ok(dir, ['status']);
    write(dir, file.replace('.md', '-copy.md'), read(dir, file));
    const cachedAnswer = baton(dir, ['task', 'show', a]);
    expect(cachedAnswer.status).not.toBe(0);
    expect(cachedAnswer).toEqual(uncached());
  });
});
