/**
 * Bad calls through `baton mcp`: a tool error with the CLI's own message (file:line and hint),
 * and not one file, commit or branch changed. Two clients writing at once lose nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, read, taskFile, write } from './helpers/repo.js';
import { call, connect, data, repoState, textOf, type Connection } from './mcp-util.js';

describe('baton mcp: errors change nothing', () => {
  let dir: string;
  let id: string;
  let mcp: Connection;

  beforeAll(async () => {
    dir = makeProject();
    id = addTask(dir, 'Only task');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Plan']);
    mcp = await connect(dir);
  });
  afterAll(async () => mcp?.close());

  const bad: [string, string, Record<string, unknown>, string[]][] = [
    ['an unknown id', 'log', { id: 'T-ffff', outcome: 'success', summary: 'x' }, ['log', 'T-ffff', '--outcome', 'success', '--summary', 'x']],
    ['an unknown id', 'start', { id: 'T-ffff' }, ['start', 'T-ffff']],
    ['an unknown id', 'done', { id: 'T-ffff' }, ['done', 'T-ffff']],
    ['nothing to log', 'log', { id: 'ONLY' }, []],
    ['a dependency that does not exist', 'task_add', { title: 'New', dependsOn: ['T-eeee'] }, ['task', 'add', 'New', '-d', 'T-eeee']],
    ['a malformed plan answer', 'plan_import', { answer: 'no plan here' }, []],
  ];

  for (const [what, tool, args, cli] of bad) {
    it(`${tool} with ${what}: a tool error with the CLI's message, no file changed`, async () => {
      const realArgs = JSON.parse(JSON.stringify(args).replace('ONLY', id)) as Record<string, unknown>;
      const before = repoState(dir);
      const r = await call(mcp.client, tool, realArgs);
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/^baton: /);
      expect(repoState(dir)).toEqual(before);
      if (cli.length) {
        const viaCli = baton(dir, cli);
        expect(viaCli.code).not.toBe(0);
        expect(textOf(r)).toBe(viaCli.stderr.trim());
      }
    });
  }

  it('refuses an outcome outside success|partial|failure before anything runs', async () => {
    const before = repoState(dir);
    const r = await call(mcp.client, 'log', { id, outcome: 'great', summary: 'x' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/outcome/);
    expect(textOf(r)).toMatch(/success/);
    expect(repoState(dir)).toEqual(before);
  });

  it('names the file and line of a broken task file, as the CLI does', async () => {
    const path = taskFile(dir, id);
    const good = git(dir, ['show', `HEAD:${path}`]);
    write(dir, path, good.replace(/^status: todo$/m, 'status: finished'));
    try {
      const before = repoState(dir);
      const r = await call(mcp.client, 'task_set', { id, title: 'Renamed' });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toContain(`${path}:`);
      expect(textOf(r)).toBe(baton(dir, ['task', 'set', id, '--title', 'Renamed']).stderr.trim());
      expect(repoState(dir)).toEqual(before);
    } finally {
      write(dir, path, good);
    }
  });
});

describe('baton mcp: two clients at once', () => {
  it('adds every task from two servers writing at the same time, each file whole and each id distinct', async () => {
    const dir = makeProject();
    const [a, b] = await Promise.all([connect(dir), connect(dir)]);
    try {
      const adds = [a, b].flatMap((c, n) => Array.from({ length: 6 }, (_, i) => data(c.client, 'task_add', { title: `Task ${n}-${i}` })));
      const made = await Promise.all(adds);
      expect(new Set(made.map((t) => t.id)).size).toBe(12);
      const listed = (JSON.parse(ok(dir, ['task', 'list', '--json'])) as { tasks: { id: string; title: string }[] }).tasks;
      expect(listed.map((t) => t.id).sort()).toEqual(made.map((t) => t.id).sort());
      // plan.md's task table is rewritten on every add, under the CLI's lock: no row lost.
      const plan = read(dir, '.agents/plan.md');
      for (const t of made) expect(plan).toContain(t.id);
      expect(ok(dir, ['doctor'])).not.toMatch(/error/i);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
