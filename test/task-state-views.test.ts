/**
 * Every view tells the same state: after `start` (one task in a worktree, one
 * on a branch of the main checkout), read from the base checkout, `status`,
 * `task list`, `task show`, `graph --json`, `next`, MCP's tools and resources
 * and the board say in-progress, and the headlines count each task once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, git, makeProject, ok, tempDir } from './helpers/repo.js';
import { connect, data } from './mcp-util.js';

const json = (dir: string, args: string[]) => JSON.parse(ok(dir, [...args, '--json']));

describe('one task state in every view', () => {
  it('after start, from the base checkout, every view says in-progress', async () => {
    const dir = makeProject();
    const a = addTask(dir, 'Schema');
    const b = addTask(dir, 'Login', '-d', a);
    const c = addTask(dir, 'Readme');
    const d = addTask(dir, 'Changelog');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'plan']);
    ok(dir, ['start', a, '--worktree']);
    ok(dir, ['start', c]);
    git(dir, ['switch', '-q', 'main']);

    const expected: Record<string, string> = { [a]: 'in-progress', [b]: 'todo', [c]: 'in-progress', [d]: 'todo' };
    const byId = (tasks: { id: string; status: string }[]) => Object.fromEntries(tasks.map((t) => [t.id, t.status]));

    const status = json(dir, ['status']);
    expect(byId([...status.ready, ...status.inProgress, ...status.blocked])).toEqual(expected);
    expect(status.headline).toBe('0/4 done · 1 ready · 1 todo · 2 in-progress');
    expect(ok(dir, ['status'])).toContain('0/4 done · 1 ready · 1 todo · 2 in-progress');
    expect(byId(json(dir, ['task', 'list']).tasks)).toEqual(expected);
    expect(ok(dir, ['task', 'list'])).toMatch(new RegExp(`${a} +in-progress +Schema`));
    expect(byId(json(dir, ['graph']).nodes)).toEqual(expected);
    expect(json(dir, ['next']).tasks.map((t: { id: string }) => t.id)).toEqual([d]);
    for (const id of [a, b, c, d]) expect(json(dir, ['task', 'show', id]).status, id).toBe(expected[id]);
    const shown = json(dir, ['task', 'show', a]);
    expect(shown).toMatchObject({ status: 'in-progress', statusHere: 'todo', branch: `task/${a}-schema` });
    expect(ok(dir, ['task', 'show', c])).toMatch(/status: +in-progress\nhere: +todo/);

    const mcp = await connect(dir);
    try {
      const s = await data(mcp.client, 'status');
      expect(byId([...s.ready, ...s.inProgress, ...s.blocked])).toEqual(expected);
      expect((await data(mcp.client, 'next')).tasks.map((t: { id: string }) => t.id)).toEqual([d]);
      for (const id of [a, b, c, d]) expect((await data(mcp.client, 'task_show', { id })).status, id).toBe(expected[id]);
      const { resources } = await mcp.client.listResources();
      expect(resources.find((r) => r.uri === `baton://tasks/${a}`)?.title).toBe(`${a}: Schema [in-progress]`);
    } finally {
      await mcp.close();
    }

    const site = join(tempDir(), 'site');
    ok(dir, ['board', '--out', site]);
    const index = readFileSync(join(site, 'index.html'), 'utf8');
    expect(index).toContain('<p id="headline">0/4 done · 1 ready · 1 todo · 2 in-progress</p>');
    // The column a task's card is in: the last one opened before it.
    const column = (id: string) => [...index.slice(0, index.indexOf(`data-id="${id}"`)).matchAll(/<section class="col" id="col-([a-z-]+)">/g)].pop()?.[1];
    expect(Object.fromEntries([a, b, c, d].map((id) => [id, column(id)]))).toEqual(expected);
  });
});
