import { describe, expect, it } from 'vitest';
import { addTask, baton, git, read } from './helpers/repo.js';
import { agentEvents, makeAgentProject, report } from './fixtures/agent-project.js';

describe('baton auto --parallel', () => {
  it('runs 8 tasks with dependencies 3 at a time, in order, each in its own worktree, hooks recording, merging each cleanly', () => {
    const p = makeAgentProject({ hooks: true });
    const ids: Record<string, string> = {};
    const deps: Record<string, string[]> = { a: [], b: [], c: [], d: ['a'], e: ['a', 'b'], f: ['c'], g: ['d', 'e'], h: ['f', 'g'] };
    for (const [name, on] of Object.entries(deps)) {
      // A task's check needs its own file and its dependencies' files: merged work must be there.
      const check = [name, ...on].map((n) => `test -f out/${n}.txt`).join(' && ');
      ids[name] = addTask(p.dir, `Task ${name.toUpperCase()}`, '--check', check, ...on.flatMap((d) => ['--depends-on', ids[d]!]));
    }
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    p.setScript({
      tasks: Object.keys(deps).map((name) => ({
        match: ids[name]!,
        attempts: [{ sleep_ms: 300, write: { [`out/${name}.txt`]: `${name}\n` }, commit: `Add ${name}`, report: report('success', `Wrote out/${name}.txt.`) }],
      })),
    });

    const r = baton(p.dir, ['auto', '--parallel', '3', '--no-review'], { env: p.env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('The plan is done.');
    expect(r.stdout).toContain('8 attempts: 8 success (8 merged), 0 partial, 0 failure');
    for (const id of Object.values(ids)) expect(r.stdout).toMatch(new RegExp(`${id} merged +Task`));

    const events = agentEvents(p.state);
    const span = (id: string) => ({
      start: events.find((e) => e.task === id && e.event === 'start')!,
      end: events.find((e) => e.task === id && e.event === 'end')!,
    });
    // Order: no task starts before every task it depends on has finished.
    for (const [name, on] of Object.entries(deps)) {
      for (const d of on) expect(span(ids[name]!).start.t).toBeGreaterThan(span(ids[d]!).end.t);
    }
    // Each run in its own worktree (never the main checkout), at most 3 at once, and some at once.
    const spans = Object.values(ids).map(span);
    expect(new Set(spans.map((s) => s.start.cwd)).size).toBe(8);
    expect(spans.every((s) => s.start.cwd !== p.dir)).toBe(true);
    const overlap = (t: number) => spans.filter((s) => s.start.t <= t && t <= s.end.t).length;
    const most = Math.max(...spans.map((s) => overlap(s.start.t)));
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(3);

    // On main: every task done, its memory complete, merges clean, worktrees gone.
    for (const [name, id] of Object.entries(ids)) {
      expect(read(p.dir, `out/${name}.txt`)).toBe(`${name}\n`);
      const memory = read(p.dir, `.agents/memory/${id}.md`);
      for (const kind of ['attempt', 'check pass', 'result success']) expect(memory).toContain(` ${kind}\n`);
      // The hooks recorded the agent's commit, once.
      const sha = git(p.dir, ['log', '--format=%h', '--grep', `^Add ${name}$`, '-n', '1']).trim();
      expect(memory.match(new RegExp(`^## \\S+ commit ${sha.slice(0, 7)}\\w*\\nAdd ${name}\\n`, 'gm'))).toHaveLength(1);
    }
    const list = (JSON.parse(baton(p.dir, ['task', 'list', '--json']).stdout) as { tasks: { status: string }[] }).tasks;
    expect(list.map((t) => t.status)).toEqual(Array(8).fill('done'));
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');
    expect(git(p.dir, ['branch', '--show-current']).trim()).toBe('main');
    expect(git(p.dir, ['log', '--merges', '--format=%s']).trim().split('\n')).toHaveLength(8);
    expect(git(p.dir, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
  });
});
