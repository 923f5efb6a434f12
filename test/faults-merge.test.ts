/** Merges: every commit of a merged branch reaches the base's memory, and memory files merge cleanly. */
import { describe, expect, it } from 'vitest';
import { addTask, git, makeProject, ok, read } from './helpers/repo.js';
import { clean, commitFile, commitRefs, flush, shas, short, taskRepo } from './hooks-util.js';

describe('merging task branches', () => {
  it('a plain `git merge`: the branch tip, whose entry waited in the branch queue, reaches main', () => {
    const { dir, id, branch } = taskRepo();
    commitFile(dir, 'a.txt', 'a\n', 'Add a');
    const tip = commitFile(dir, 'b.txt', 'b\n', 'Add b');
    git(dir, ['checkout', '-q', 'main']);
    commitFile(dir, 'm.txt', 'm\n', 'Main moves on');
    git(dir, ['merge', '-q', '--no-edit', branch]);
    commitFile(dir, 'n.txt', 'n\n', 'Next on main');
    expect(clean(dir)).toBe('');
    expect(commitRefs(dir, id)).toEqual(shas(dir, [`main~1^1..main~1^2`]).map(short));
    expect(commitRefs(dir, id)).toContain(short(tip));
  });

  it('a fast-forward merge: the tip reaches main too', () => {
    const { dir, id, branch } = taskRepo();
    commitFile(dir, 'a.txt', 'a\n', 'Add a');
    const tip = commitFile(dir, 'b.txt', 'b\n', 'Add b');
    git(dir, ['checkout', '-q', 'main']);
    git(dir, ['merge', '-q', '--ff-only', branch]);
    commitFile(dir, 'n.txt', 'n\n', 'Next on main');
    expect(commitRefs(dir, id)).toContain(short(tip));
    expect(commitRefs(dir, id)).toEqual(shas(dir, ['HEAD~1', '--not', 'HEAD~3']).map(short));
  });

  it('`baton done --merge`: main\'s memory has the work commit once, and no entry for baton\'s own Done commit', () => {
    const { dir, id } = taskRepo();
    const work = commitFile(dir, 'a.txt', 'a\n', 'Add a');
    ok(dir, ['done', id, '--merge', '--skip-checks']);
    expect(git(dir, ['branch', '--show-current']).trim()).toBe('main');
    const doneCommit = git(dir, ['log', '-1', '--format=%H', 'HEAD^2']).trim();
    expect(git(dir, ['log', '-1', '--format=%s', doneCommit])).toMatch(/^Done /);
    expect(commitRefs(dir, id)).not.toContain(short(doneCommit));
    expect(commitRefs(dir, id).filter((r) => r === short(work))).toHaveLength(1);
    expect(clean(dir)).toBe('');
  });

  it('the same memory file created by the hook on one branch and by Node on another merges with one title', () => {
    const dir = makeProject({ hooks: true });
    const id = addTask(dir, 'Shared memory file');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Add task']);
    git(dir, ['checkout', '-q', '-b', 'other']);
    commitFile(dir, 'fix.txt', 'fix\n', 'A fix for the task', ['-m', `Task: ${id}`]);
    commitFile(dir, 'more.txt', 'more\n', 'More'); // the hook creates the task's memory file here
    expect(commitRefs(dir, id)).toHaveLength(1);
    git(dir, ['checkout', '-q', 'main']);
    ok(dir, ['start', id]); // Node creates it on the task branch
    const branch = git(dir, ['branch', '--show-current']).trim();
    commitFile(dir, 'a.txt', 'a\n', 'Add a');
    git(dir, ['checkout', '-q', 'main']);
    git(dir, ['merge', '-q', '--no-edit', branch]);
    git(dir, ['merge', '-q', '--no-edit', 'other']);
    const text = read(dir, `.agents/memory/${id}.md`);
    expect(text.match(/^# Memory/gm)).toHaveLength(1);
    expect(text).toContain('A fix for the task');
    expect(text).not.toMatch(/^[<=>]{7}/m);
  });

  it('a cherry-pick from one task branch onto another does not conflict on memory', () => {
    const dir = makeProject({ hooks: true });
    const [a, b] = [addTask(dir, 'Left'), addTask(dir, 'Right')];
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Two tasks']); // the hook gives each task its memory file here
    git(dir, ['checkout', '-q', '-b', `task/${a}-left`]);
    commitFile(dir, 'a1.txt', 'a1\n', 'Left one');
    commitFile(dir, 'a2.txt', 'a2\n', 'Left two');
    const a3 = commitFile(dir, 'a3.txt', 'a3\n', 'Left three'); // carries the entry of `Left two`
    git(dir, ['checkout', '-q', '-b', `task/${b}-right`, 'main']);
    commitFile(dir, 'b1.txt', 'b1\n', 'Right one');
    git(dir, ['cherry-pick', a3]);
    expect(clean(dir)).toBe('');
    commitFile(dir, 'b2.txt', 'b2\n', 'Right two');
    expect(read(dir, `.agents/memory/${b}.md`)).not.toMatch(/^[<=>]{7}/m);
    expect(read(dir, `.agents/memory/${a}.md`)).not.toMatch(/^[<=>]{7}/m);
    expect(read(dir, `.agents/memory/${a}.md`)).toContain('Left three'); // the pick, by its Task: trailer
  });
});
