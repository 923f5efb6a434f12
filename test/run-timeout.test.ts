import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, read } from './helpers/repo.js';
import { agentEvents, makeAgentProject } from './fixtures/agent-project.js';

describe('baton run with an agent that hangs', () => {
  it('stops it and everything it started at the timeout, leaves the worktree clean, keeps committed work, logs failure', async () => {
    const p = makeAgentProject();
    const id = addTask(p.dir, 'Slow task', '--check', 'true');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    // The agent commits, then leaves an edit uncommitted while it hangs.
    p.setScript({
      tasks: [{ match: id, attempts: [{ write: { 'kept.txt': 'committed\n' }, commit: 'First part', leave: { 'half.txt': 'half\n', 'kept.txt': 'changed\n' }, hang: true, background: true, background_ms: 3000 }] }],
    });

    const started = Date.now();
    const r = baton(p.dir, ['run', id, '--timeout', '2'], { env: p.env });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain(`${id}: failure — the agent did not finish within 2s and was stopped`);
    const wt = /worktree (\S+)\.$/m.exec(r.stdout)![1]!;
    expect(git(wt, ['status', '--porcelain'])).toBe('');
    expect(existsSync(join(wt, 'half.txt'))).toBe(false);
    expect(read(wt, 'kept.txt')).toBe('committed\n');
    expect(git(wt, ['log', '--format=%s', 'main..HEAD'])).toContain('First part');
    const memory = read(wt, `.agents/memory/${id}.md`);
    expect(memory).toMatch(/ result failure\nThe agent did not finish within 2s/);
    expect(memory).toMatch(/ note\nThe agent did not finish within 2s and was stopped. Uncommitted edits were discarded/);
    expect(memory).not.toMatch(/ check /); // checks are not run on a stopped attempt
    expect(agentEvents(p.state).map((e) => e.event)).toEqual(['start', 'hanging']);
    // The agent's background child was in its process group and died with it.
    await new Promise((res) => setTimeout(res, Math.max(0, 3000 + 700 - (Date.now() - started))));
    expect(existsSync(join(p.state, `survivor-${id}`))).toBe(false);
  });
});
