import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, read, taskFile } from './helpers/repo.js';
import { makeAgentProject, report } from './fixtures/agent-project.js';

const worktreeOf = (out: string) => /worktree (\S+)\.$/m.exec(out)?.[1] ?? '';

describe('baton run with a command agent', () => {
  it('runs a task that succeeds: agent commits, checks pass, result logged on the branch', () => {
    const p = makeAgentProject();
    const id = addTask(p.dir, 'Add greeting', '--check', 'grep -q hello greeting.txt');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    // Like a real CLI agent: chat on stdout, the report saved as REPORT.md (as the prompt suggests), not committed.
    p.setScript({ default: { write: { 'greeting.txt': 'hello\n' }, commit: 'Add greeting', leave: { 'REPORT.md': report('success', 'Wrote greeting.txt.', '\n## Decisions\n- Plain text greeting.\n') }, report: 'Working on it… done.' } });

    const r = baton(p.dir, ['run', id], { env: p.env });
    expect(r.stderr).toContain('checking');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pass  grep -q hello greeting.txt');
    expect(r.stdout).toContain(`${id}: success`);
    const wt = worktreeOf(r.stdout);
    expect(existsSync(join(wt, 'greeting.txt'))).toBe(true);
    expect(existsSync(join(wt, 'REPORT.md'))).toBe(false);
    expect(git(wt, ['log', '--name-only', '--format=', 'main..HEAD'])).not.toContain('REPORT.md');
    // The prompt the agent read is the composed one, and is kept on the branch.
    const prompt = readFileSync(join(p.state, `prompt-${id}-1.md`), 'utf8');
    expect(prompt).toContain('Add greeting');
    expect(prompt).toContain('grep -q hello greeting.txt');
    expect(read(wt, `.agents/prompts/${id}.md`)).toBe(prompt);
    // Memory on the branch: attempt, check pass, the agent's report, result success, its decision.
    const memory = read(wt, `.agents/memory/${id}.md`);
    expect(memory).toMatch(/ attempt\n/);
    expect(memory).toMatch(/ check pass\n`grep -q hello greeting.txt` exited 0/);
    expect(memory).toMatch(/ result success\nWrote greeting.txt./);
    expect(memory).toMatch(/ decision\nPlain text greeting./);
    expect(read(wt, taskFile(wt, id))).toContain('status: review');
    // Nothing left uncommitted; the main checkout untouched and still on main.
    expect(git(wt, ['status', '--porcelain'])).toBe('');
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');
    expect(git(p.dir, ['branch', '--show-current']).trim()).toBe('main');
    expect(existsSync(join(p.dir, 'greeting.txt'))).toBe(false);
    expect(git(wt, ['log', '--format=%s', 'main..HEAD'])).toContain('Add greeting');
  });

  it('logs failing checks as a failure, and an agent that claims success with failing checks as such', () => {
    const p = makeAgentProject();
    const id = addTask(p.dir, 'Make tests pass', '--check', 'test -f done.txt', '--check', 'true');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    // Writes a file but not the one the check wants, leaves it uncommitted, and claims success (in $BATON_REPORT_FILE).
    p.setScript({ default: { write: { 'wip.txt': 'x\n' }, report: report('success', 'All done, tests pass.'), report_to_file: true } });

    const r = baton(p.dir, ['run', id], { env: p.env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL  test -f done.txt');
    expect(r.stdout).toContain('pass  true');
    expect(r.stdout).toContain(`${id}: failure (the agent claimed success) — 1 of 2 checks failed: \`test -f done.txt\``);
    const wt = worktreeOf(r.stdout);
    const memory = read(wt, `.agents/memory/${id}.md`);
    expect(memory).toMatch(/ check fail\n`test -f done.txt` exited 1/);
    expect(memory).toMatch(/ bug\nThe agent \(scripted\) reported success, but 1 of 2 checks failed/);
    expect(memory).toMatch(/ result failure\n1 of 2 checks failed/);
    expect(memory).toContain('claimed success');
    expect(memory).not.toMatch(/ result success/);
    // What the agent left uncommitted was committed by baton on the branch.
    expect(git(wt, ['status', '--porcelain'])).toBe('');
    expect(git(wt, ['log', '-1', '--format=%B', 'HEAD~1'])).toContain('left uncommitted by the agent');
    expect(git(wt, ['show', '--stat', 'HEAD~1'])).toContain('wip.txt');
  });
});
