/**
 * `baton import` / `baton export` with other planners' plans. The Task Master and Backlog.md plans
 * are made by their real CLIs from npm (pinned in scripts/planner-clis.json, installed into the
 * agent-CLI cache by scripts/install-agent-clis.mjs, run with only loopback where we may);
 * Spec Kit's tasks.md and Beads' JSONL are written in their formats' own shapes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CACHE } from './helpers/agent-clis.js';
import { baton, git, makeProject, makeRepo, ok, tempDir, write } from './helpers/repo.js';

const PLANNERS = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'scripts', 'planner-clis.json'), 'utf8')) as Record<string, { package: string; tested: string[]; command: string }>;
const bin = (name: string) => join(CACHE, `${PLANNERS[name]!.package}@${PLANNERS[name]!.tested[0]}`, 'node_modules', '.bin', PLANNERS[name]!.command);
const installed = existsSync(bin('taskmaster')) && existsSync(bin('backlog'));
if (!installed && !process.env.CI) console.warn(`import-planners: task-master-ai or backlog.md is not in ${CACHE}; skipping (run \`node scripts/install-agent-clis.mjs\`)`);

const NETNS = spawnSync('unshare', ['-n', 'true']).status === 0;
/** A planner's CLI, with only loopback where we may, its update check answered from its cache. */
function tool(name: string, cwd: string, args: string[], home: string): Promise<string> {
  const env = { ...process.env, HOME: home, TMPDIR: home, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' };
  const [cmd, ...rest] = NETNS ? ['unshare', '-n', bin(name), ...args] : [bin(name), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, rest, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${name} ${args.join(' ')} exited ${code}: ${out.slice(-2000)}`))));
  });
}

/** Task Master's plan: tasks, a dependency, two subtasks (one after the other), statuses, priorities. */
async function taskmasterPlan(): Promise<string> {
  const dir = tempDir('baton-tm-');
  const home = tempDir('baton-tm-home-');
  // Its update check reads this cache first (no registry call while it is fresh).
  writeFileSync(join(home, 'taskmaster-update-cache.json'), JSON.stringify({ timestamp: Date.now(), latestVersion: PLANNERS.taskmaster!.tested[0], highlights: [] }));
  mkdirSync(join(dir, '.taskmaster', 'tasks'), { recursive: true });
  writeFileSync(join(dir, '.taskmaster', 'tasks', 'tasks.json'), JSON.stringify({ master: { tasks: [], metadata: { created: new Date().toISOString(), description: 'Tasks for master context' } } }));
  const tm = (...args: string[]) => tool('taskmaster', dir, args, home);
  await tm('add-task', '--title', 'Set up the database', '--description', 'Create the schema', '--details', 'Use sqlite with one migration per table.', '--priority', 'high');
  await tm('add-task', '--title', 'Items API', '--description', 'REST endpoints for items', '--details', 'Express routes under /items.', '--dependencies', '1');
  await tm('add-subtask', '--parent', '2', '--title', 'List items', '--description', 'GET /items with paging');
  await tm('add-subtask', '--parent', '2', '--title', 'Create items', '--description', 'POST /items', '--dependencies', '2.1', '--status', 'in-progress');
  await tm('add-task', '--title', 'Write the README', '--description', 'How to run it', '--priority', 'low');
  await tm('set-status', '--id', '1', '--status', 'done');
  return dir;
}

/** The plan as baton holds it, by where each task came from: what must survive import and export. */
function plan(dir: string): Record<string, unknown>[] {
  const folder = join(dir, '.agents', 'tasks');
  const files = readdirSync(folder).filter((f) => /^T-.*\.md$/.test(f));
  const tasks = files.map((f) => {
    const text = readFileSync(join(folder, f), 'utf8');
    const [, fm, body] = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(text)!;
    return { data: parse(fm!) as Record<string, unknown>, body: body!.trim() };
  });
  const source = new Map(tasks.map((t) => [t.data.id as string, t.data.source as string]));
  return tasks.map(({ data, body }) => ({
    source: data.source, title: data.title, status: data.status ?? 'todo', phase: data.phase ?? null,
    files: data.files ?? [], checks: data.checks ?? [], priority: data.priority ?? null, labels: data.labels ?? [],
    after: ((data.depends_on as string[] | undefined) ?? []).map((d) => source.get(d)).sort(), body,
  })).sort((a, b) => String(a.source).localeCompare(String(b.source)));
}

const clean = (dir: string) => expect(git(dir, ['status', '--porcelain'])).toBe('');

/** Export in `format`, import into a fresh project and back into this one: the plan is the same, nothing is added. */
function roundTrip(dir: string, format: 'taskmaster' | 'backlog'): void {
  const out = tempDir('baton-export-');
  ok(dir, ['export', format, format === 'taskmaster' ? join(out, 'tasks.json') : out]);
  const fresh = makeProject();
  ok(fresh, ['import', format, format === 'taskmaster' ? join(out, 'tasks.json') : out]);
  expect(plan(fresh)).toEqual(plan(dir));
  const again = JSON.parse(ok(dir, ['import', format, format === 'taskmaster' ? join(out, 'tasks.json') : out, '--json'])) as { created: unknown[]; updated: unknown[] };
  expect(again.created).toEqual([]);
  expect(again.updated).toEqual([]);
  clean(dir);
}

describe.skipIf(!installed && !process.env.CI)(`plans made by the real task-master-ai@${PLANNERS.taskmaster!.tested[0]} and backlog.md@${PLANNERS.backlog!.tested[0]}`, () => {
  // Task Master takes seconds a command: its plan is made while the other tests run.
  const tmDir = installed ? taskmasterPlan() : Promise.reject(new Error(`task-master-ai is not installed in ${CACHE}`));
  tmDir.catch(() => {});

  it('Backlog.md: every task, dependency, subtask, status, label and criterion; a second import adds nothing; its CLI reads our export', async () => {
    const src = makeRepo();
    const home = tempDir('baton-bl-home-');
    const bl = (...args: string[]) => tool('backlog', src, args, home);
    await bl('init', 'shop', '--defaults');
    await bl('config', 'set', 'remoteOperations', 'false');
    await bl('task', 'create', 'Set up the database', '-d', 'Create the schema', '--ac', 'Migrations run', '--ac', 'Tables exist', '--priority', 'high', '-l', 'backend', '--plain');
    await bl('task', 'create', 'Items API', '-d', 'REST endpoints', '--dep', 'task-1', '--plain');
    await bl('task', 'create', 'List items', '-d', 'GET /items', '-p', 'task-2', '--plain');
    await bl('task', 'create', 'Create items', '-d', 'POST /items', '-p', 'task-2', '--dep', 'task-2.1', '--plain');
    await bl('task', 'create', 'Write the README', '-d', 'How to run it', '--plan', 'Install\nRun', '--dod', '`npm test`', '--ref', 'README.md', '-s', 'In Progress', '--plain');
    await bl('task', 'edit', 'task-1', '-s', 'Done');

    const dir = makeProject();
    const dry = ok(dir, ['import', 'backlog', src, '--dry-run']);
    expect(dry).toContain('5 new');
    expect(dry).toContain('Dry run: nothing was written.');
    clean(dir);
    const r = JSON.parse(ok(dir, ['import', 'backlog', src, '--json'])) as { created: { id: string; source: string; title: string }[]; commit: string };
    expect(r.created.map((t) => t.source).sort()).toEqual(['backlog#TASK-1', 'backlog#TASK-2', 'backlog#TASK-2.1', 'backlog#TASK-2.2', 'backlog#TASK-3']);
    expect(r.commit).toBeTruthy();
    clean(dir);
    const p = plan(dir);
    const by = (s: string) => p.find((t) => t.source === s)!;
    expect(by('backlog#TASK-1')).toMatchObject({ status: 'done', priority: 'high', labels: ['backend'] });
    expect(by('backlog#TASK-1').body).toMatch(/## Context\n\nCreate the schema[\s\S]*- \[ \] Migrations run\n- \[ \] Tables exist/);
    // A parent waits for its subtasks; subtasks wait for what the parent waits for, and for each other.
    expect(by('backlog#TASK-2').after).toEqual(['backlog#TASK-1', 'backlog#TASK-2.1', 'backlog#TASK-2.2']);
    expect(by('backlog#TASK-2.1').after).toEqual(['backlog#TASK-1']);
    expect(by('backlog#TASK-2.2').after).toEqual(['backlog#TASK-1', 'backlog#TASK-2.1']);
    expect(by('backlog#TASK-3')).toMatchObject({ status: 'in-progress', checks: ['npm test'], files: ['README.md'] });
    expect(by('backlog#TASK-3').body).toMatch(/## Requirements\n\n- Install\n- Run/);
    expect(ok(dir, ['doctor'])).toContain('All good');
    expect(ok(dir, ['next'])).toContain('List items');

    // The source changes: a second import updates the task it made, adds the new one, and duplicates nothing.
    await bl('task', 'edit', 'task-2.1', '-t', 'List items with paging');
    await bl('task', 'create', 'Deploy', '-d', 'Ship it', '--dep', 'task-2', '--plain');
    const second = JSON.parse(ok(dir, ['import', 'backlog', src, '--json'])) as { created: { source: string }[]; updated: { source: string; fields: string[] }[] };
    expect(second.created.map((t) => t.source)).toEqual(['backlog#TASK-4']);
    expect(second.updated).toEqual([expect.objectContaining({ source: 'backlog#TASK-2.1', fields: ['title'] })]);
    expect(plan(dir)).toHaveLength(6);
    clean(dir);

    roundTrip(dir, 'backlog');
    // Leaving is as easy as arriving: Backlog.md's own CLI lists the export.
    const out = tempDir('baton-bl-out-');
    git(out, ['init', '-q']);
    ok(dir, ['export', 'backlog', out]);
    const listed = await tool('backlog', out, ['task', 'list', '--plain'], home);
    for (const title of ['Set up the database', 'List items with paging', 'Create items', 'Deploy', 'Write the README']) expect(listed).toContain(title);
    expect(listed).toMatch(/Done:[\s\S]*Set up the database/);
  });

  it('Task Master: tasks, subtasks, dependencies, statuses and priorities; export→import is the identity; a cycle is refused with nothing written', async () => {
    const src = await tmDir;
    const dir = makeProject();
    const r = JSON.parse(ok(dir, ['import', 'taskmaster', src, '--json'])) as { created: { source: string; status: string }[] };
    expect(r.created.map((t) => `${t.source} ${t.status}`).sort()).toEqual(['taskmaster#1 done', 'taskmaster#2 todo', 'taskmaster#2.1 todo', 'taskmaster#2.2 in-progress', 'taskmaster#3 todo']);
    const p = plan(dir);
    const by = (s: string) => p.find((t) => t.source === s)!;
    expect(by('taskmaster#1')).toMatchObject({ title: 'Set up the database', priority: 'high' });
    expect(by('taskmaster#1').body).toContain('Create the schema\n\nUse sqlite with one migration per table.');
    expect(by('taskmaster#2').after).toEqual(['taskmaster#1', 'taskmaster#2.1', 'taskmaster#2.2']);
    expect(by('taskmaster#2.2').after).toEqual(['taskmaster#1', 'taskmaster#2.1']);
    expect(by('taskmaster#3')).toMatchObject({ priority: 'low', after: [] });
    clean(dir);
    expect(ok(dir, ['doctor'])).toContain('All good');
    // Nothing changed in Task Master: nothing changes here.
    expect(JSON.parse(ok(dir, ['import', 'taskmaster', src, '--json']))).toMatchObject({ created: [], updated: [], written: false });
    roundTrip(dir, 'taskmaster');

    // A cycle (and a dependency on a task that does not exist) is refused before anything is written.
    const file = join(src, '.taskmaster', 'tasks', 'tasks.json');
    const tm = JSON.parse(readFileSync(file, 'utf8'));
    tm.master.tasks[0].dependencies = ['3'];
    tm.master.tasks[2].dependencies = ['1'];
    writeFileSync(file, JSON.stringify(tm));
    const fresh = makeProject();
    const cyc = baton(fresh, ['import', 'taskmaster', file]);
    expect(cyc.code).toBe(1);
    expect(cyc.stderr).toMatch(/cycle/i);
    expect(cyc.stderr).toContain('taskmaster#1');
    tm.master.tasks[0].dependencies = ['9'];
    writeFileSync(file, JSON.stringify(tm));
    const unknown = baton(fresh, ['import', 'taskmaster', file]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('master.tasks[0]: depends on `taskmaster#9`, which is not a task of this plan');
    expect(readdirSync(join(fresh, '.agents', 'tasks')).filter((f) => f.startsWith('T-'))).toEqual([]);
    clean(fresh);
  }, 240_000); // Task Master's own start-up (seconds a command) is waited for here; baton's part is not timed.
});

describe('formats without an installable CLI, in their own shapes', () => {
  it('Spec Kit: phases kept, [P] runs in parallel, user stories wait only for the foundation, polish for every story, [x] done, paths as files', () => {
    const dir = makeProject();
    write(dir, 'specs/001-photo-albums/tasks.md', [
      '# Tasks: Photo albums', '', '**Input**: Design documents from `/specs/001-photo-albums/`', '',
      '## Format: `[ID] [P?] [Story] Description`', '', '- **[P]**: Can run in parallel', '',
      '## Phase 1: Setup (Shared Infrastructure)', '',
      '- [x] T001 Create project structure per implementation plan',
      '- [ ] T002 [P] Configure linting in .eslintrc.json', '',
      '## Phase 2: Foundational (Blocking Prerequisites)', '',
      '- [ ] T003 Setup database schema in src/db/schema.sql',
      '- [ ] T004 [P] Implement auth middleware in src/middleware/auth.ts',
      '- [ ] T005 [P] Setup API routing in src/routes/index.ts', '',
      '## Phase 3: User Story 1 - Create albums (Priority: P1) 🎯 MVP', '',
      '### Tests for User Story 1', '',
      '- [ ] T006 [P] [US1] Contract test for POST /albums in tests/contract/albums.test.ts', '',
      '### Implementation for User Story 1', '',
      '- [ ] T007 [P] [US1] Create Album model in src/models/album.ts',
      '- [ ] T008 [US1] Implement AlbumService in src/services/album.ts (depends on T007)', '',
      '## Phase 4: User Story 2 - Share albums (Priority: P2)', '',
      '- [ ] T009 [US2] Implement share links in src/services/share.ts', '',
      '## Phase 5: Polish & Cross-Cutting Concerns', '',
      '- [ ] T010 [P] Documentation updates in docs/', '',
      '## Dependencies & Execution Order', '', '```bash', '- [ ] T999 not a task: an example in a code block', '```', '',
    ].join('\n'));
    git(dir, ['add', 'specs']);
    git(dir, ['commit', '-q', '-m', 'Spec Kit tasks']);
    const r = JSON.parse(ok(dir, ['import', 'speckit', 'specs/001-photo-albums/tasks.md', '--json'])) as { created: unknown[] };
    expect(r.created).toHaveLength(10);
    const p = plan(dir);
    const by = (id: string) => p.find((t) => t.source === `speckit#001-photo-albums/${id}`)!;
    expect(by('T001')).toMatchObject({ status: 'done', phase: 'Setup (Shared Infrastructure)', after: [] });
    expect(by('T002').after).toEqual(['speckit#001-photo-albums/T001']);
    expect(by('T002').files).toEqual([]);
    // T004 and T005 are one parallel step after T003.
    expect(by('T004').after).toEqual(['speckit#001-photo-albums/T003']);
    expect(by('T005').after).toEqual(['speckit#001-photo-albums/T003']);
    expect(by('T004').files).toEqual(['src/middleware/auth.ts']);
    // Both stories wait for the foundation's last step, not for each other.
    expect(by('T006').after).toEqual(['speckit#001-photo-albums/T004', 'speckit#001-photo-albums/T005']);
    expect(by('T009').after).toEqual(['speckit#001-photo-albums/T004', 'speckit#001-photo-albums/T005']);
    expect(by('T006')).toMatchObject({ phase: 'User Story 1 - Create albums', labels: ['US1'] });
    // A sub-heading ends a parallel run; "(depends on T007)" is taken at its word.
    expect(by('T007').after).toEqual(['speckit#001-photo-albums/T006']);
    expect(by('T008')).toMatchObject({ after: ['speckit#001-photo-albums/T007'], title: 'Implement AlbumService in src/services/album.ts' });
    expect(by('T010')).toMatchObject({ after: ['speckit#001-photo-albums/T008', 'speckit#001-photo-albums/T009'], files: ['docs/'] });
    expect(p.some((t) => String(t.source).endsWith('T999'))).toBe(false);
    clean(dir);
    expect(ok(dir, ['status'])).toContain('User Story 1 - Create albums');
  });

  it('Beads JSONL: blocks, parent-child and dotted children, deleted issues dropped, priorities and types kept; a bad line is named', () => {
    const dir = makeProject();
    const issue = (o: Record<string, unknown>) => JSON.stringify({ created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', ...o });
    write(dir, '.beads/issues.jsonl', [
      issue({ id: 'bd-a1', title: 'Checkout epic', issue_type: 'epic', status: 'open', priority: 1 }),
      issue({ id: 'bd-a1.1', title: 'Cart totals', status: 'closed', priority: 2, acceptance_criteria: '- totals include tax\n- rounding is to the cent' }),
      issue({ id: 'bd-b2', title: 'Payment form', status: 'in_progress', priority: 0, labels: ['frontend'], dependencies: [{ issue_id: 'bd-b2', depends_on_id: 'bd-a1.1', type: 'blocks' }, { issue_id: 'bd-b2', depends_on_id: 'bd-a1', type: 'parent-child' }, { issue_id: 'bd-b2', depends_on_id: 'bd-zz', type: 'blocks' }] }),
      issue({ id: 'bd-c3', title: 'Fix rounding bug', issue_type: 'bug', status: 'open', description: 'Totals off by a cent', dependencies: [{ issue_id: 'bd-c3', depends_on_id: 'bd-b2', type: 'discovered-from' }] }),
      issue({ id: 'bd-zz', title: 'Old idea', status: 'tombstone' }),
      '',
    ].join('\n'));
    git(dir, ['add', '.beads']);
    git(dir, ['commit', '-q', '-m', 'Beads export']);
    ok(dir, ['import', 'beads', '.']);
    const p = plan(dir);
    const by = (id: string) => p.find((t) => t.source === `beads#${id}`)!;
    expect(p).toHaveLength(4);
    expect(by('bd-a1')).toMatchObject({ priority: 'P1', labels: ['epic'], after: ['beads#bd-a1.1', 'beads#bd-b2'] });
    expect(by('bd-a1.1')).toMatchObject({ status: 'done' });
    expect(by('bd-a1.1').body).toMatch(/- \[ \] totals include tax\n- \[ \] rounding is to the cent/);
    expect(by('bd-b2')).toMatchObject({ status: 'in-progress', priority: 'P0', after: ['beads#bd-a1.1'] });
    expect(by('bd-c3')).toMatchObject({ labels: ['bug'], after: [] });
    expect(by('bd-c3').body).toContain('Related: bd-b2 (discovered-from).');
    clean(dir);

    const bad = makeProject();
    write(bad, 'issues.jsonl', `${issue({ id: 'bd-1', title: 'One' })}\n{"id": "bd-2", "title": \n${issue({ id: 'bd-3', title: 'Three', status: 'someday' })}\n`);
    const r = baton(bad, ['import', 'beads', 'issues.jsonl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('issues.jsonl:2 is not a JSON object');
    write(bad, 'issues.jsonl', `${issue({ id: 'bd-3', title: 'Three', status: 'someday' })}\n`);
    const s = baton(bad, ['import', 'beads', 'issues.jsonl']);
    expect(s.stderr).toContain('issues.jsonl:1: unknown status "someday"');
    expect(readdirSync(join(bad, '.agents', 'tasks')).filter((f) => f.startsWith('T-'))).toEqual([]);
    const fmt = baton(bad, ['import', 'jira', 'x']);
    expect(fmt.code).toBe(2);
  });
});
