/**
 * `baton prompt --copy`: through whichever clipboard tool is on PATH, and a
 * clear error naming them all when there is none.
 */
import { chmodSync, existsSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, makeProject, ok, read, tempDir, write } from './helpers/repo.js';

/** A PATH folder with git only, so no real clipboard tool on this machine can answer. */
function gitOnlyPath(): string {
  const bin = tempDir('baton-bin-');
  symlinkSync(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim(), join(bin, 'git'));
  return bin;
}

describe('baton prompt --copy', () => {
  it('pipes the prompt to xclip when that is what the machine has', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Copy me');
    const fake = tempDir('baton-fake-');
    const sink = join(fake, 'clipboard.txt');
    const cat = execFileSync('sh', ['-c', 'command -v cat'], { encoding: 'utf8' }).trim();
    // `echo` is a shell builtin; `cat` is called by its full path since PATH holds only the fake tools.
    write(fake, 'xclip', `#!/bin/sh\necho "$@" > "${sink}.args"\n"${cat}" > "${sink}"\n`);
    chmodSync(join(fake, 'xclip'), 0o755);
    const r = baton(dir, ['prompt', id, '--copy'], { env: { PATH: `${fake}:${gitOnlyPath()}` } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Copied to the clipboard with xclip.');
    expect(read(fake, 'clipboard.txt')).toBe(read(dir, `.git/baton/prompts/${id}.md`));
    expect(read(fake, 'clipboard.txt.args')).toBe('-selection clipboard\n');
    expect(read(fake, 'clipboard.txt')).toContain(`# Task ${id}: Copy me`);
  });

  it('says which tools it looked for when none is installed, and exits 1', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Copy me');
    const r = baton(dir, ['prompt', id, '--copy'], { env: { PATH: gitOnlyPath() } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no clipboard tool found');
    for (const tool of ['pbcopy', 'wl-copy', 'xclip', 'xsel', 'clip.exe']) expect(r.stderr).toContain(`\`${tool}\``);
    expect(r.stderr).toContain('--out FILE');
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, `.git/baton/prompts/${id}.md`))).toBe(false);
    // Without --copy the same PATH works: stdout is the prompt.
    expect(ok(dir, ['prompt', id], { env: { PATH: gitOnlyPath() } })).toContain(`# Task ${id}: Copy me`);
  });
});
