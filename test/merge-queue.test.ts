import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, BIN, git, GIT_ENV, tempDir } from './helpers/repo.js';
import { makeAgentProject } from './fixtures/agent-project.js';
// Shared with `npm run bench` (its 20-task run): the planted overlaps and the invariants.
import { checkInvariants, writeOverlapPlan } from '../scripts/overlap-plan.mjs';

interface QueueView { running: boolean; retries: number; batches: number; recent: { id: string; verdict: string; with: string[]; files: string[] }[] }

describe('baton auto: the merge queue', () => {
  it('verifies on the base tip, sends each planted conflict back to its agent with what it conflicts with, and never merges a failing check', () => {
    const p = makeAgentProject();
    const env = { ...process.env, ...GIT_ENV, ...p.env };
    // Three overlaps no task names (scheduling cannot see them): the same function, a rename and its new caller, a lock file.
    // Each pair's agents wait for each other before committing, so every pair collides in the queue.
    const { script, pairs } = writeOverlapPlan(p.dir, { bin: BIN, kinds: ['same-function', 'rename', 'lock-file'], rendezvous: true, env });
    p.setScript(script);
    const ids = pairs.flatMap((x: { ids: string[] }) => x.ids);

    const r = baton(p.dir, ['auto', '--parallel', '6', '--no-review'], { env: p.env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // No conflict reached a person: the plan is done, each pair's second task was sent back once and fixed by its agent.
    expect(r.stdout).toContain('The plan is done.');
    expect(r.stdout).toMatch(/Merge queue: \d+ batch(es)? verified on the base tip; 3 tasks sent back to their agents/);
    expect(r.stdout).toContain('9 attempts: 6 success (6 merged), 0 partial, 3 failure');

    // Every task merged once; each merge's checks pass when replayed on the merge commit itself.
    const inv = checkInvariants(p.dir, { ids, env });
    expect(inv).toEqual({ merges: 6, notOnce: [], failed: [] });
    expect(readFileSync(join(p.dir, 'src/greet.js'), 'utf8')).toContain("'Hello, dear ' + name.toUpperCase()");
    expect(readFileSync(join(p.dir, 'deps.lock'), 'utf8')).toBe('# lock\nalpha 1.0\nbeta 2.0\ngamma 3.0\n');

    // The retry's prompt says what the branch now conflicts with: the other task, the file, the hunks.
    const [g1, g2] = pairs[0].ids as [string, string];
    const retried = [g1, g2].find((id) => { try { readFileSync(join(p.state, `prompt-${id}-2.md`)); return true; } catch { return false; } })!;
    const other = retried === g1 ? g2 : g1;
    const prompt = readFileSync(join(p.state, `prompt-${retried}-2.md`), 'utf8');
    expect(prompt).toContain(`Merge queue: not merged. This branch conflicts with \`main\`, which took ${other}`);
    expect(prompt).toMatch(/^\s*- src\/greet\.js$/m);
    expect(prompt).toMatch(/^\s*\+\+<<<<<<< HEAD$/m);
    // Both sides of the hunk: what the other task made of the function, and what this one did.
    expect(prompt).toContain("return 'Hello, dear ' + name;");
    expect(prompt).toContain("return 'Hello ' + name.toUpperCase();");
    expect(prompt).toContain('git merge main');
    // The rename: no textual conflict, the check failed only after the merge, and the prompt names the check.
    const [n1, n2] = pairs[1].ids as [string, string];
    const renamed = [n1, n2].find((id) => { try { readFileSync(join(p.state, `prompt-${id}-2.md`)); return true; } catch { return false; } })!;
    expect(readFileSync(join(p.state, `prompt-${renamed}-2.md`), 'utf8')).toMatch(/Merge queue: not merged\. With this branch merged onto `main` as it is now, the check `(node src\/report\.js|! grep -rq oldName src)` failed/);

    // `status --json` shows the queue's last verdicts: no run holds it now, 3 sent back.
    const status = JSON.parse(baton(p.dir, ['status', '--json']).stdout) as { mergeQueue: QueueView };
    expect(status.mergeQueue.running).toBe(false);
    expect(status.mergeQueue.retries).toBe(3);
    expect(status.mergeQueue.recent.filter((v) => v.verdict === 'merged').map((v) => v.id).sort()).toEqual([...ids].sort());
    expect(status.mergeQueue.recent.find((v) => v.id === retried && v.verdict === 'conflict')).toMatchObject({ with: [other], files: ['src/greet.js'] });
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');
    expect(git(p.dir, ['worktree', 'list']).split('\n').filter((l) => l.includes('baton-queue-'))).toEqual([]);
  });

  it('through a shared remote: the runner that merges second finds the conflict on the remote base, and the task goes back to an agent', async () => {
    const p = makeAgentProject({ extraConfig: 'remote:\n  lease_s: 30\n  poll_s: 0.5\n' });
    const env = { ...process.env, ...GIT_ENV, ...p.env };
    const { script, pairs } = writeOverlapPlan(p.dir, { bin: BIN, kinds: ['same-function'], rendezvous: true, env });
    p.setScript(script);
    const ids = pairs[0].ids as string[];
    const remote = join(tempDir(), 'shared.git');
    git(p.dir, ['clone', '-q', '--bare', p.dir, remote]);

    // Two runners, each in its own clone: each takes one of the pair, and their agents wait for each other.
    const outs = await Promise.all([1, 2].map((n) => {
      const dir = join(tempDir(), 'clone');
      git(remote, ['clone', '-q', remote, dir]);
      const child = spawn(process.execPath, [BIN, 'auto', '--remote', 'origin', '--no-review'], { cwd: dir, env: { ...env, BATON_RUNNER: `runner-${n}` } });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      return new Promise<{ code: number | null; out: string }>((resolve) => child.on('close', (code) => resolve({ code, out })));
    }));
    for (const o of outs) expect(o.code, o.out).toBe(0);
    const all = outs.map((o) => o.out).join('\n');
    expect(all).toMatch(/merge queue: conflicts with T-[0-9a-f]+ in src\/greet\.js; sent back to its agent/);
    expect(all).toMatch(/1 task sent back to its agent/);

    // On the shared base: both merged once, each merge's checks pass replayed; no queue entry or claim is left.
    expect(checkInvariants(remote, { ids, env })).toEqual({ merges: 2, notOnce: [], failed: [] });
    expect(git(remote, ['show', 'main:src/greet.js'])).toContain("'Hello, dear ' + name.toUpperCase()");
    expect(git(remote, ['for-each-ref', 'refs/baton/queue/', 'refs/baton/claims/'])).toBe('');
    // The retry's prompt (whichever runner took it) said what it conflicts with.
    const retried = ids.find((id) => { try { readFileSync(join(p.state, `prompt-${id}-2.md`)); return true; } catch { return false; } })!;
    expect(readFileSync(join(p.state, `prompt-${retried}-2.md`), 'utf8')).toContain(`which took ${ids.find((id) => id !== retried)}`);
  });
});
