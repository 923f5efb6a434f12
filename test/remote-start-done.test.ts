import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, tempDir, write } from './helpers/repo.js';

/** A clone of the shared bare repository, in a folder of its own. */
function clone(remote: string, name: string): string {
  const dir = join(tempDir(), name);
  git(remote, ['clone', '-q', remote, dir]);
  return dir;
}

const claims = (remote: string) => git(remote, ['for-each-ref', '--format=%(refname)', 'refs/baton/claims/']);
const nextJson = (dir: string) => JSON.parse(ok(dir, ['next', '--remote', 'origin', '--json'])).tasks as { id: string; status: string; claimedBy?: string }[];
const taskBranch = (remote: string, id: string) => git(remote, ['for-each-ref', '--format=%(refname:short)', `refs/heads/task/${id}-*`]).trim();

function commitWork(dir: string, file: string): void {
  write(dir, file, `${file}\n`);
  git(dir, ['add', file]);
  git(dir, ['commit', '-q', '-m', `Add ${file}`]);
}

describe('a claim taken by `baton start --remote`: the same list everywhere, given back by `baton done`', () => {
  it('next shows a claimed task alike in a clone that pulled its branch and a fresh one; done (and done --merge) releases only its own claim', () => {
    const dir = makeProject();
    const a = addTask(dir, 'Task A');
    addTask(dir, 'Task B', '--depends-on', a);
    const c = addTask(dir, 'Task C');
    const d = addTask(dir, 'Task D');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'plan']);
    const remote = join(tempDir(), 'shared.git');
    git(dir, ['clone', '-q', '--bare', dir, remote]);
    const laptop = clone(remote, 'laptop');
    const fresh = clone(remote, 'fresh');
    const pulled = clone(remote, 'pulled');

    // A person claims A; the claim is on the remote.
    const started = baton(laptop, ['start', a, '--remote', 'origin'], { env: { BATON_RUNNER: 'laptop' } });
    expect(started.code, started.stderr).toBe(0);
    expect(claims(remote)).toBe(`refs/baton/claims/${a}\n`);
    // Starting it again in the same clone (another process, so another default name) keeps the claim its own.
    const again = baton(laptop, ['start', a, '--remote', 'origin']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Claimed on origin as laptop until \d{4}-/);

    // One clone has A's branch locally, the other has never fetched it: both list A, with its claim.
    const branchA = taskBranch(remote, a);
    git(pulled, ['fetch', '-q', 'origin']);
    git(pulled, ['branch', branchA, `origin/${branchA}`]);
    const seen = nextJson(fresh);
    expect(seen.map((t) => t.id).sort()).toEqual([a, c, d].sort());
    expect(seen.find((t) => t.id === a)).toMatchObject({ status: 'in-progress', claimedBy: 'laptop' });
    expect(nextJson(pulled)).toEqual(seen);
    expect(ok(pulled, ['next', '--remote', 'origin'])).toMatch(new RegExp(`${a}\\s+Task A  \\(claimed by laptop until \\d{4}-`));

    // Done on its branch: the branch is pushed and the claim given back; no clone offers A again.
    commitWork(laptop, 'a.txt');
    const done = baton(laptop, ['done', a]);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('Pushed the branch and gave back the claim on origin.');
    expect(claims(remote)).toBe('');
    expect(git(remote, ['show', `${branchA}:a.txt`])).toBe('a.txt\n');
    expect(nextJson(fresh).map((t) => t.id).sort()).toEqual([c, d].sort());
    expect(nextJson(pulled)).toEqual(nextJson(fresh));

    // C: claimed from a clone with a lease that ends at once, then taken over by the laptop.
    const brief = clone(remote, 'brief');
    const config = join(brief, '.agents', 'config.yaml');
    writeFileSync(config, `${readFileSync(config, 'utf8')}\nremote:\n  lease_s: 0.001\n`);
    git(brief, ['commit', '-q', '-am', 'A lease that ends at once']);
    expect(baton(brief, ['start', c, '--remote', 'origin'], { env: { BATON_RUNNER: 'brief' } }).code).toBe(0);
    const takeover = baton(laptop, ['start', c, '--remote', 'origin'], { env: { BATON_RUNNER: 'laptop' } });
    expect(takeover.code, takeover.stderr).toBe(0);
    const laptopClaim = git(remote, ['rev-parse', `refs/baton/claims/${c}`]);

    // The first claimer finishes: the claim is the laptop's now, so it is left alone, with one line saying so.
    commitWork(brief, 'c-draft.txt');
    const late = baton(brief, ['done', c]);
    expect(late.code, late.stderr).toBe(0);
    expect(late.stdout).toMatch(new RegExp(`The claim on ${c} on origin is held by laptop \\(until \\d{4}-[^)]+\\), not by this runner: left alone\\.`));
    expect(git(remote, ['rev-parse', `refs/baton/claims/${c}`])).toBe(laptopClaim);

    // The laptop merges C: its own claim is given back.
    commitWork(laptop, 'c.txt');
    const merged = baton(laptop, ['done', c, '--merge']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toContain('Pushed the branch and gave back the claim on origin.');
    expect(claims(remote)).toBe('');
    expect(git(laptop, ['show', 'main:c.txt'])).toBe('c.txt\n');

    // A project that uses no remote: start and done talk to none (every git command traced).
    const trace = join(tempDir(), 'git-trace');
    ok(fresh, ['start', d]);
    commitWork(fresh, 'd.txt');
    const local = baton(fresh, ['done', d, '--merge'], { env: { GIT_TRACE: trace } });
    expect(local.code, local.stderr).toBe(0);
    expect(local.stdout).not.toContain('claim');
    const traced = readFileSync(trace, 'utf8');
    expect(traced).toContain('git merge');
    expect(traced).not.toMatch(/\bgit (fetch|push|ls-remote)\b/);
  });
});
