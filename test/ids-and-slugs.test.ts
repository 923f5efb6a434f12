/**
 * Issue 19 item 11: `plan --import --dry-run` names the ids the real import
 * uses; slugs (in task file and branch names) end on a whole word and two
 * tasks whose titles start alike never share one.
 */
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOOD_PLAN } from './helpers/model-answers.js';
import { addTask, git, makeProject, ok, taskFile, write } from './helpers/repo.js';

describe('plan --import --dry-run', () => {
  it('shows the ids the import then uses, and two clones importing one answer still pick different ids', () => {
    const dir = makeProject();
    write(dir, 'answer.json', JSON.stringify(GOOD_PLAN));
    const dry = JSON.parse(ok(dir, ['plan', '--import', 'answer.json', '--dry-run', '--json'])) as { created: { key: string; id: string }[] };
    expect(dry.created.map((c) => c.key)).toEqual(['db', 'login', 'todos']);
    const text = ok(dir, ['plan', '--import', 'answer.json', '--dry-run']);
    for (const c of dry.created) expect(text).toContain(`+ ${c.id}  `);
    const real = JSON.parse(ok(dir, ['plan', '--import', 'answer.json', '--json'])) as { created: { key: string; id: string; dependsOn: string[] }[] };
    expect(real.created.map((c) => [c.key, c.id])).toEqual(dry.created.map((c) => [c.key, c.id]));
    expect(real.created[2]!.dependsOn).toEqual([dry.created[0]!.id, dry.created[1]!.id]);

    const other = makeProject();
    write(other, 'answer.json', JSON.stringify(GOOD_PLAN));
    const theirs = JSON.parse(ok(other, ['plan', '--import', 'answer.json', '--json'])) as { created: { id: string }[] };
    expect(theirs.created.map((c) => c.id)).not.toEqual(real.created.map((c) => c.id));
  });
});

describe('slugs', () => {
  it('end on a whole word, and two long titles that start alike get two slugs', () => {
    const dir = makeProject();
    const a = addTask(dir, 'Journey test: the README\'s loop by hand on a copy of a real library');
    const b = addTask(dir, 'Journey test: the README\'s loop by hand on a copy of another library');
    const fileA = basename(taskFile(dir, a));
    const fileB = basename(taskFile(dir, b));
    const slugA = fileA.slice(a.length + 1, -'.md'.length);
    const slugB = fileB.slice(b.length + 1, -'.md'.length);
    expect(slugA).toMatch(/^journey-test-the-readme-s-loop-by-[0-9a-f]{4}$/);
    expect(slugB).toMatch(/^journey-test-the-readme-s-loop-by-[0-9a-f]{4}$/);
    expect(slugA).not.toBe(slugB);
    expect(slugA.length).toBeLessThanOrEqual(40);
    git(dir, ['add', '-A']);
    if (git(dir, ['status', '--porcelain'])) git(dir, ['commit', '-qm', 'plan']);
    const started = JSON.parse(ok(dir, ['start', a, '--json'])) as { branch: string };
    expect(started.branch).toBe(`task/${a}-${slugA}`);
    // A short title is left whole.
    const c = addTask(dir, 'Add login endpoint');
    expect(basename(taskFile(dir, c))).toBe(`${c}-add-login-endpoint.md`);
  });
});
