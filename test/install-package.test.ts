/**
 * Installed as a user installs it: `npm pack`, the tarball installed globally
 * into a temp prefix, `baton init` through the installed bin in a repository
 * whose branch is `master`; then the installed package disappears (an npx
 * cache cleared, a prefix moved) and the commits are still recorded.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, GIT_ENV, PROJECT_ROOT, tempDir } from './helpers/repo.js';
import { pathWithout } from './helpers/path.js';
import { commitFile } from './hooks-util.js';

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...GIT_ENV, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

const entries = (text: string) => [...text.matchAll(/^## \S+ commit ([0-9a-f]+)$/gm)].map((m) => m[1]!);

describe('the published package', () => {
  it('installs from its tarball, and its hooks keep recording after the package is gone', () => {
    // dist/ is built by `npm test`'s pretest; `prepack` would rebuild it under the other tests' feet.
    const packs = tempDir('baton-pack-');
    run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packs], PROJECT_ROOT);
    const tarball = join(packs, readdirSync(packs).find((f) => f.endsWith('.tgz'))!);
    const prefix = tempDir('baton-prefix-');
    run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], packs);
    const pkg = join(prefix, 'lib', 'node_modules', '@baton-dev', 'baton');
    for (const f of ['dist/bin.js', 'dist/tokenizer/o200k_base.js', 'hooks/stub', 'hooks/baton.sh', 'LICENSE', 'docs/providers.md', 'demo/run.mjs', 'demo/agent.mjs']) {
      expect(existsSync(join(pkg, f)), f).toBe(true);
    }
    expect(existsSync(join(pkg, 'node_modules', 'gpt-tokenizer'))).toBe(false);
    const PATH = `${join(prefix, 'bin')}:${process.env.PATH}`;

    const repo = tempDir('baton-user-');
    git(repo, ['init', '-q', '-b', 'master']);
    const init = run('baton', ['init'], repo, { PATH });
    expect(init).toContain('base_branch: master (current branch');
    expect(readFileSync(join(repo, '.agents/config.yaml'), 'utf8')).toMatch(/^base_branch: master$/m);
    // No path of this machine in the hooks folder (it may be tracked); it is kept in the git dir.
    for (const hook of ['pre-commit', 'post-commit', 'commit-msg']) {
      expect(readFileSync(join(repo, '.git/hooks', hook), 'utf8')).not.toContain(prefix);
    }
    // init committed what it wrote: the tree is clean, and that commit of baton's own is no memory entry.
    expect(git(repo, ['status', '--porcelain'])).toBe('');
    const first = git(repo, ['rev-parse', 'HEAD']).trim();
    expect(git(repo, ['log', '-1', '--format=%s'])).toContain('Plan: baton init');

    // Gone from where it was installed, and no other baton on PATH or in node_modules.
    renameSync(prefix, `${prefix}-moved`);
    const noBaton = { PATH: pathWithout('baton') };
    const second = commitFile(repo, 'a.txt', 'a\n', 'Second commit, the package gone', [], noBaton);
    commitFile(repo, 'b.txt', 'b\n', 'Third commit', [], noBaton);
    const memory = readFileSync(join(repo, '.agents/memory/project.md'), 'utf8');
    // The second commit, made with the package gone, is recorded (by the third commit's pre-commit).
    expect(entries(memory)).toEqual([second.slice(0, 12)]);
    expect(entries(memory)).not.toContain(first.slice(0, 12));
    expect(git(repo, ['status', '--porcelain'])).toBe('');
  });
});
