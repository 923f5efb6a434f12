/**
 * The planner and reviewer write while people keep working: `baton task add`
 * running while `baton plan` / `baton review` waits for the model (the scripted
 * server holds its answer until the adds are done) or imports an answer. Every
 * task file stays, and plan.md's table, rebuilt under the tasks lock from the
 * files on disk, has a row for each.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { blockRows } from '../src/tasks/plan.js';
import { addTask, batonAsync, git, makeProject, ok, read, write } from './helpers/repo.js';
import { modelEnv, startChatServer, type ChatServer } from './helpers/chat-server.js';
import { GOOD_PLAN, REQUIREMENTS } from './helpers/model-answers.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A promise the test resolves by hand: the model's answer waits on it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

async function addInParallel(dir: string, titles: string[]): Promise<string[]> {
  const runs = await Promise.all(titles.map((t) => batonAsync(dir, ['task', 'add', t, '--json'])));
  for (const r of runs) expect(r.code, r.stderr).toBe(0);
  return runs.map((r) => (JSON.parse(r.stdout) as { id: string }).id);
}

/** Every task id with a file, every id listed by `task list`, and every id with a row in plan.md's table. */
function state(dir: string): { files: string[]; listed: string[]; rows: string[] } {
  const files = readdirSync(join(dir, '.agents', 'tasks')).filter((n) => n.startsWith('T-')).map((n) => n.split('-').slice(0, 2).join('-'));
  const listed = (JSON.parse(ok(dir, ['task', 'list', '--json'])) as { tasks: { id: string }[] }).tasks.map((t) => t.id);
  const rows = [...blockRows(read(dir, '.agents/plan.md')).keys()];
  return { files: files.sort(), listed: listed.sort(), rows: rows.sort() };
}

describe('tasks added while a plan or a review is being written', () => {
  it('`plan --from`: tasks added while the model answers keep their files and get rows beside the new plan', async () => {
    const dir = makeProject();
    write(dir, 'REQUIREMENTS.md', REQUIREMENTS);
    const answer = gate();
    server = await startChatServer([{ content: JSON.stringify(GOOD_PLAN), gate: answer.promise }]);
    const planning = batonAsync(dir, ['plan', '--from', 'REQUIREMENTS.md', '--json'], { env: modelEnv(server) });
    await server.arrived(1); // the planner has read the project and built its prompt
    const added = await addInParallel(dir, ['Added during planning 1', 'Added during planning 2', 'Added during planning 3']);
    answer.open();
    const r = await planning;

    expect(r.code, r.stderr).toBe(0);
    const planned = (JSON.parse(r.stdout) as { created: { id: string }[] }).created.map((c) => c.id);
    expect(planned).toHaveLength(3);
    const all = [...added, ...planned].sort();
    expect(state(dir)).toEqual({ files: all, listed: all, rows: all });
    const plan = read(dir, '.agents/plan.md');
    expect(plan).toContain('## Goal\n\nA small todo API with login');
    expect(plan).toContain('| Added during planning 2 | ready |');
    expect(plan).toContain('| Create the users and todos tables | ready |');
    expect(server.requests).toHaveLength(1); // nothing was sent back to the model to repair
  });

  it('`plan --update --import` and `task add`s started together: no task file and no row is lost', async () => {
    const dir = makeProject();
    const first = addTask(dir, 'Existing work');
    write(dir, 'answer.json', JSON.stringify({ ...GOOD_PLAN, tasks: [{ id: first, title: 'Existing work, amended' }, ...GOOD_PLAN.tasks] }));
    const [imported, ...adds] = await Promise.all([
      batonAsync(dir, ['plan', '--update', '--import', 'answer.json', '--json']),
      ...['Racing add 1', 'Racing add 2', 'Racing add 3'].map((t) => batonAsync(dir, ['task', 'add', t, '--json'])),
    ]);
    for (const r of adds) expect(r.code, r.stderr).toBe(0);
    const added = adds.map((r) => (JSON.parse(r.stdout) as { id: string }).id);

    expect(imported!.code, imported!.stderr).toBe(0);
    const out = JSON.parse(imported!.stdout) as { created: { id: string }[]; amended: { id: string }[] };
    expect(out.amended.map((a) => a.id)).toEqual([first]);
    const all = [first, ...added, ...out.created.map((c) => c.id)].sort();
    expect(all).toHaveLength(7);
    expect(state(dir)).toEqual({ files: all, listed: all, rows: all });
    const plan = read(dir, '.agents/plan.md');
    expect(plan).toContain('| Existing work, amended | ready |');
    for (const t of ['Racing add 1', 'Racing add 2', 'Racing add 3']) expect(plan).toContain(`| ${t} | ready |`);
  });

  it('`review`: tasks added while the reviewer answers get rows beside its follow-up and its notes', async () => {
    const dir = makeProject();
    const done = addTask(dir, 'Reviewed work');
    ok(dir, ['task', 'set', done, '--status', 'done']);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'work']);
    const answer = gate();
    const review = {
      summary: 'The work is in.',
      follow_ups: [{ key: 'docs', title: 'Document the reviewed work', follows: done, reason: 'no docs yet' }],
      plan_changes: ['Every feature ships with its docs'],
    };
    server = await startChatServer([{ content: JSON.stringify(review), gate: answer.promise }]);
    const reviewing = batonAsync(dir, ['review', '--json'], { env: modelEnv(server) });
    await server.arrived(1); // the reviewer has read the tasks and the memory
    const added = await addInParallel(dir, ['Added during review 1', 'Added during review 2']);
    answer.open();
    const r = await reviewing;

    expect(r.code, r.stderr).toBe(0);
    const filed = (JSON.parse(r.stdout) as { filed: { id: string }[] }).filed.map((f) => f.id);
    expect(filed).toHaveLength(1);
    const all = [done, ...added, ...filed].sort();
    expect(state(dir)).toEqual({ files: all, listed: all, rows: all });
    const plan = read(dir, '.agents/plan.md');
    expect(plan).toContain('## Review notes\n\n- R-001: Every feature ships with its docs');
    expect(plan).toContain('| Added during review 1 | ready |');
    expect(plan).toContain('| Document the reviewed work | ready |');
  });
});
