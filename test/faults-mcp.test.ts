/**
 * Bounded input through `baton mcp` (issue 21) and its `done` (issue 20): an 8 MB
 * argument, a 10 MiB request and a pattern that backtracks without end each get a
 * clear error, change nothing, and the server answers the next call; `done` takes
 * `acceptPlanChanges` as the CLI takes `--accept-plan-changes`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTask, git, makeProject, ok, read, taskFile } from './helpers/repo.js';
import { call, connect, data, repoState, textOf, type Connection } from './mcp-util.js';

describe('baton mcp: bounded input', () => {
  let dir: string;
  let id: string;
  let mcp: Connection;

  beforeAll(async () => {
    dir = makeProject();
    id = addTask(dir, 'Only task');
    ok(dir, ['log', id, '--outcome', 'partial', '--summary', `${'a'.repeat(40)}c`]);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Plan']);
    mcp = await connect(dir);
  });
  afterAll(async () => mcp?.close());

  const huge = 'x'.repeat(8_000_000);
  const cases: [string, Record<string, unknown>, string][] = [
    ['task_add', { title: huge }, 'title'],
    ['log', { id: 'ONLY', outcome: 'partial', summary: huge }, 'summary'],
    ['log', { id: 'ONLY', outcome: 'partial', bugs: ['short', huge] }, 'bugs\\[1\\]'],
  ];
  for (const [tool, args, field] of cases) {
    it(`${tool} with an 8 MB \`${field.replace(/\\/g, '')}\`: a tool error naming the field and the limit; nothing changed; the server answers on`, async () => {
      const before = repoState(dir);
      const r = await call(mcp.client, tool, JSON.parse(JSON.stringify(args).replace('ONLY', id)) as Record<string, unknown>);
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(new RegExp(`^baton: \`${field}\` is 8,000,000 characters; the limit is [\\d,]+`));
      expect(repoState(dir)).toEqual(before);
      expect((await data(mcp.client, 'status')).total).toBe(1);
    });
  }

  it('a 10 MiB request: an error saying the limit, and the server answers the next call', async () => {
    const before = repoState(dir);
    const r = await call(mcp.client, 'task_add', { title: 'Big', context: 'y'.repeat(17 * 1024 * 1024) });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^baton: the request is 17\.0 MiB; the limit is 16\.0 MiB/);
    expect(repoState(dir)).toEqual(before);
    const r2 = await call(mcp.client, 'task_add', { title: 'Big', context: 'y'.repeat(10 * 1024 * 1024) });
    expect(r2.isError).toBe(true);
    expect(textOf(r2)).toMatch(/^baton: `context` is 10,485,760 characters; the limit is 1,048,576/);
    expect(repoState(dir)).toEqual(before);
    expect((await data(mcp.client, 'status')).total).toBe(1);
  });

  it('memory_search with `(a+)+b` is refused at once with the reason, as `memory --grep` is; the server answers on', async () => {
    const r = await call(mcp.client, 'memory_search', { grep: '(a+)+b' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/pattern refused: a repeated group holds a repetition/);
    const found = await data<{ entries: { body: string }[] }>(mcp.client, 'memory_search', { grep: 'a+c' });
    expect(found.entries.map((e) => e.body).join('\n')).toContain('aaaac');
  });
});

describe('baton mcp: done takes acceptPlanChanges', () => {
  it('a branch that changed its own checks is refused at merge, and merged with `acceptPlanChanges: true`', async () => {
    const dir = makeProject();
    const id = addTask(dir, 'Loosen the check', '--check', 'true');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Plan']);
    ok(dir, ['start', id]);
    const file = taskFile(dir, id);
    writeFileSync(join(dir, file), read(dir, file).replace(/^checks: .*$/m, 'checks: [echo changed]'));
    writeFileSync(join(dir, 'work.txt'), 'work\n');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Work, and a changed check']);
    const mcp = await connect(dir);
    try {
      const refused = await call(mcp.client, 'done', { id, merge: true });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toContain('changes the plan');
      const done = await data(mcp.client, 'done', { id, merge: true, acceptPlanChanges: true });
      expect(done.merged?.into).toBe('main');
      expect(read(dir, 'work.txt')).toBe('work\n');
    } finally {
      await mcp.close();
    }
  });
});
