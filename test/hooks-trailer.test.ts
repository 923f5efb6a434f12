/** The commit-msg hook adds the trailer with sh builtins: it must agree with `git interpret-trailers`. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, tempDir } from './helpers/repo.js';

const LIB = join(PROJECT_ROOT, 'hooks', 'baton.sh');

function viaHook(message: string): string {
  const file = join(tempDir(), 'MSG');
  writeFileSync(file, message);
  // baton_setup is replaced: the branch's task is given, as the hook would find it.
  const r = spawnSync('sh', ['-c', `. '${LIB}'; baton_setup() { baton_id=T-abcd; }; baton_commit_msg "$1"`, 'sh', file], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return readFileSync(file, 'utf8');
}

function viaGit(message: string): string {
  const file = join(tempDir(), 'MSG');
  writeFileSync(file, message);
  spawnSync('git', ['interpret-trailers', '--in-place', '--if-exists', 'doNothing', '--trailer', 'Task: T-abcd', file]);
  return readFileSync(file, 'utf8');
}

describe('commit-msg trailer', () => {
  it.each([
    ['a subject', 'Add login\n'],
    ['a subject and body', 'Add login\n\nWith a session cookie.\nTwo lines.\n'],
    ['an existing trailer block', 'Add login\n\nBody.\n\nSigned-off-by: A <a@example.com>\n'],
    ['a conventional subject', 'feat: add login\n'],
    ['trailing blank lines', 'Add login\n\n\n'],
    ['a Task trailer already', 'Add login\n\nTask: T-0001\n'],
  ])('%s: same as git interpret-trailers', (_name, message) => {
    // Trailing blank lines aside: git's message cleanup drops them from the commit either way.
    const clean = (s: string) => s.replace(/\n+$/, '\n');
    expect(clean(viaHook(message))).toBe(clean(viaGit(message)));
  });

  it('leaves an empty message empty, so that git still aborts the commit', () => {
    expect(viaHook('\n# Please enter the commit message\n')).toBe('\n# Please enter the commit message\n');
  });

  it('puts the trailer before comments and the `git commit -v` diff', () => {
    const out = viaHook('Add login\n# comment\n# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n');
    expect(out).toBe('Add login\n\nTask: T-abcd\n# comment\n# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n');
  });
});
