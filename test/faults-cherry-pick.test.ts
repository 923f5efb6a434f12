/**
 * A cherry-pick across task branches (issue 21): the picked commit carries the
 * other task's memory entries for commits this branch does not have. It must be
 * recorded once, in the task its `Task:` trailer names, and bring no entry for a
 * commit that is not here: `doctor` then calls nothing stale.
 */
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, read } from './helpers/repo.js';
import { clean, commitFile, commitRefs, short } from './hooks-util.js';

describe('a cherry-pick of another task\'s commit', () => {
  it('records the picked commit once, where its trailer says, and nothing of the other branch; doctor calls nothing stale', () => {
    const dir = makeProject({ hooks: true });
    const [a, b] = [addTask(dir, 'Left'), addTask(dir, 'Right')];
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Two tasks']);
    git(dir, ['checkout', '-q', '-b', `task/${a}-left`]);
    commitFile(dir, 'a1.txt', 'a1\n', 'Left one');
    commitFile(dir, 'a2.txt', 'a2\n', 'Left two');
    const a3 = commitFile(dir, 'a3.txt', 'a3\n', 'Left three'); // carries the entry of `Left two`
    commitFile(dir, 'a4.txt', 'a4\n', 'Left four'); // carries the entry of `Left three`
    git(dir, ['checkout', '-q', '-b', `task/${b}-right`, 'main']);
    commitFile(dir, 'b1.txt', 'b1\n', 'Right one');
    git(dir, ['cherry-pick', a3]);
    const picked = git(dir, ['rev-parse', 'HEAD']).trim();
    expect(clean(dir)).toBe('');
    commitFile(dir, 'b2.txt', 'b2\n', 'Right two');
    commitFile(dir, 'b3.txt', 'b3\n', 'Right three');
    expect(clean(dir)).toBe('');
    // Left's memory here: the pick, once, under its new SHA; no entry for Left one or two (not on this branch).
    expect(commitRefs(dir, a)).toEqual([short(picked)]);
    expect(read(dir, `.agents/memory/${a}.md`)).not.toMatch(/Left (one|two)/);
    const doctor = baton(dir, ['doctor']);
    expect(doctor.stdout + doctor.stderr).not.toMatch(/stale/i);
    // Back on Left, nothing of Right's pick is there, and Left's own entries are whole.
    git(dir, ['checkout', '-q', `task/${a}-left`]);
    commitFile(dir, 'a5.txt', 'a5\n', 'Left five');
    expect(read(dir, `.agents/memory/${a}.md`)).not.toContain(short(picked));
  });
});
