/**
 * Issue 19 item 11, the command line: a wrong value is a usage error (exit 2)
 * that names what is accepted and the nearest one, yargs' own words never
 * reach the person, `next` with nothing ready fails as the README says, and
 * the base branch is one that exists (origin/HEAD's at init).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, BIN, git, GIT_ENV, makeProject, makeRepo, ok, read, snapshotFiles, tempDir, write } from './helpers/repo.js';

describe('usage errors a person can act on', () => {
  it('`memory --since`: yesterday and today are days in UTC; anything else is exit 2 with the forms it takes', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Write notes');
    ok(dir, ['log', id, '--note', 'a note for today']);
    expect(ok(dir, ['memory', '--since', 'yesterday'])).toContain('a note for today');
    expect(ok(dir, ['memory', '--since', 'today'])).toContain('a note for today');
    const bad = baton(dir, ['memory', '--since', 'last tuesday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('`--since last tuesday` is not a date');
    expect(bad.stderr).toContain('`yesterday`');
    expect(bad.stdout).toBe('');
  });

  it('`memory --kind comit` is exit 2 naming the kinds and the one meant', () => {
    const dir = makeProject();
    const r = baton(dir, ['memory', '--kind', 'comit']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('`--kind comit` is not a kind of memory entry. Did you mean `commit`?');
    expect(r.stderr).toContain('Kinds: commit, attempt, result, bug, decision');
    expect(ok(dir, ['memory', '--kind', 'decision,bug'])).toContain('No memory entries match.');
  });

  it('`next` with nothing ready exits 1, as text and as JSON', () => {
    const dir = makeProject();
    const r = baton(dir, ['next']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Nothing is ready.');
    const j = baton(dir, ['next', '--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout).tasks).toEqual([]);
    addTask(dir, 'Write notes');
    expect(baton(dir, ['next']).code).toBe(0);
  });

  it('`mcp --print-config foo` and `init --agents foo` are usage errors (exit 2), with a suggestion when one is near', () => {
    const dir = makeProject();
    const mcp = baton(dir, ['mcp', '--print-config', 'curser']);
    expect(mcp.code).toBe(2);
    expect(mcp.stderr).toContain('unknown MCP client `curser`. Did you mean `cursor`?');
    const repo = makeRepo();
    const init = baton(repo, ['init', '--no-hooks', '--agents', 'claud']);
    expect(init.code).toBe(2);
    expect(init.stderr).toContain('unknown agent in --agents: `claud`. Did you mean `claude`?');
  });

  it('mistyped commands and options get a "did you mean"; yargs\' raw messages are said in words', () => {
    const dir = makeProject();
    const cases: [string[], string][] = [
      [['stauts'], 'unknown command `stauts`. Did you mean `status`?'],
      [['next', '--limt', '2'], 'unknown option `--limt`. Did you mean `--limit`?'],
      [['status', '--jsn'], 'unknown option `--jsn`. Did you mean `--json`?'],
      [['start'], '`baton start` needs <id>. Usage: `baton start <id>`.'],
      [['config', 'set', 'base_branch'], '`baton config set` needs <value>. Usage: `baton config set <key> <value>`.'],
      [['log', 'T-1', '--outcome', 'sucess'], '`--outcome sucess` is not one of: `success`, `partial`, `failure`. Did you mean `success`?'],
      [['log', 'T-1', '--from'], '`--from` needs a value.'],
      [['status', 'extra'], 'unexpected argument `extra`. Usage: `baton status`. Put text with spaces in quotes'],
    ];
    for (const [args, said] of cases) {
      const r = baton(dir, args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(said);
      expect(r.stderr).not.toMatch(/non-option arguments|Unknown argument|Invalid values|Not enough arguments/);
    }
  });
});

describe('the base branch exists', () => {
  it('`config set base_branch` refuses a branch that does not exist: exit 2, the branches there are, nothing written', () => {
    const dir = makeProject();
    git(dir, ['branch', 'develop']);
    const before = snapshotFiles(dir);
    const r = baton(dir, ['config', 'set', 'base_branch', 'devlop']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no branch `devlop` in this repository. Did you mean `develop`?');
    expect(r.stderr).toContain('Branches: `develop`, `main`');
    expect(snapshotFiles(dir)).toEqual(before);
    expect(ok(dir, ['config', 'set', 'base_branch', 'develop'])).toContain('base_branch = develop');
  });

  it('`init` on a feature branch of a clone takes origin/HEAD\'s branch (master), not the current one', () => {
    const origin = makeRepo();
    git(origin, ['branch', '-q', '-m', 'main', 'master']);
    const dir = tempDir('baton-clone-');
    git(dir, ['clone', '-q', origin, '.']);
    git(dir, ['switch', '-q', '-c', 'feature/login']);
    const out = ok(dir, ['init', '--no-hooks']);
    expect(out).toContain('base_branch: master (origin/HEAD');
    expect(read(dir, '.agents/config.yaml')).toMatch(/^base_branch: master$/m);
    // Without a remote, the current branch, as before.
    const alone = makeRepo();
    git(alone, ['switch', '-q', '-c', 'trunk']);
    ok(alone, ['init', '--no-hooks']);
    expect(read(alone, '.agents/config.yaml')).toMatch(/^base_branch: trunk$/m);
  });
});

describe('shell completion', () => {
  it('offers the plan\'s task ids where a command takes one, in bash', () => {
    const dir = makeProject();
    const a = addTask(dir, 'Write notes');
    const b = addTask(dir, 'Read notes');
    const bin = tempDir('baton-bin-');
    write(bin, 'baton', `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(bin, 'baton'), 0o755);
    const env = { ...process.env, ...GIT_ENV, PATH: `${bin}:${process.env.PATH}` };
    const script = spawnSync(join(bin, 'baton'), ['completion', 'bash'], { cwd: dir, env, encoding: 'utf8' }).stdout;
    const complete = (words: string[]) => {
      write(bin, 'complete.bash', `${script}\nCOMP_WORDS=(${words.map((w) => `"${w}"`).join(' ')}); COMP_CWORD=${words.length - 1}; _baton_yargs_completions; echo "\${COMPREPLY[@]}"\n`);
      const r = spawnSync('bash', [join(bin, 'complete.bash')], { cwd: dir, env, encoding: 'utf8' });
      return r.stdout.trim().split(/\s+/);
    };
    expect(complete(['baton', 'start', 'T-'])).toEqual([a, b].sort());
    expect(complete(['baton', 'task', 'show', a.slice(0, 4)])).toContain(a);
    expect(complete(['baton', 'prompt', ''])).toEqual(expect.arrayContaining([a, b]));
    expect(complete(['baton', 'log', a, '--outcome', ''])).not.toContain(b); // an option's value, not an id
    expect(complete(['baton', 'status', ''])).not.toContain(a); // status takes no id
  });
});
