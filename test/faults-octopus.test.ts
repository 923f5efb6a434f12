/**
 * An octopus merge (`git merge a b c`: git's octopus strategy, which ignores
 * merge drivers and `merge=union`) of task branches made the ordinary way:
 * `baton start`, commits, `baton done`. No file is changed by two of them, so
 * nothing conflicts; memory records every commit once; plan.md's table shows
 * the merged statuses after the next baton command.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addTask, git, makeProject, ok, read } from './helpers/repo.js';
import { blockRows } from '../src/tasks/plan.js';
import { clean, commitFile, commitRefs, shas, short } from './hooks-util.js';

describe('an octopus merge of three task branches', () => {
  let dir: string;
  let ids: string[];
  let branches: string[];
  let before: string;
  beforeAll(() => {
    dir = makeProject({ hooks: true });
    ids = ['Left', 'Middle', 'Right'].map((t) => addTask(dir, t));
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Plan three tasks']);
    commitFile(dir, 'main.txt', 'main\n', 'Main moves on'); // main has a queued entry of its own
    before = git(dir, ['rev-parse', 'HEAD']).trim();
    branches = [];
    for (const [i, id] of ids.entries()) {
      git(dir, ['checkout', '-q', 'main']);
      // Two in this checkout, one in a worktree of its own (as parallel agents work).
      const worktree = i === 2;
      const started = JSON.parse(ok(dir, ['start', id, '--json', ...(worktree ? ['--worktree'] : [])])) as { branch: string; dir: string };
      branches.push(started.branch);
      commitFile(started.dir, `${id}.txt`, 'one\n', `First step of ${id}`);
      commitFile(started.dir, `${id}.txt`, 'one\ntwo\n', `Second step of ${id}`);
      git(dir, ['checkout', '-q', 'main']);
      ok(dir, ['done', id, '--skip-checks']);
      expect(clean(started.dir)).toBe('');
    }
    git(dir, ['checkout', '-q', 'main']);
  });

  it('no two task branches change the same file, and plan.md is changed by none', () => {
    const touched = branches.map((b) => git(dir, ['diff', '--name-only', `${before}...${b}`]).split('\n').filter(Boolean));
    for (const files of touched) expect(files).not.toContain('.agents/plan.md');
    const all = touched.flat();
    expect(all.filter((f, i) => all.indexOf(f) !== i)).toEqual([]);
  });

  it('merges without a conflict, records every commit of every branch exactly once, and rebuilds the table', () => {
    git(dir, ['merge', '--no-edit', ...branches]); // throws on a conflict
    // main had not moved: git fast-forwards to the first branch and merges the other two into it.
    expect(git(dir, ['log', '-1', '--format=%P']).trim().split(' ')).toHaveLength(3);
    expect(clean(dir)).toBe('');

    // Reading changes nothing: status reads the merged task files, and commits nothing.
    const head = git(dir, ['rev-parse', 'HEAD']).trim();
    const shown = JSON.parse(ok(dir, ['status', '--json'])) as { counts: Record<string, number> };
    expect(shown.counts.done).toBe(3);
    expect(git(dir, ['rev-parse', 'HEAD']).trim()).toBe(head);
    // The next baton command that commits (here `sync`) rebuilds plan.md's table and commits it alone.
    ok(dir, ['sync']);
    const rows = blockRows(read(dir, '.agents/plan.md'));
    expect(ids.map((id) => rows.get(id)?.status)).toEqual(['done', 'done', 'done']);
    expect(git(dir, ['log', '-1', '--format=%s']).trim()).toBe('Plan: the task table after a merge');
    const files = git(dir, ['show', '--name-only', '--format=', 'HEAD']).split('\n').filter(Boolean);
    expect(files).toContain('.agents/plan.md'); // with the memory the hook wrote for the merge, nothing else
    expect(files.filter((f) => f !== '.agents/plan.md' && !f.startsWith('.agents/memory/'))).toEqual([]);
    // `sync` then wrote the queued entries into memory, uncommitted (as it always does): nothing else changed.
    expect(clean(dir).split('\n').filter(Boolean).every((l) => / \.agents\/memory\//.test(l))).toBe(true);

    // The next commit on main writes what waited: the merged tips (the Done commits) go to their tasks.
    git(dir, ['add', '.agents/memory']); // what `sync` wrote goes with the next commit, as a user's would
    commitFile(dir, 'after.txt', 'after\n', 'After the merge');
    expect(clean(dir)).toBe('');
    ids.forEach((id, i) => {
      // baton's own Start and Done commits are bookkeeping, not entries.
      const expected = shas(dir, ['--invert-grep', '--grep=^Baton-Commit: ', `${before}..${branches[i]}`]).map(short);
      const refs = commitRefs(dir, id);
      expect(refs.length, id).toBe(new Set(refs).size); // once
      expect([...refs].sort(), id).toEqual([...expected].sort()); // every commit of its branch, nothing else
    });
    // main's own commits, each once in project.md (the last one waits in the queue).
    const project = commitRefs(dir, 'project');
    expect(project.length).toBe(new Set(project).size);
    const mainOwn = ['HEAD~2', before].map((r) => short(git(dir, ['rev-parse', r]).trim())); // merge, main (baton's table refresh and Plan commits are no entries)
    const batons = ['HEAD~1', `${before}~1`].map((r) => short(git(dir, ['rev-parse', r]).trim()));
    expect(project.filter((r) => batons.includes(r))).toEqual([]);
    expect(project.filter((r) => mainOwn.includes(r)).sort()).toEqual([...mainOwn].sort());
    expect(read(dir, '.agents/plan.md')).not.toMatch(/^[<=>]{7}/m);
  });
});
