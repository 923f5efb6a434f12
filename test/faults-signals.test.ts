/**
 * Fault suite, issue 20: a signal or a detached child never leaves an agent running.
 * SIGTERM (a cancelled CI job, `timeout`, `docker stop`) and SIGHUP (a closed terminal)
 * stop `run` and `auto` like Ctrl-C; a baton killed outright leaves an agent the next
 * run reaps; a `setsid` daemon holding the agent's output does not keep baton waiting.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, BIN, git, GIT_ENV, read, type RunResult } from './helpers/repo.js';
import { agentEvents, makeAgentProject, report, type AgentProject } from './fixtures/agent-project.js';

/** Alive and not a zombie (this machine's init may not reap orphans at once). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!);
  } catch {
    return false;
  }
}

/** Poll an observable condition (a file the agent wrote, a process gone): no fixed sleep, no limit of its own. */
async function until(holds: () => boolean): Promise<void> {
  while (!holds()) await new Promise((r) => setTimeout(r, 20));
}

/** Start baton, send `signal` once the agent says it is hanging, and collect what it printed. */
function batonUntil(p: AgentProject, args: string[], ready: () => boolean, signal: NodeJS.Signals): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: p.dir, env: { ...process.env, ...GIT_ENV, ...p.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    void until(ready).then(() => child.kill(signal));
    child.on('close', (code, sig) => resolve({ code: code ?? (sig ? 128 : 1), stdout, stderr }));
  });
}

const hangingPid = (p: AgentProject) => agentEvents(p.state).find((e) => e.event === 'hanging') as { pid?: number } | undefined;

function hangingProject(): { p: AgentProject; id: string } {
  const p = makeAgentProject();
  const id = addTask(p.dir, 'Slow task', '--check', 'true');
  git(p.dir, ['add', '-A']);
  git(p.dir, ['commit', '-q', '-m', 'plan']);
  p.setScript({ tasks: [{ match: id, attempts: [{ write: { 'half.txt': 'half\n' }, hang: true }, { write: { 'done.txt': 'done\n' }, commit: 'Done', report: report('success', 'Done.') }] }] });
  return { p, id };
}

describe('SIGTERM and SIGHUP stop the agent like Ctrl-C', () => {
  it('SIGTERM to `baton run`: the agent is stopped with its group, the attempt logged as interrupted, exit 143', async () => {
    const { p, id } = hangingProject();
    const r = await batonUntil(p, ['run', id], () => hangingPid(p) !== undefined, 'SIGTERM');
    expect(r.code, r.stderr).toBe(143);
    expect(r.stdout).toContain(`${id}: interrupted`);
    const pid = hangingPid(p)!.pid!;
    await until(() => !alive(pid));
    const branch = git(p.dir, ['branch', '--list', 'task/*', '--format=%(refname:short)']).trim();
    const memory = git(p.dir, ['show', `${branch}:.agents/memory/${id}.md`]);
    expect(memory).toContain('Interrupted');
    // Its work so far is committed on the branch, as after Ctrl-C.
    expect(git(p.dir, ['log', '--format=%B', `main..${branch}`])).toContain('work in progress, interrupted');
  });

  it('SIGHUP to `baton auto`: the agent is stopped, the run ends as interrupted, exit 129, and resumes', async () => {
    const { p, id } = hangingProject();
    const r = await batonUntil(p, ['auto', '--no-review'], () => hangingPid(p) !== undefined, 'SIGHUP');
    expect(r.code, r.stderr).toBe(129);
    expect(r.stdout).toContain('Stopping (SIGHUP)');
    const pid = hangingPid(p)!.pid!;
    await until(() => !alive(pid));
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');
    const again = baton(p.dir, ['auto', '--no-review'], { env: p.env });
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(read(p.dir, 'done.txt')).toBe('done\n');
    expect(again.stdout).toContain(`${id} merged`);
  });

  it('an agent a killed baton left running is stopped before the next attempt starts beside it', async () => {
    const { p, id } = hangingProject();
    const r = await batonUntil(p, ['run', id], () => hangingPid(p) !== undefined, 'SIGKILL');
    expect(r.code).toBe(128);
    const pid = hangingPid(p)!.pid!;
    expect(alive(pid)).toBe(true); // SIGKILL cannot be handled: the orphan works on

    const again = baton(p.dir, ['run', id], { env: p.env });
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(alive(pid)).toBe(false);
    const wt = /worktree (\S+)\.$/m.exec(again.stdout)![1]!;
    expect(read(wt, `.agents/memory/${id}.md`)).toMatch(/ note\nAn agent of an earlier run \(process group \d+\) was still running in this worktree; it was stopped/);
    // Only one agent ever worked at a time: the second started after the first was stopped.
    expect(agentEvents(p.state).filter((e) => e.event === 'start')).toHaveLength(2);
  });
});

describe('an interrupted attempt', () => {
  it('whose agent set its own status to done is not merged on its word: the base\'s checks run first', async () => {
    const p = makeAgentProject();
    const id = addTask(p.dir, 'Create the required file', '--check', 'test -f required.txt');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    p.setScript({
      tasks: [{ match: id, attempts: [{ sh: `sed -i 's/^status: .*/status: done/' .agents/tasks/${id}-*.md`, commit: 'Call it done', hang: true }] }],
    });
    const first = await batonUntil(p, ['auto', '--no-review'], () => hangingPid(p) !== undefined, 'SIGINT');
    expect(first.code, first.stderr).toBe(130);
    const mainBefore = git(p.dir, ['rev-parse', 'main']).trim();

    // The merge queue checks its work on the base tip and sends it back; one attempt is all this test
    // gives it (the scripted agent's only attempt hangs, and a retry would wait out its time-out).
    const again = baton(p.dir, ['auto', '--no-review', '--max-attempts', '1'], { env: p.env });
    expect(again.code, again.stderr + again.stdout).toBe(1);
    expect(again.stdout).toContain('the check `test -f required.txt` failed');
    expect(again.stdout).not.toContain(`${id} starting`);
    expect(git(p.dir, ['rev-parse', 'main']).trim()).toBe(mainBefore);
    expect(existsSync(join(p.dir, 'required.txt'))).toBe(false);
  });
});

describe('a detached child does not keep baton waiting', () => {
  it('a `setsid` daemon holding the agent\'s output: `baton run` finishes, and the daemon is stopped', async () => {
    const p = makeAgentProject();
    const id = addTask(p.dir, 'Start a server', '--check', 'true');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    const pidFile = join(p.state, 'daemon.pid');
    p.setScript({
      tasks: [{ match: id, attempts: [{
        // A new session: out of the agent's process group, with the agent's stdout and stderr.
        sh: `setsid sh -c 'echo $$ > "${pidFile}.tmp" && mv "${pidFile}.tmp" "${pidFile}"; exec sleep 100000' &`,
        write: { 'server.txt': 'up\n' },
        commit: 'Server',
        report: report('success', 'Server started.'),
      }] }],
    });
    const r = await new Promise<RunResult>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'run', id], { cwd: p.dir, env: { ...process.env, ...GIT_ENV, ...p.env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${id}: success`);
    expect(existsSync(pidFile)).toBe(true);
    const daemon = Number(readFileSync(pidFile, 'utf8'));
    await until(() => !alive(daemon));
  });
});

describe('usage errors and records that must survive', () => {
  it('`auto --time-limit abc` is a usage error (exit 2) and changes nothing', () => {
    const { p } = hangingProject();
    const head = git(p.dir, ['rev-parse', 'HEAD']);
    const r = baton(p.dir, ['auto', '--time-limit', 'abc'], { env: p.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('`--time-limit abc` is not a duration');
    expect(git(p.dir, ['rev-parse', 'HEAD'])).toBe(head);
    expect(git(p.dir, ['branch', '--list', 'task/*'])).toBe('');
    expect(agentEvents(p.state)).toEqual([]);
  });

  it('an attempt that timed out while git held its index lock is still recorded', () => {
    const p = makeAgentProject();
    const id = addTask(p.dir, 'Slow commit', '--check', 'true');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    // Stopped half-way through a commit: git's lock stays behind.
    p.setScript({ tasks: [{ match: id, attempts: [{ write: { 'half.txt': 'half\n' }, sh: 'touch "$(git rev-parse --git-dir)/index.lock"', hang: true }] }] });
    // The timeout leaves the agent time to start and take the lock first, even on a busy machine.
    const r = baton(p.dir, ['run', id, '--timeout', '4'], { env: p.env });
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stdout).toContain(`${id}: failure — the agent did not finish within 4s and was stopped`);
    const wt = /worktree (\S+)\.$/m.exec(r.stdout)![1]!;
    expect(git(wt, ['status', '--porcelain'])).toBe('');
    const memory = read(wt, `.agents/memory/${id}.md`);
    expect(memory).toMatch(/ result failure\nThe agent did not finish within 4s/);
    expect(memory).toMatch(/ note\nThe agent was stopped while git held its index lock; baton removed the stale/);
  });

  it('an attempt that timed out and whose log then failed (its task file broken) is still recorded, and the retry starts afresh', () => {
    const p = makeAgentProject();
    const id = addTask(p.dir, 'Break things', '--check', 'test -f fixed.txt');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    p.setScript({
      tasks: [{ match: id, attempts: [
        { sh: `printf -- '---\\nid: [broken\\n' > .agents/tasks/${id}-break-things.md`, commit: 'Broken task file', hang: true },
        { write: { 'fixed.txt': 'ok\n' }, commit: 'Fixed', report: report('success', 'Fixed.') },
      ] }],
    });
    const r = baton(p.dir, ['run', id, '--timeout', '4'], { env: p.env });
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stderr).toContain(`the attempt is recorded in \`.agents/memory/${id}.md\``);
    const wt = join(p.dir, '..', `${p.dir.split('/').pop()}-worktrees`);
    const memory = read(join(wt, readdirSync(wt)[0]!), `.agents/memory/${id}.md`);
    expect(memory).toMatch(/ result failure\nThe agent did not finish within 4s/);

    // The branch cannot be worked on (its task file is broken): set aside, recorded, and the task starts afresh.
    const again = baton(p.dir, ['run', id], { env: p.env });
    expect(again.code, again.stderr + again.stdout).toBe(0);
    const branch = git(p.dir, ['branch', '--list', 'task/*', '--format=%(refname:short)']).split('\n').filter((b) => b.endsWith('-lost'));
    expect(branch).toHaveLength(1);
    // The first attempt's record went with its branch, committed there.
    expect(git(p.dir, ['show', `${branch[0]}:.agents/memory/${id}.md`])).toMatch(/ result failure\nThe agent did not finish within 4s/);
  });
});
