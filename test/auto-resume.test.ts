import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { addTask, baton, BIN, git, GIT_ENV, read } from './helpers/repo.js';
import { agentEvents, makeAgentProject, report, type AgentProject } from './fixtures/agent-project.js';

/** Start `baton auto`, send Ctrl-C (SIGINT) once `ready()` holds, and collect what it printed. */
function interruptWhen(p: AgentProject, args: string[], ready: () => boolean): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: p.dir, env: { ...process.env, ...GIT_ENV, ...p.env } });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stdout += d));
    const poll = setInterval(() => {
      if (ready()) {
        clearInterval(poll);
        child.kill('SIGINT');
      }
    }, 50);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code, stdout });
    });
  });
}

describe('baton auto interrupted with Ctrl-C', () => {
  it('stops the agents, commits and logs their work, exits 130, and resumes from the files', async () => {
    const p = makeAgentProject();
    const a = addTask(p.dir, 'Task A', '--check', 'test -f a.txt && test -f wip-a.txt');
    const b = addTask(p.dir, 'Task B', '--check', 'test -f b.txt');
    const c = addTask(p.dir, 'Task C', '-d', a, '-d', b, '--check', 'test -f c.txt');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    const step = (name: string) => ({ write: { [`${name}.txt`]: `${name}\n` }, commit: `Add ${name}`, report: report('success', `${name} done.`) });
    p.setScript({
      tasks: [
        // First attempts commit part of the work, leave some uncommitted, and hang.
        { match: a, attempts: [{ write: { 'a.txt': 'a\n' }, commit: 'Add a', leave: { 'wip-a.txt': 'half\n' }, hang: true }, { report: report('success', 'Finished a.') }] },
        { match: b, attempts: [{ leave: { 'b.txt': 'b\n' }, hang: true }, { report: report('success', 'Finished b.') }] },
        { match: c, attempts: [step('c')] },
      ],
    });

    const hanging = () => agentEvents(p.state).filter((e) => e.event === 'hanging').length === 2;
    const first = await interruptWhen(p, ['auto', '--parallel', '2', '--no-review'], hanging);
    expect(first.code).toBe(130);
    expect(first.stdout).toContain('Stopping: no new tasks');
    expect(first.stdout).toMatch(new RegExp(`${a} interrupted +Task A`));
    expect(first.stdout).toContain('Interrupted; `baton auto` resumes where this stopped.');
    expect(agentEvents(p.state).some((e) => e.task === c)).toBe(false);
    // Their work is committed on their branches, the interruption logged; main untouched and clean.
    for (const [id, file] of [[a, 'wip-a.txt'], [b, 'b.txt']] as const) {
      const branch = git(p.dir, ['branch', '--list', `task/${id}-*`, '--format=%(refname:short)']).trim();
      expect(git(p.dir, ['show', `${branch}:${file}`])).toBe(file === 'b.txt' ? 'b\n' : 'half\n');
      const memory = git(p.dir, ['show', `${branch}:.agents/memory/${id}.md`]);
      expect(memory).toMatch(/ note\nInterrupted \(Ctrl-C or --time-limit\): the agent was stopped/);
      expect(memory.match(/ note\nInterrupted/g)).toHaveLength(1);
      expect(memory).not.toMatch(/ result /);
    }
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');
    expect(git(p.dir, ['log', '--merges', '--oneline'])).toBe('');

    // Resume: the interrupted tasks continue in their worktrees (interruptions do not count as failed attempts).
    const second = baton(p.dir, ['auto', '--parallel', '2', '--no-review', '--max-attempts', '1'], { env: p.env });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toContain('The plan is done.');
    const events = agentEvents(p.state);
    const starts = (id: string) => events.filter((e) => e.task === id && e.event === 'start');
    expect(starts(a).map((e) => e.attempt)).toEqual([1, 2]);
    expect(starts(a)[0]!.cwd).toBe(starts(a)[1]!.cwd);
    expect(read(p.dir, 'wip-a.txt')).toBe('half\n');
    expect(read(p.dir, 'c.txt')).toBe('c\n');
    expect(read(p.dir, `.agents/memory/${a}.md`)).toMatch(/ result success\nFinished a./);
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');
  });

  it('stops the running agents at --time-limit and exits 3, their attempts logged as interrupted', () => {
    const p = makeAgentProject();
    const a = addTask(p.dir, 'Task A', '--check', 'true');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    p.setScript({ tasks: [{ match: a, attempts: [{ leave: { 'a.txt': 'a\n' }, hang: true }] }] });
    // Long enough for the agent to start and write a.txt on a loaded 2-core machine (2 s was not).
    const r = baton(p.dir, ['auto', '--time-limit', '6s', '--no-review'], { env: p.env });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('Stopped: --time-limit reached; `baton auto` resumes.');
    expect(r.stdout).toContain('0 success (0 merged), 0 partial, 0 failure, 1 interrupted');
    const branch = git(p.dir, ['branch', '--list', `task/${a}-*`, '--format=%(refname:short)']).trim();
    expect(git(p.dir, ['show', `${branch}:a.txt`])).toBe('a\n');
    expect(git(p.dir, ['show', `${branch}:.agents/memory/${a}.md`])).toMatch(/ note\nInterrupted/);
  });
});
