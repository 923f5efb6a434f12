/**
 * A global `core.hooksPath` (issue 21): a folder every repository of the user
 * shares. `baton init` and `hooks install` never write into it unasked; they
 * give this repository its own hooks folder, whose hooks run the global ones too.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, git, makeRepo, ok, read, tempDir } from './helpers/repo.js';

function globalHooks(): { env: Record<string, string>; folder: string; ran: string } {
  const home = tempDir();
  const folder = join(home, 'global-hooks');
  mkdirSync(folder);
  const ran = join(home, 'ran.log');
  writeFileSync(join(folder, 'pre-commit'), `#!/bin/sh\necho "global pre-commit in $PWD" >> '${ran}'\n`);
  chmodSync(join(folder, 'pre-commit'), 0o755);
  const config = join(home, 'gitconfig');
  writeFileSync(config, `[core]\n\thooksPath = ${folder}\n`);
  return { env: { GIT_CONFIG_GLOBAL: config }, folder, ran };
}

function commit(dir: string, name: string, env: Record<string, string>): void {
  writeFileSync(join(dir, name), `${name}\n`);
  git(dir, ['add', name], env);
  git(dir, ['commit', '-q', '-m', `Add ${name}`], env);
}

describe('a global core.hooksPath', () => {
  it('init installs per repository: the global folder is untouched, commits are recorded, the global hook still runs; uninstall restores', () => {
    const { env, folder, ran } = globalHooks();
    const dir = makeRepo();
    const init = baton(dir, ['init'], { env });
    expect(init.code).toBe(0);
    expect(readdirSync(folder)).toEqual(['pre-commit']);
    expect(readFileSync(join(folder, 'pre-commit'), 'utf8')).not.toContain('baton-hook');
    expect(init.stdout).toContain('outside this repository');
    git(dir, ['add', '-A'], env);
    git(dir, ['commit', '-q', '-m', 'baton init'], env);
    commit(dir, 'a.txt', env);
    commit(dir, 'b.txt', env);
    expect(read(dir, '.agents/memory/project.md')).toContain('Add a.txt'); // recorded by baton's hooks here
    expect(readFileSync(ran, 'utf8')).toContain(`global pre-commit in ${dir}`);

    // Another repository of the same user runs no baton hook.
    const other = makeRepo();
    commit(other, 'c.txt', env);
    expect(readdirSync(other)).not.toContain('.agents');

    ok(dir, ['hooks', 'uninstall'], { env });
    expect(readFileSync(join(dir, '.git/config'), 'utf8')).not.toMatch(/hooksPath/);
    expect(readdirSync(folder)).toEqual(['pre-commit']);
  });

  it('--global installs into the global folder, as asked', () => {
    const { env, folder } = globalHooks();
    const dir = makeRepo();
    ok(dir, ['init', '--global'], { env });
    expect(readdirSync(folder)).toContain('post-commit');
    expect(readFileSync(join(folder, 'post-commit'), 'utf8')).toContain('baton-hook');
  });
});
