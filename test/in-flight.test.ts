import { describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, read, taskFile, write } from './helpers/repo.js';

describe('work in flight on unmerged task branches', () => {
  it('status and next on main show tasks in progress or finished on their branches', () => {
    const dir = makeProject();
    const a = addTask(dir, 'Schema');
    const b = addTask(dir, 'Login', '-d', a);
    const c = addTask(dir, 'Docs');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'plan']);

    // Work on A's branch: finished there, not merged.
    git(dir, ['checkout', '-q', '-b', `task/${a}-schema`]);
    const pathA = taskFile(dir, a);
    write(dir, pathA, read(dir, pathA).replace('status: todo', 'status: done'));
    git(dir, ['commit', '-qam', 'schema done']);
    // C in progress on its own branch.
    git(dir, ['checkout', '-q', 'main']);
    git(dir, ['checkout', '-q', '-b', `task/${c}-docs`]);
    const pathC = taskFile(dir, c);
    write(dir, pathC, read(dir, pathC).replace('status: todo', 'status: in-progress'));
    git(dir, ['commit', '-qam', 'docs started']);
    git(dir, ['checkout', '-q', 'main']);

    expect(read(dir, pathA)).toContain('status: todo');
    const text = ok(dir, ['status']);
    expect(text).toContain(`${c}  Docs  [in-progress]  (on task/${c}-docs, not merged)`);
    expect(text).toContain(`Done on unmerged branches (1):\n  ${a}  on task/${a}-schema`);
    const json = JSON.parse(ok(dir, ['status', '--json']));
    expect(json.inFlight).toEqual(expect.arrayContaining([
      { id: a, branch: `task/${a}-schema`, status: 'done' },
      { id: c, branch: `task/${c}-docs`, status: 'in-progress' },
    ]));
    // Neither A (taken) nor B (its dependency is not merged) nor C is ready on main.
    const none = baton(dir, ['next', '--json']);
    expect(none.code).toBe(1); // nothing ready (README, "Exit codes")
    expect(JSON.parse(none.stdout).tasks).toEqual([]);

    // Once A's branch is merged, B becomes ready and A is no longer "in flight".
    git(dir, ['merge', '-q', '--no-edit', `task/${a}-schema`]);
    expect((JSON.parse(ok(dir, ['next', '--json'])).tasks as { id: string }[]).map((t) => t.id)).toEqual([b]);
    expect(ok(dir, ['status'])).not.toContain('Done on unmerged branches');
    expect(ok(dir, ['status', '--no-branches'])).not.toContain('not merged');
  });
});
