import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, BIN, git, GIT_ENV, ok, tempDir } from './helpers/repo.js';
import { agentEvents, makeAgentProject, report, type AgentProject } from './fixtures/agent-project.js';

/** A 12-task plan: four chains that meet, so runners wait on each other's merges. */
const DEPS: Record<string, string[]> = {
  a: [], b: [], c: [], d: [],
  e: ['a'], f: ['b'], g: ['c'], h: ['d'],
  i: ['e', 'f'], j: ['g', 'h'], k: ['i'], l: ['j', 'k'],
};

function planOnRemote(p: AgentProject, victim: string): { ids: Record<string, string>; remote: string } {
  const ids: Record<string, string> = {};
  for (const [name, on] of Object.entries(DEPS)) {
    const check = [name, ...on].map((n) => `test -f out/${n}.txt`).join(' && ');
    ids[name] = addTask(p.dir, `Task ${name.toUpperCase()}`, '--check', check, ...on.flatMap((d) => ['--depends-on', ids[d]!]));
  }
  git(p.dir, ['add', '-A']);
  git(p.dir, ['commit', '-q', '-m', 'plan']);
  const step = (name: string) => ({ sleep_ms: 150, write: { [`out/${name}.txt`]: `${name}\n` }, commit: `Add ${name}`, report: report('success', `Wrote out/${name}.txt.`) });
  p.setScript({
    tasks: Object.keys(DEPS).map((name) => ({
      match: ids[name]!,
      // The victim's first attempt hangs, so its runner is killed mid-task; the next attempt finishes it.
      attempts: name === victim ? [{ hang: true }, step(name)] : [step(name)],
    })),
  });
  const remote = join(tempDir(), 'shared.git');
  git(p.dir, ['clone', '-q', '--bare', p.dir, remote]);
  return { ids, remote };
}

/** A runner: its own clone (in its own folder, so worktrees do not collide), hooks installed. */
function cloneRunner(remote: string): string {
  const dir = join(tempDir(), 'clone');
  git(remote, ['clone', '-q', remote, dir]);
  ok(dir, ['hooks', 'install']);
  return dir;
}

interface Runner {
  dir: string;
  pid: number;
  done: Promise<{ code: number | null; signal: string | null; out: string }>;
}

function startRunner(dir: string, name: string, env: Record<string, string>): Runner {
  // Its own process group: killing it kills its agent too, as when a machine dies.
  const child = spawn(process.execPath, [BIN, 'auto', '--remote', 'origin', '--no-review'], {
    cwd: dir, detached: true, env: { ...process.env, ...GIT_ENV, ...env, BATON_RUNNER: name },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out })));
  return { dir, pid: child.pid!, done };
}

describe('runners sharing one plan through a git remote', () => {
  it('4 runners finish a 12-task plan once each; a runner killed mid-task only delays it', async () => {
    const p = makeAgentProject({ hooks: true, extraConfig: 'remote:\n  lease_s: 6\n  poll_s: 1\n' });
    const { ids, remote } = planOnRemote(p, 'c');
    const runners = [1, 2, 3, 4].map((n) => startRunner(cloneRunner(remote), `runner-${n}`, p.env));

    // Kill (SIGKILL, whole process group) the runner whose agent hangs on the victim.
    const hanging = await new Promise<{ cwd: string; pid: number }>((resolve) => {
      const poll = setInterval(() => {
        const e = agentEvents(p.state).find((x) => x.event === 'hanging');
        if (e) {
          clearInterval(poll);
          resolve(e as unknown as { cwd: string; pid: number });
        }
      }, 50);
    });
    const victim = runners.find((r) => hanging.cwd.startsWith(`${join(r.dir, '..')}/`))!;
    process.kill(-victim.pid, 'SIGKILL');
    // The agent runs in its own process group (the executor's): a machine that dies takes it too.
    process.kill(hanging.pid, 'SIGKILL');
    const results = await Promise.all(runners.map((r) => r.done));

    expect(results[runners.indexOf(victim)]!.signal).toBe('SIGKILL');
    for (const [i, r] of results.entries()) {
      if (runners[i] !== victim) expect(r.code, r.out).toBe(0);
    }
    const all = results.map((r) => r.out).join('\n');
    expect(all).toMatch(new RegExp(`${ids.c}: took over the claim of runner-\\d`));

    // The base on the remote has every result, merged once; no claim is left.
    const check = join(tempDir(), 'check');
    git(remote, ['clone', '-q', remote, check]);
    const tasks = (JSON.parse(ok(check, ['task', 'list', '--json'])) as { tasks: { id: string; status: string }[] }).tasks;
    expect(tasks.map((t) => t.status)).toEqual(Array(12).fill('done'));
    const merges = git(check, ['log', '--merges', '--format=%s']).trim().split('\n');
    for (const [name, id] of Object.entries(ids)) {
      expect(git(check, ['show', `HEAD:out/${name}.txt`])).toBe(`${name}\n`);
      expect(merges.filter((m) => m.startsWith(`Merge task/${id}-`))).toHaveLength(1);
      const memory = git(check, ['show', `HEAD:.agents/memory/${id}.md`]);
      expect(memory.match(/ result success\n/g)).toHaveLength(1);
      // The agent's commit is recorded once, under the SHA it has on the base.
      const sha = git(check, ['log', '--format=%h', '--grep', `^Add ${name}$`]).trim();
      expect(sha.split('\n')).toHaveLength(1);
      expect(memory.match(new RegExp(`^## \\S+ commit ${sha.slice(0, 7)}\\w*\\nAdd ${name}\\n`, 'gm'))).toHaveLength(1);
    }
    expect(git(remote, ['for-each-ref', 'refs/baton/claims/'])).toBe('');

    // Nothing lost from memory: the killed runner's attempt is there, and the next one continued its branch.
    const victimMemory = git(check, ['show', `HEAD:.agents/memory/${ids.c}.md`]);
    expect(victimMemory).toMatch(/ attempt\nAttempt 1 on branch/);
    expect(victimMemory).toMatch(/ attempt\nAttempt 2 on branch/);

    // Two runners never both ran a task to the end; dependencies waited for their merges.
    const events = agentEvents(p.state);
    for (const [name, on] of Object.entries(DEPS)) {
      const ends = events.filter((e) => e.task === ids[name] && e.event === 'end');
      expect(ends).toHaveLength(1);
      const start = events.find((e) => e.task === ids[name] && e.event === 'start' && e.attempt === ends[0]!.attempt)!;
      for (const d of on) expect(start.t).toBeGreaterThan(events.find((e) => e.task === ids[d] && e.event === 'end')!.t);
    }
    const cVictimRuns = events.filter((e) => e.task === ids.c && e.event === 'start').map((e) => e.cwd);
    expect(cVictimRuns).toHaveLength(2);
    expect(cVictimRuns[1]!.startsWith(`${join(victim.dir, '..')}/`)).toBe(false);
    // The work was shared: at least three runners ran agents.
    const who = new Set(events.map((e) => runners.findIndex((r) => e.cwd.startsWith(`${join(r.dir, '..')}/`))));
    expect(who.size).toBeGreaterThanOrEqual(3);
  }, 300_000); // not a time limit: room for four runners and their agents on a loaded 2-core machine
});
