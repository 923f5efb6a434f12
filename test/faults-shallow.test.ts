/**
 * Shallow and grafted clones (issue 21): CI checks out `--depth 3`. A commit git
 * cannot see because the clone is cut short is not stale: doctor says the clone
 * is shallow, and no command deletes an entry on that basis.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, read, tempDir } from './helpers/repo.js';

const commitEntries = (text: string) => text.match(/^## \S+ commit [0-9a-f]+$/gm) ?? [];

function projectWithHistory(): { dir: string; id: string } {
  const dir = makeProject({ hooks: true });
  const id = addTask(dir, 'Deep history');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'Plan']);
  ok(dir, ['start', id]);
  for (let i = 0; i < 6; i++) {
    writeFileSync(join(dir, `f${i}.txt`), `${i}\n`);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', `Step ${i}`]);
  }
  ok(dir, ['log', id, '--outcome', 'success', '--summary', 'Deep work done']);
  ok(dir, ['done', id, '--merge', '--skip-checks']);
  for (let i = 0; i < 3; i++) {
    writeFileSync(join(dir, `main${i}.txt`), `${i}\n`);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', `Main ${i}`]);
  }
  return { dir, id };
}

describe('shallow and grafted clones', () => {
  it('--depth 3: doctor calls nothing stale and says the clone is shallow; --fix and rebuild delete no entry', () => {
    const { dir, id } = projectWithHistory();
    const clone = join(tempDir(), 'ci');
    git(dir, ['clone', '-q', '--depth', '3', `file://${dir}`, clone]);
    expect(git(clone, ['rev-parse', '--is-shallow-repository']).trim()).toBe('true');
    const path = `.agents/memory/${id}.md`;
    const before = commitEntries(read(clone, path));
    expect(before.length).toBeGreaterThanOrEqual(7);
    const doctor = baton(clone, ['doctor']);
    expect(doctor.stdout).not.toMatch(/stale entry/);
    expect(doctor.stdout).toMatch(/this clone is shallow: \d+ commit entries name commits beyond its cut/);
    expect(doctor.stdout).toContain('git fetch --unshallow');
    baton(clone, ['doctor', '--fix']);
    expect(commitEntries(read(clone, path))).toEqual(before);
    ok(clone, ['memory', 'rebuild']);
    expect(commitEntries(read(clone, path))).toEqual(before);
  });

  it('a graft that cuts history: the entries before the cut are kept', () => {
    const { dir, id } = projectWithHistory();
    const path = `.agents/memory/${id}.md`;
    const before = commitEntries(read(dir, path));
    // Cut history two commits below HEAD (a graft with no parents).
    const cutAt = git(dir, ['rev-parse', 'HEAD~2']).trim();
    writeFileSync(join(dir, '.git/info/grafts'), `${cutAt}\n`);
    const doctor = baton(dir, ['doctor']);
    expect(doctor.stdout).not.toMatch(/stale entry/);
    expect(doctor.stdout).toMatch(/this clone is grafted/);
    baton(dir, ['doctor', '--fix']);
    expect(commitEntries(read(dir, path))).toEqual(before);
  });
});
