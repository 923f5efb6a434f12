/** What every CLI user expects: pipes, help, strict flags, --json, colour, exit codes, relative dates. */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addTask, baton, batonAsync, BIN, git, GIT_ENV, makeProject, ok, PROJECT_ROOT, read, tempDir, write, type RunResult } from './helpers/repo.js';

const ANSI = /\u001b\[\d+m/;

/** Run baton with its stdout a pipe whose reader has already gone, as in `baton … | head -1`. */
function closedPipe(cwd: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...GIT_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: '', stderr }));
  });
}

describe('a closed pipe ends baton quietly', () => {
  let dir: string;
  let ids: string[];
  beforeAll(() => {
    dir = makeProject();
    ids = ['Schema', 'Login', 'Docs'].map((t) => addTask(dir, t));
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'tasks']);
  });

  it('`status`, `task list` and `start --worktree` into a closed pipe: no stack trace, exit 0, the work done', async () => {
    const [piped, list, start] = await Promise.all([
      closedPipe(dir, ['status']),
      closedPipe(dir, ['task', 'list']),
      closedPipe(dir, ['start', ids[0]!, '--worktree']),
    ]);
    for (const r of [piped, list, start]) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    // The task was still started: its branch exists and says in-progress.
    expect(git(dir, ['branch', '--list', `task/${ids[0]}-*`])).toContain(`task/${ids[0]}-schema`);
    const status = JSON.parse(ok(dir, ['status', '--json'])) as { inFlight: { id: string; status: string }[] };
    expect(status.inFlight).toEqual([expect.objectContaining({ id: ids[0], status: 'in-progress' })]);
  });
});

describe('help, strict flags and numbers', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject();
    addTask(dir, 'One');
    addTask(dir, 'Two');
  });

  it('every command has examples in its help, and every option a description', async () => {
    const top = ok(dir, ['--help']);
    const commands = [...top.matchAll(/^ {2}baton ([a-z-]+)/gm)].map((m) => m[1]!);
    expect(commands).toEqual(expect.arrayContaining(['init', 'task', 'status', 'next', 'hooks', 'memory', 'run', 'auto', 'completion']));
    const groups: Record<string, string[]> = { task: ['add', 'show', 'list', 'edit', 'set'], hooks: ['install', 'uninstall', 'status'], memory: ['rebuild'] };
    const all = commands.filter((c) => c !== 'completion').flatMap((c) => [[c], ...(groups[c] ?? []).map((s) => [c, s])]);
    const helps = await Promise.all(all.map((words) => batonAsync(dir, [...words, '--help'])));
    helps.forEach((h, i) => {
      const name = all[i]!.join(' ');
      expect(h.code, name).toBe(0);
      expect(h.stdout, name).toContain('Examples:');
      const options = h.stdout.split('Options:\n')[1]!.split('\n\n')[0]!.split('\n').filter((l) => /^\s+(-\w, )?--/.test(l));
      expect(options.length, name).toBeGreaterThan(0);
      // A described option reads `--flag  What it does  [type]`; an undescribed one, `--flag  [type]`.
      for (const line of options) expect(line, `${name}: ${line}`).toMatch(/^\s+(-\w, )?--[\w-]+(, -\w)?\s{2,}[^\s[]/);
    });
  });

  it('a bare command group lists its subcommands; unknown commands and flags are refused with a suggestion', () => {
    const hooks = baton(dir, ['hooks']);
    expect(hooks.code).toBe(0);
    for (const sub of ['install', 'uninstall', 'status']) expect(hooks.stdout).toContain(`baton hooks ${sub}`);
    expect(ok(dir, ['task'])).toContain('baton task list');

    const typo = baton(dir, ['hooks', 'instal']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown command `instal`. Did you mean `install`?');
    const top = baton(dir, ['statu']);
    expect(top.code).toBe(2);
    expect(top.stderr).toContain('unknown command `statu`. Did you mean `status`?');
    const flag = baton(dir, ['status', '--branchs']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('unknown option `--branchs`. Did you mean `--branches`?');
  });

  it('numbers are validated: `next -n abc` is a usage error, `next -n 1` works', () => {
    const bad = baton(dir, ['next', '-n', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('`--limit` takes a number');
    expect(bad.stdout).toBe('');
    const negative = baton(dir, ['auto', '--parallel', '0']);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain('`--parallel` must be 1 or more');
    expect(ok(dir, ['next', '-n', '1']).trim().split('\n')).toHaveLength(1);
  });

  it('`baton completion bash` completes commands in bash; `completion zsh` prints a zsh script', () => {
    const bin = tempDir('baton-bin-');
    write(bin, 'baton', `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(bin, 'baton'), 0o755);
    const env = { ...process.env, ...GIT_ENV, PATH: `${bin}:${process.env.PATH}` };
    const script = spawnSync(join(bin, 'baton'), ['completion', 'bash'], { cwd: dir, env, encoding: 'utf8' }).stdout;
    write(bin, 'complete.bash', `${script}\nCOMP_WORDS=(baton ta); COMP_CWORD=1; _baton_yargs_completions; echo "\${COMPREPLY[@]}"\n`);
    const completed = spawnSync('bash', [join(bin, 'complete.bash')], { cwd: dir, env, encoding: 'utf8' });
    expect(completed.stdout.trim()).toBe('task');
    const zsh = ok(dir, ['completion', 'zsh']);
    expect(zsh).toMatch(/^#compdef baton/);
    expect(zsh).toContain('compdef _baton_yargs_completions baton');
    const fish = baton(dir, ['completion', 'fish']);
    expect(fish.code).toBe(2);
    expect(fish.stderr).toContain('no completion script for `fish`');
  });
});

describe('--json', () => {
  let dir: string;
  let a: string;
  let b: string;
  beforeAll(() => {
    dir = makeProject();
    a = addTask(dir, 'Schema');
    b = addTask(dir, 'Login', '--depends-on', a);
  });

  it('is a global option with one shape: schemaVersion first, camelCase keys, lists under a name', () => {
    const before = JSON.parse(ok(dir, ['--json', 'status']));
    const after = JSON.parse(ok(dir, ['status', '--json']));
    expect(before).toEqual(after);
    expect(Object.keys(before)[0]).toBe('schemaVersion');
    expect(before.schemaVersion).toBe(1);
    expect(before.blocked).toEqual([expect.objectContaining({ id: b, waitingOn: [a] })]);
    const list = JSON.parse(ok(dir, ['--json', 'task', 'list']));
    expect(list.schemaVersion).toBe(1);
    expect(list.tasks.find((t: { id: string }) => t.id === b)).toMatchObject({ dependsOn: [a] });
    expect(JSON.stringify(list)).not.toMatch(/"[a-z]+_[a-z_]+":/);
    expect(JSON.parse(ok(dir, ['next', '--json'])).tasks.map((t: { id: string }) => t.id)).toEqual([a]);
  });

  it('errors are JSON on stderr, with the exit code, and nothing on stdout', () => {
    const missing = baton(dir, ['--json', 'task', 'show', 'T-ffff9']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    const error = JSON.parse(missing.stderr);
    expect(error).toMatchObject({ schemaVersion: 1, error: { exitCode: 1 } });
    expect(error.error.message).toContain('no task `T-ffff9`');
    const usage = baton(dir, ['next', '-n', 'x', '--json']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stderr).error).toMatchObject({ message: '`--limit` takes a number', exitCode: 2 });
  });

  it('docs/json.md documents the shape of every command that prints JSON', () => {
    const doc = readFileSync(join(PROJECT_ROOT, 'docs/json.md'), 'utf8');
    for (const c of ['status', 'next', 'task list', 'task show', 'memory', 'cost', 'doctor', 'start', 'log', 'done', 'run', 'auto', 'plan', 'review', 'prompt']) {
      expect(doc, c).toContain(`\`baton ${c}`);
    }
    expect(doc).toContain('schemaVersion');
  });
});

describe('colour, exit codes and relative dates', () => {
  let dir: string;
  let done: string;
  beforeAll(() => {
    dir = makeProject();
    done = addTask(dir, 'Finished');
    addTask(dir, 'Open');
    ok(dir, ['task', 'set', done, '--status', 'done']);
  });

  it('colours a terminal (FORCE_COLOR stands in for one), never a pipe, never under NO_COLOR', () => {
    const forced = ok(dir, ['task', 'list'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(forced).toContain(`${done}  \u001b[32mdone`);
    expect(ok(dir, ['task', 'list'], { env: { NO_COLOR: '', FORCE_COLOR: '' } })).not.toMatch(ANSI);
    expect(ok(dir, ['task', 'list'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } })).not.toMatch(ANSI);
  });

  it('one exit-code table, in `baton --help` and in the README', () => {
    const help = ok(dir, ['--help']);
    const table = help.slice(help.indexOf('Exit codes:')).trim();
    for (const code of ['0', '1', '2', '3', '130']) expect(table).toMatch(new RegExp(`^ {2}${code} +\\S`, 'm'));
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    for (const line of table.split('\n').slice(1)) {
      const [code, meaning] = [line.trim().split(/\s+/)[0]!, line.trim().replace(/^\d+\s+/, '')];
      expect(readme).toContain(`| ${code} | ${meaning} |`);
    }
  });

  it('`--since` takes 2d, 12h, 1w as well as dates, for memory and cost', () => {
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const day = 86_400_000;
    const usage = (time: string, tokens: number) => `## ${time} usage planner gpt-5\nprompt_tokens: ${tokens}\ncompletion_tokens: 0\ncost_usd: unknown\ncalls: 1\nfor: plan\n`;
    write(dir, '.agents/memory/project.md', [
      '# Memory: project\n',
      `## ${ago(10 * day)} decision\nTen days old.\n`,
      `## ${ago(3 * day)} decision\nThree days old.\n`,
      `## ${ago(3_600_000)} decision\nAn hour old.\n`,
      usage(ago(3 * day), 1000),
      usage(ago(3_600_000), 7),
    ].join('\n'));
    const twoDays = ok(dir, ['memory', 'project', '--kind', 'decision', '--since', '2d']);
    expect(twoDays).toContain('An hour old.');
    expect(twoDays).not.toContain('Three days old.');
    const week = ok(dir, ['memory', 'project', '--kind', 'decision', '--since', '1w']);
    expect(week).toContain('Three days old.');
    expect(week).not.toContain('Ten days old.');
    expect(ok(dir, ['memory', 'project', '--since', '12h', '--kind', 'decision'])).not.toContain('Three days old.');
    expect(ok(dir, ['memory', 'project', '--since', ago(11 * day).slice(0, 10), '--kind', 'decision'])).toContain('Ten days old.');
    expect(JSON.parse(ok(dir, ['cost', '--since', '2d', '--json'])).total.promptTokens).toBe(7);
    expect(JSON.parse(ok(dir, ['cost', '--json'])).total.promptTokens).toBe(1007);
    const bad = baton(dir, ['memory', '--since', '2 fortnights']);
    expect(bad.code).toBe(2); // a usage error
    expect(bad.stderr).toContain('Give a time ago (30m, 12h, 2d, 1w)');
    expect(read(dir, '.agents/memory/project.md')).toContain('Ten days old.');
  });
});
