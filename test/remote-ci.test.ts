import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { addTask, baton, BIN, git, GIT_ENV, ok, PROJECT_ROOT, read, tempDir, write } from './helpers/repo.js';
import { makeAgentProject, report } from './fixtures/agent-project.js';

const CHECK = join(PROJECT_ROOT, 'test', 'fixtures', 'workflow-check', 'check.mjs');

/** GitHub's own parser (@actions/workflow-parser) on the file: its errors and the jobs it found. */
function validate(file: string): { errors: string[]; jobs: { id: string; needs: string[] }[] } {
  const r = spawnSync(process.execPath, [CHECK, file], { encoding: 'utf8', cwd: PROJECT_ROOT });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

/** A `baton` on PATH, as the workflow's steps expect. */
function batonOnPath(): string {
  const dir = tempDir('baton-bin-');
  writeFileSync(join(dir, 'baton'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(dir, 'baton'), 0o755);
  return dir;
}

describe('runners in CI: claims for one task, and the GitHub Actions workflow', () => {
  it('writes a valid workflow whose plan step lists the unclaimed ready tasks within the budget; run --remote claims, pushes, releases', () => {
    const p = makeAgentProject();
    const a = addTask(p.dir, 'Task A', '--check', 'test -f a.txt');
    const b = addTask(p.dir, 'Task B', '--check', 'test -f b.txt');
    addTask(p.dir, 'Task C', '--depends-on', a);
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    p.setScript({ tasks: [{ match: b, attempts: [{ write: { 'b.txt': 'b\n' }, commit: 'Add b', report: report('success', 'Wrote b.txt.') }] }] });
    const remote = join(tempDir(), 'shared.git');
    git(p.dir, ['clone', '-q', '--bare', p.dir, remote]);
    const clone = (name: string) => {
      const dir = join(tempDir(), name);
      git(remote, ['clone', '-q', remote, dir]);
      return dir;
    };
    const work = clone('work');
    const laptop = clone('laptop');

    // The workflow: GitHub's parser accepts it; three jobs in order.
    const init = baton(work, ['ci', 'init', 'github']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('Add these repository secrets: OPENAI_API_KEY');
    const file = join(work, '.github/workflows/baton.yml');
    const checked = validate(file);
    expect(checked.errors).toEqual([]);
    expect(checked.jobs).toEqual([
      { id: 'plan', needs: [] }, { id: 'run', needs: ['plan'] }, { id: 'publish', needs: ['plan', 'run'] },
      { id: 'review', needs: ['plan', 'publish'] }, { id: 'next', needs: ['plan', 'publish'] },
    ]);
    const wf = parse(readFileSync(file, 'utf8'));
    expect(Object.keys(wf.on.workflow_dispatch.inputs)).toEqual(['max_parallel', 'max_tasks', 'budget_usd', 'merge', 'rounds']);
    expect(wf.concurrency['cancel-in-progress']).toBe(false);
    expect(wf.jobs.run.strategy.matrix.task).toBe('${{ fromJSON(needs.plan.outputs.tasks) }}');
    expect(wf.jobs.run.strategy['max-parallel']).toContain('inputs.max_parallel');
    const runStep = wf.jobs.run.steps.find((s: { run?: string }) => s.run?.startsWith('baton run'));
    // No claim from the run job: its token cannot push (the plan job skips claimed tasks; runs are serialised).
    expect(runStep.run).toBe('baton run "${{ matrix.task }}"');
    // Every job installs the published package, whose command is `baton`, at the version that wrote the workflow.
    const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
    for (const job of ['plan', 'run', 'publish', 'review', 'next']) {
      expect(wf.jobs[job].steps.find((s: { name?: string }) => s.name === 'Install baton').run).toBe(`npm install --global @baton-dev/baton@${version}`);
    }
    expect(runStep.env.OPENAI_API_KEY).toBe('${{ secrets.OPENAI_API_KEY }}');
    expect(wf.jobs.publish.steps.some((s: { run?: string }) => s.run?.includes('baton ci publish'))).toBe(true);
    expect(wf.jobs.review.steps.some((s: { run?: string }) => s.run === 'baton review')).toBe(true);

    // Someone claims A from another clone; a third sees who has it and cannot take it.
    const started = baton(laptop, ['start', a, '--remote', 'origin'], { env: { BATON_RUNNER: 'laptop' } });
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toMatch(/Claimed on origin as laptop until \d{4}-/);
    const third = clone('third');
    const refused = baton(third, ['start', a, '--remote', 'origin']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`\`${a}\` is claimed on \`origin\` by \`laptop\``);
    // A clone that has not fetched A's branch yet sees the claim on the remote.
    const fresh = clone('fresh');
    const listed = ok(fresh, ['next', '--remote', 'origin']);
    expect(listed).toMatch(new RegExp(`${a}\\s+Task A  \\(claimed by laptop until \\d{4}-`));
    expect(listed).toMatch(new RegExp(`${b}\\s+Task B\\n`));
    const status = JSON.parse(ok(work, ['status', '--remote', 'origin', '--json']));
    expect(status.remote.claims).toMatchObject([{ id: a, runner: 'laptop', expired: false }]);
    expect(status.remote.branches).toMatchObject([{ id: a, status: 'in-progress' }]);

    // The plan job's step, run as GitHub would: A is claimed, C waits on A, so B alone.
    const step = wf.jobs.plan.steps.find((s: { id?: string }) => s.id === 'next');
    const plan = (budget: string) => {
      const output = join(tempDir(), 'github-output');
      writeFileSync(output, '');
      const r = spawnSync('bash', ['-e', '-c', step.run], {
        cwd: work, encoding: 'utf8',
        env: { ...process.env, ...GIT_ENV, PATH: `${batonOnPath()}:${process.env.PATH}`, GITHUB_OUTPUT: output, RUNNER_TEMP: tempDir(), MAX_TASKS: '8', BUDGET_USD: budget },
      });
      expect(r.status, r.stderr).toBe(0);
      return { out: readFileSync(output, 'utf8'), log: r.stdout };
    };
    expect(plan('').out).toBe(`tasks=["${b}"]\nany=true\n`);
    // Model cost recorded in memory reaches the budget: nothing starts.
    write(work, `.agents/memory/project.md`, '# Memory: project\n\n## 2026-11-01T00:00:00Z usage\nrole: planner\nmodel: gpt-5\nprompt_tokens: 1000\ncompletion_tokens: 1000\ncost_usd: 2.5\n');
    const spent = plan('2');
    expect(spent.out).toBe('tasks=[]\nany=false\n');
    expect(spent.log).toContain('Budget reached: $2.50 of $2');
    git(work, ['checkout', '--', '.agents/memory']);

    // `run --remote` (a runner elsewhere, e.g. `baton auto --remote`): B is claimed while it runs, its branch pushed, the claim released.
    const run = baton(work, ['run', b, '--remote', 'origin'], { env: { ...p.env, BATON_RUNNER: 'ci-1' } });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const branch = git(remote, ['for-each-ref', '--format=%(refname:short)', `refs/heads/task/${b}-*`]).trim();
    expect(git(remote, ['show', `${branch}:b.txt`])).toBe('b\n');
    expect(git(remote, ['show', `${branch}:.agents/memory/${b}.md`])).toMatch(/ result success\nWrote b.txt./);
    expect(git(remote, ['for-each-ref', '--format=%(refname)', 'refs/baton/claims/'])).toBe(`refs/baton/claims/${a}\n`);
    // B, finished on its pushed branch and awaiting its pull request, is no longer offered; A is in progress,
    // shown with its claim alike here and in a clone that has fetched A's branch (the claim decides).
    const ready = JSON.parse(ok(fresh, ['next', '--remote', 'origin', '--json'])).tasks;
    expect(ready).toEqual([expect.objectContaining({ id: a, status: 'in-progress', claimedBy: 'laptop' })]);
    expect(JSON.parse(ok(work, ['next', '--remote', 'origin', '--json'])).tasks).toEqual(ready);

    // A workflow changed by hand is not overwritten without --force.
    write(work, '.github/workflows/baton.yml', `${read(work, '.github/workflows/baton.yml')}# mine\n`);
    const again = baton(work, ['ci', 'init', 'github']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('`.github/workflows/baton.yml` already exists and differs');
    expect(read(work, '.github/workflows/baton.yml')).toMatch(/# mine\n$/);
  });
});
