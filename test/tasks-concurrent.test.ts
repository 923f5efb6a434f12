import { describe, expect, it } from 'vitest';
import { batonAsync, makeProject, ok, read } from './helpers/repo.js';

describe('baton processes writing at the same moment', () => {
  it('eight parallel `task add`s all land in the files and in plan.md\'s table', async () => {
    const dir = makeProject();
    const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => batonAsync(dir, ['task', 'add', `Parallel task ${i}`, '--json'])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const ids = runs.map((r) => (JSON.parse(r.stdout) as { id: string }).id);
    expect(new Set(ids).size).toBe(8);
    const listed = (JSON.parse(ok(dir, ['task', 'list', '--json'])).tasks as { id: string }[]).map((t) => t.id);
    expect(listed.sort()).toEqual([...ids].sort());
    const plan = read(dir, '.agents/plan.md');
    for (let i = 0; i < 8; i++) expect(plan).toContain(`| Parallel task ${i} | ready |`);
  });
});
