import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, read, tempDir } from './helpers/repo.js';
import { agentEvents, makeAgentProject, report } from './fixtures/agent-project.js';
import { connect, data } from './mcp-util.js';

interface Ready { id: string; waitsFor?: { id: string; files: string[]; why: string } }
const nextJson = (dir: string) => (JSON.parse(baton(dir, ['next', '--json']).stdout) as { tasks: Ready[] }).tasks;

describe('baton auto --parallel: overlap-aware scheduling', () => {
  it('never runs two tasks that name the same file at once, runs the third beside them, and learns files a task touched unnamed', async () => {
    const p = makeAgentProject({ hooks: true });
    // 1. Three ready tasks: two name src/db.ts (one in `files:`, one in its text), the third another file.
    const a = addTask(p.dir, 'Users table', '--file', 'src/db.ts', '--check', 'grep -q users src/db.ts');
    const b = addTask(p.dir, 'Sessions table', '--requirement', 'Add a sessions table to `src/db.ts`.', '--check', 'grep -q sessions src/db.ts');
    const c = addTask(p.dir, 'Login page', '--file', 'src/ui/login.ts', '--check', 'test -f src/ui/login.ts');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);

    // 2. `next` says which ready task waits, for whom, and on which file; `status` says the same.
    const ready = nextJson(p.dir);
    expect(ready.map((t) => t.id)).toEqual([a, b, c]);
    expect(ready.find((t) => t.id === b)?.waitsFor).toEqual({ id: a, files: ['src/db.ts'], why: `waits for ${a}: both touch src/db.ts` });
    expect(ready.find((t) => t.id === a)?.waitsFor).toBeUndefined();
    expect(ready.find((t) => t.id === c)?.waitsFor).toBeUndefined();
    expect(baton(p.dir, ['next']).stdout).toContain(`(waits for ${a}: both touch src/db.ts)`);
    expect(baton(p.dir, ['status']).stdout).toContain(`waits for ${a}: both touch src/db.ts`);
    const status = JSON.parse(baton(p.dir, ['status', '--json']).stdout) as { ready: Ready[] };
    expect(status.ready.find((t) => t.id === b)?.waitsFor?.id).toBe(a);
    // MCP's `next` tool too.
    const mcp = await connect(p.dir);
    try {
      const viaMcp = await data<{ tasks: Ready[] }>(mcp.client, 'next');
      expect(viaMcp.tasks.find((t) => t.id === b)?.waitsFor?.why).toBe(`waits for ${a}: both touch src/db.ts`);
    } finally {
      await mcp.close();
    }
    // The board's card says it too.
    const site = join(p.state, 'site');
    expect(baton(p.dir, ['board', '--out', site]).code).toBe(0);
    expect(readFileSync(join(site, 'index.html'), 'utf8')).toContain(`title="waits for ${a}: both touch src/db.ts">waits for ${a}</span>`);

    // 3. Both db tasks append to src/db.ts (run together, their merges would conflict); A also touches a file it never named.
    p.setScript({
      tasks: [
        { match: a, attempts: [{ sleep_ms: 400, append: { 'src/db.ts': 'users\n', 'src/schema.sql': 'users\n' }, commit: 'Add users', report: report('success', 'users') }] },
        { match: b, attempts: [{ sleep_ms: 400, append: { 'src/db.ts': 'sessions\n' }, commit: 'Add sessions', report: report('success', 'sessions') }] },
        { match: c, attempts: [{ sleep_ms: 1500, write: { 'src/ui/login.ts': 'login\n' }, commit: 'Add login', report: report('success', 'login') }] },
      ],
    });
    const r = baton(p.dir, ['auto', '--parallel', '2', '--no-review'], { env: p.env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('The plan is done.');
    expect(r.stdout).toContain('3 attempts: 3 success (3 merged), 0 partial, 0 failure');
    expect(r.stdout).toContain(`waits for ${a}: both touch src/db.ts`);
    // What A touched without naming it is recorded in its memory.
    expect(read(p.dir, `.agents/memory/${a}.md`)).toMatch(/ note\nTouched files the task does not name \(later predictions of its files include them\):\n\n- src\/schema\.sql\n/);
    expect(read(p.dir, `.agents/memory/${b}.md`)).not.toContain('Touched files the task does not name');

    // 4. The agents' own clocks: A and B never at work together; C ran beside one of them.
    const events = agentEvents(p.state);
    const span = (id: string) => ({
      start: events.find((e) => e.task === id && e.event === 'start')!.t,
      end: events.find((e) => e.task === id && e.event === 'end')!.t,
    });
    const [sa, sb, sc] = [span(a), span(b), span(c)];
    expect(sb.start).toBeGreaterThan(sa.end);
    expect(sc.start < sa.end || sc.start < sb.end).toBe(true);
    expect(read(p.dir, 'src/db.ts')).toBe('users\nsessions\n');
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');
    const doctor = baton(p.dir, ['doctor']);
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);

    // 5. Learned: a new task naming src/db.ts is predicted to touch src/schema.sql too, so it and a task naming only
    //    src/schema.sql do not run together.
    const d = addTask(p.dir, 'Index users', '--file', 'src/db.ts');
    const e = addTask(p.dir, 'Tidy schema', '--requirement', 'Reformat `src/schema.sql`.');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'more']);
    const later = nextJson(p.dir);
    expect(later.map((t) => t.id)).toEqual([d, e]);
    expect(later.find((t) => t.id === e)?.waitsFor).toEqual({ id: d, files: ['src/schema.sql'], why: `waits for ${d}: both touch src/schema.sql` });
  });
});

describe('many runners through a remote: overlap with a task another runner holds', () => {
  it('next --remote and auto --remote hold back a ready task whose files overlap a task claimed elsewhere', () => {
    const p = makeAgentProject();
    const a = addTask(p.dir, 'Users table', '--file', 'src/db.ts', '--check', 'true');
    const c = addTask(p.dir, 'Sessions table', '--requirement', 'Add a sessions table to `src/db.ts`.', '--check', 'true');
    const d = addTask(p.dir, 'Login page', '--file', 'src/ui/login.ts', '--check', 'test -f src/ui/login.ts');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    const remote = join(tempDir(), 'shared.git');
    git(p.dir, ['clone', '-q', '--bare', p.dir, remote]);
    const clone = (name: string) => {
      const dir = join(tempDir(), name);
      git(remote, ['clone', '-q', remote, dir]);
      return dir;
    };
    const laptop = clone('laptop');
    const runner = clone('runner');

    // 1. A person on a laptop claims A.
    const started = baton(laptop, ['start', a, '--remote', 'origin'], { env: { BATON_RUNNER: 'laptop' } });
    expect(started.code, started.stderr).toBe(0);

    // 2. Another clone sees that C waits for A, D does not.
    const ready = (JSON.parse(baton(runner, ['next', '--remote', 'origin', '--json']).stdout) as { tasks: Ready[] }).tasks;
    expect(ready.find((t) => t.id === c)?.waitsFor).toEqual({ id: a, files: ['src/db.ts'], why: `waits for ${a}: both touch src/db.ts` });
    expect(ready.find((t) => t.id === d)?.waitsFor).toBeUndefined();

    // 3. A runner there takes D and leaves C alone while A is held (one task, then it stops).
    p.setScript({ tasks: [{ match: d, attempts: [{ write: { 'src/ui/login.ts': 'login\n' }, commit: 'Add login', report: report('success', 'login') }] }] });
    const r = baton(runner, ['auto', '--remote', 'origin', '--parallel', '2', '--no-review', '--max-tasks', '1'], { env: { ...p.env, BATON_RUNNER: 'runner' } });
    expect(r.stdout + r.stderr).toContain(`waits for ${a}: both touch src/db.ts`);
    // Left for later, with the reason.
    expect(r.stdout).toMatch(new RegExp(`${c}.*waits for ${a}: both touch src/db.ts`));
    expect(agentEvents(p.state).map((e) => e.task)).toEqual([d, d]);
    expect(git(remote, ['show', 'main:src/ui/login.ts'])).toBe('login\n');
  });
});
