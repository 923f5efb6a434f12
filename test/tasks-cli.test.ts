import { describe, expect, it } from 'vitest';
import { addTask, baton, makeProject, ok, read, snapshotFiles, taskFile, write } from './helpers/repo.js';

describe('task commands', () => {
  it('adds tasks with dependencies, phases, checks and files; shows and lists them', () => {
    const dir = makeProject();
    const db = addTask(dir, 'Set up database', '--phase', 'DB', '--check', 'npm test -- db', '--criterion', 'schema exists');
    const login = addTask(dir, 'Add login endpoint', '--depends-on', db, '--phase', 'API', '--file', 'src/api/login.ts');
    expect(db).toMatch(/^T-[0-9a-f]{4}$/);
    const file = read(dir, taskFile(dir, login));
    expect(file).toMatch(new RegExp(`^---\\nid: ${login}\\ntitle: Add login endpoint\\nstatus: todo\\ndepends_on: \\[${db}\\]\\nphase: API\\nfiles: \\[src/api/login.ts\\]\\ncreated: `));
    expect(read(dir, taskFile(dir, db))).toContain('- [ ] schema exists');

    const shown = ok(dir, ['task', 'show', login.slice(0, 5)]);
    expect(shown).toContain(`${login}  Add login endpoint`);
    expect(shown).toContain(`depends on: ${db}`);

    const list = (JSON.parse(ok(dir, ['task', 'list', '--json'])) as { tasks: { id: string }[] }).tasks;
    expect(list.map((t) => t.id)).toEqual([db, login]);
    const api = (JSON.parse(ok(dir, ['task', 'list', '--phase', 'API', '--json'])) as { tasks: { id: string }[] }).tasks;
    expect(api.map((t) => t.id)).toEqual([login]);
  });

  it('takes a title that starts with a dash after `--`, and refuses no title at all', () => {
    const dir = makeProject();
    const id = ok(dir, ['task', 'add', '--json', '--', '- leading dash']);
    expect(read(dir, taskFile(dir, (JSON.parse(id) as { id: string }).id))).toContain('title: "- leading dash"');
    const none = baton(dir, ['task', 'add']);
    expect(none.code).toBe(2); // a usage error
    expect(none.stderr).toContain('a task needs a title');
  });

  it('keeps the plan.md task table and mermaid graph in step with the tasks', () => {
    const dir = makeProject();
    const a = addTask(dir, 'First');
    const b = addTask(dir, 'Second', '-d', a);
    const plan = read(dir, '.agents/plan.md');
    expect(plan).toContain(`| [${a}](tasks/${a}-first.md) | First | ready |`);
    expect(plan).toContain(`| [${b}](tasks/${b}-second.md) | Second | todo |  | ${a} |`);
    expect(plan).toContain(`${a.replace('-', '_')} --> ${b.replace('-', '_')}`);
    ok(dir, ['task', 'set', a, '--status', 'done']);
    expect(read(dir, '.agents/plan.md')).toContain(`| Second | ready |`);
    expect(ok(dir, ['graph'])).toContain(`class ${a.replace('-', '_')} done`);
  });

  it('set changes only the named fields of a hand-edited file', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Hand edited');
    const path = taskFile(dir, id);
    const edited = read(dir, path).replace('status: todo', 'status: todo   # we will see\nowner: dana') + '\nNotes a person wrote.\n';
    write(dir, path, edited);
    ok(dir, ['task', 'set', id, '--status', 'in-progress', '--phase', 'Later']);
    expect(read(dir, path)).toBe(edited.replace('status: todo ', 'status: in-progress ').replace('owner: dana\n', 'owner: dana\n').replace(/\n---\n## Context/, '\nphase: Later\n---\n## Context'));
  });

  it('next orders ready tasks: dependencies first, then phase, then creation', () => {
    const dir = makeProject();
    const a = addTask(dir, 'A', '--phase', 'One');
    const b = addTask(dir, 'B', '--phase', 'Two');
    const c = addTask(dir, 'C', '--phase', 'One');
    const d = addTask(dir, 'D', '-d', a);
    expect((JSON.parse(ok(dir, ['next', '--json'])).tasks as { id: string }[]).map((t) => t.id)).toEqual([a, c, b]);
    ok(dir, ['task', 'set', a, '-s', 'done']);
    expect((JSON.parse(ok(dir, ['next', '--json'])).tasks as { id: string }[]).map((t) => t.id)).toEqual([c, b, d]);
  });

  it('status counts by status and phase, lists ready and what blocked tasks wait on', () => {
    const dir = makeProject();
    const a = addTask(dir, 'Schema', '--phase', 'DB');
    const b = addTask(dir, 'Login', '--phase', 'API', '-d', a);
    ok(dir, ['task', 'set', a, '-s', 'in-progress']);
    const text = ok(dir, ['status']);
    expect(text).toContain('0/2 done · 1 todo · 1 in-progress');
    expect(text).toMatch(/DB\s+\[\.{20}\] 0\/1/);
    expect(text).toContain(`${b}  Login  waits on ${a}`);
    const json = JSON.parse(ok(dir, ['status', '--json']));
    expect(json.counts).toMatchObject({ todo: 1, 'in-progress': 1, done: 0 });
    expect(json.blocked).toEqual([expect.objectContaining({ id: b, waitingOn: [a] })]);
  });

  it('status shows recent memory, leaving out baton\'s own bookkeeping commits', () => {
    const dir = makeProject();
    const a = addTask(dir, 'Schema');
    write(dir, `.agents/memory/${a}.md`, [
      `# Memory: ${a}`, '',
      '## 2026-11-22T10:00:00Z commit aaaaaaaaaaaa', `Start ${a}: Schema`, '', `- .agents/tasks/${a}-schema.md +2 -1`, '',
      '## 2026-11-22T10:05:00Z commit bbbbbbbbbbbb', 'Add users table', '', '- db/schema.sql +40 -0', '',
      '## 2026-11-22T10:06:00Z decision', 'Sessions live server-side.', '',
    ].join('\n'));
    const text = ok(dir, ['status']);
    expect(text).toContain(`2026-11-22T10:05:00Z ${a} commit bbbbbbbbbbbb  Add users table`);
    expect(text).toContain(`2026-11-22T10:06:00Z ${a} decision  Sessions live server-side.`);
    expect(text).not.toContain('aaaaaaaaaaaa');
  });

  it('edit validates the result of $EDITOR and keeps the file when it is broken', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Edit me');
    const path = taskFile(dir, id);
    const before = read(dir, path);
    write(dir, 'editor.sh', '#!/bin/sh\nsed -i "s/status: todo/status: nonsense/" "$1"\n');
    const bad = baton(dir, ['task', 'edit', id], { env: { EDITOR: `sh ${dir}/editor.sh` } });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${path}:4: unknown status \`nonsense\`; the task is unchanged`);
    expect(bad.stderr).toMatch(/Your edit is kept in \S+/);
    expect(read(dir, path)).toBe(before);
    write(dir, 'editor.sh', '#!/bin/sh\nsed -i "s/title: Edit me/title: Edited/" "$1"\n');
    ok(dir, ['task', 'edit', id], { env: { EDITOR: `sh ${dir}/editor.sh` } });
    expect(read(dir, path)).toBe(before.replace('title: Edit me', 'title: Edited'));
  });
});

describe('task commands refuse bad input and change nothing', () => {
  it('unknown and ambiguous ids, and ids that are paths', () => {
    const dir = makeProject();
    addTask(dir, 'One');
    const before = snapshotFiles(dir);
    const unknown = baton(dir, ['task', 'show', 'T-ffff9']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no task `T-ffff9`');
    const path = baton(dir, ['task', 'set', '../../x', '--status', 'done']);
    expect(path.code).toBe(1);
    expect(path.stderr).toContain('`../../x` is not a task id');
    const dep = baton(dir, ['task', 'add', 'Two', '--depends-on', 'T-0000']);
    expect(dep.code).toBe(1);
    expect(dep.stderr).toContain('no task `T-0000`');
    expect(snapshotFiles(dir)).toEqual(before);
  });

  it('an ambiguous prefix lists the candidates', () => {
    const dir = makeProject();
    const task = (id: string) => `---\nid: ${id}\ntitle: Task ${id}\n---\n`;
    write(dir, '.agents/tasks/T-ab12-one.md', task('T-ab12'));
    write(dir, '.agents/tasks/T-ab34-two.md', task('T-ab34'));
    const r = baton(dir, ['task', 'show', 'T-ab']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('`T-ab` matches 2 tasks: T-ab12 (Task T-ab12), T-ab34 (Task T-ab34)');
    expect(r.stderr).toContain('Type more characters');
    expect(ok(dir, ['task', 'show', 'ab3'])).toContain('T-ab34  Task T-ab34');
  });

  it('a dependency that would make a cycle is refused, naming the cycle', () => {
    const dir = makeProject();
    const a = addTask(dir, 'A');
    const b = addTask(dir, 'B', '-d', a);
    const before = snapshotFiles(dir);
    const r = baton(dir, ['task', 'set', a, '--add-dep', b]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`dependency cycle: (${a} → ${b} → ${a}|${b} → ${a} → ${b})`));
    expect(snapshotFiles(dir)).toEqual(before);
  });

  it('an unknown option is a usage error and the command does not run', () => {
    const dir = makeProject();
    const a = addTask(dir, 'A');
    const before = snapshotFiles(dir);
    const r = baton(dir, ['task', 'set', a, '--status', 'done', '--bogus']);
    expect(r.code).toBe(2); // usage errors exit 2 (README, "Exit codes")
    expect(r.stderr).toContain('unknown option `--bogus`. Usage: `baton task set <id>`.');
    expect(r.stderr).toContain('baton task --help');
    expect(snapshotFiles(dir)).toEqual(before);
  });

  it('an unknown status is refused with the list of statuses', () => {
    const dir = makeProject();
    const a = addTask(dir, 'A');
    const before = snapshotFiles(dir);
    const r = baton(dir, ['task', 'set', a, '--status', 'finished']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown status `finished`');
    expect(r.stderr).toContain('todo, in-progress, review, done, blocked, cancelled');
    expect(snapshotFiles(dir)).toEqual(before);
  });

  it('a malformed task file stops commands with its file and line, and nothing is written', () => {
    const dir = makeProject();
    const a = addTask(dir, 'A');
    const path = taskFile(dir, a);
    write(dir, path, read(dir, path).replace('status: todo', 'status: [todo'));
    const before = snapshotFiles(dir);
    const r = baton(dir, ['task', 'add', 'B']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${path.replace(/\./g, '\\.')}:\\d+: invalid YAML in front matter`));
    expect(snapshotFiles(dir)).toEqual(before);
    const s = baton(dir, ['status']);
    expect(s.code).toBe(1);
    expect(s.stderr).toContain(path);
  });
});
