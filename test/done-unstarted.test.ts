/**
 * `done` refuses a task that was never started, or whose dependencies are not
 * done, before it runs anything (no check, no commit), through the CLI and MCP,
 * with or without `--merge`; `--force` closes it anyway.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, read, repoState, taskFile, write } from './helpers/repo.js';
import { call, connect, textOf, type Connection } from './mcp-util.js';

/** A plan committed on main: A's check would pass on the base as it is (and leaves a mark when it runs). */
function planned(): { dir: string; a: string; b: string } {
  const dir = makeProject();
  const a = addTask(dir, 'Readme intro', '--check', 'touch check-ran && grep -q sample README.md');
  const b = addTask(dir, 'Readme usage', '-d', a, '--check', 'touch check-ran');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-qm', 'plan']);
  return { dir, a, b };
}

describe('done on a task that was never started', () => {
  let mcp: Connection | undefined;
  afterEach(async () => {
    await mcp?.close();
    mcp = undefined;
  });

  it('is refused with and without --merge: no check run, nothing committed; --force closes it', () => {
    const { dir, a } = planned();
    const before = repoState(dir);
    for (const args of [['done', a, '--merge'], ['done', a]]) {
      const r = baton(dir, args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(`\`${a}\` was never started (its status is \`todo\` here and on its branch, and no task branch has commits of its own); not closed`);
      expect(r.stderr).toContain(`Start it with \`baton start ${a}\``);
      expect(r.stderr).toContain(`baton done ${a} --force`);
      expect(existsSync(join(dir, 'check-ran'))).toBe(false);
      expect(repoState(dir)).toEqual(before);
    }
    expect(ok(dir, ['done', a, '--merge', '--force'])).toContain(`${a}: done on main`);
    expect(read(dir, taskFile(dir, a))).toContain('status: done');
  });

  it('over MCP too, and the refusal names the way on', async () => {
    const { dir, a } = planned();
    const before = repoState(dir);
    mcp = await connect(dir);
    for (const args of [{ id: a }, { id: a, merge: true }]) {
      const r = await call(mcp.client, 'done', args);
      expect(r.isError).toBe(true);
      expect(textOf(r)).toContain(`\`${a}\` was never started`);
      expect(textOf(r)).toContain(`baton start ${a}`);
    }
    expect(existsSync(join(dir, 'check-ran'))).toBe(false);
    expect(repoState(dir)).toEqual(before);
  });
});

describe('done on a task whose dependencies are not done', () => {
  it('is refused before its check runs, on the CLI and over MCP; --force merges it', async () => {
    const { dir, a, b } = planned();
    ok(dir, ['start', b, '--force']);
    write(dir, 'usage.md', 'Usage\n');
    git(dir, ['add', 'usage.md']);
    git(dir, ['commit', '-qm', 'Usage']);
    ok(dir, ['log', b, '--outcome', 'success', '--summary', 'Usage written']);
    const before = repoState(dir);
    for (const args of [['done', b, '--merge'], ['done', b]]) {
      const r = baton(dir, args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(`\`${b}\` waits on \`${a}\` (todo), not done on \`main\`; not closed`);
      expect(r.stderr).toContain(`baton done ${b} --force`);
    }
    const mcp = await connect(dir);
    try {
      const r = await call(mcp.client, 'done', { id: b, merge: true });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toContain(`\`${b}\` waits on \`${a}\` (todo)`);
    } finally {
      await mcp.close();
    }
    expect(existsSync(join(dir, 'check-ran'))).toBe(false);
    expect(repoState(dir)).toEqual(before);

    expect(ok(dir, ['done', b, '--merge', '--force'])).toContain('Merged into main');
    expect(read(dir, taskFile(dir, b))).toContain('status: done');
  });

  it('a dependency merged into the base after the branch forked counts as done', () => {
    const { dir, a, b } = planned();
    ok(dir, ['start', a]);
    write(dir, 'README.md', '# sample\n\nIntro.\n');
    git(dir, ['commit', '-qam', 'Intro']);
    ok(dir, ['log', a, '--outcome', 'success', '--summary', 'Intro written']);
    // B's worktree forks from main before A is merged.
    const wt = JSON.parse(ok(dir, ['start', b, '--force', '--worktree', '--json'])).dir as string;
    ok(dir, ['done', a, '--merge']);
    write(wt, 'usage.md', 'Usage\n');
    git(wt, ['add', 'usage.md']);
    git(wt, ['commit', '-qm', 'Usage']);
    ok(wt, ['log', b, '--outcome', 'success', '--summary', 'Usage written']);
    // Inside the worktree, A's file still says review: the base says done, and that decides.
    expect(read(wt, taskFile(wt, a))).not.toContain('status: done');
    expect(ok(wt, ['done', b])).toContain(`${b}: done on task/${b}-readme-usage`);
  });
});
