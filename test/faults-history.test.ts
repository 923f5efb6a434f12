/**
 * Long histories (issue 21): memory read from the diffs of its files, never from
 * every version, so `doctor` and `done` cost what the history adds, not its square;
 * and a `done` that fails half-way leaves the checkout where it was.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, git, GIT_ENV, makeProject, ok, read } from './helpers/repo.js';

/** `git fast-import` of `count` commits on `branch`, each writing the whole `memory(i)` into `path`. */
function importCommits(dir: string, branch: string, path: string, count: number, memory: (i: number) => string, task: string): void {
  const data = (s: string) => `data ${Buffer.byteLength(s)}\n${s}`;
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    parts.push(`commit refs/heads/${branch}\ncommitter T <t@example.com> ${1_780_000_000 + i * 60} +0000\n${data(`Step ${i}\n\nTask: ${task}\n`)}`);
    if (i === 0) parts.push(`from refs/heads/${branch}^0\n`);
    parts.push(`M 100644 inline ${path}\n${data(memory(i))}M 100644 inline src/step.ts\n${data(`export const step = ${i};\n`)}`);
  }
  const r = spawnSync('git', ['fast-import', '--quiet'], { cwd: dir, input: parts.join(''), env: { ...process.env, ...GIT_ENV }, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`fast-import: ${r.stderr}`);
}

const stamp = (i: number) => new Date((1_780_000_000 + i * 60) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('long histories', () => {
  // Heavy by necessity: the versions must pass 256 MiB in all (what made doctor fail); vitest's 60 s default is no bound for it on a busy machine.
  it('270 versions of a 1 MiB memory file (270 MiB in all): doctor names the entry deleted, done --merge restores it', { timeout: 900_000 }, () => {
    const dir = makeProject();
    const id = JSON.parse(ok(dir, ['task', 'add', 'Long work', '--json'])).id as string;
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Plan']);
    ok(dir, ['start', id]);
    const branch = git(dir, ['branch', '--show-current']).trim();
    const path = `.agents/memory/${id}.md`;
    const start = read(dir, path);
    const big = `## ${stamp(0)} note\nA long paste:\n\n${'x'.repeat(100).concat('\n').repeat(10_500)}`;
    const notes = (upTo: number, skip = -1) =>
      Array.from({ length: upTo + 1 }, (_, j) => j).filter((j) => j !== skip).map((j) => `\n## ${stamp(j + 1)} decision\nDecision ${j}.\n`).join('');
    // The last commit drops decision 7 (a bad hand edit): the one entry history must give back.
    importCommits(dir, branch, path, 270, (i) => `${start}\n${big}${notes(i, i === 269 ? 7 : -1)}`, id);
    git(dir, ['reset', '-q', '--hard', branch]);
    expect(read(dir, path)).not.toContain('Decision 7.');

    const doctor = baton(dir, ['doctor']);
    expect(doctor.stderr).not.toMatch(/ENOBUFS|Install git/);
    expect(doctor.stdout).toMatch(new RegExp(`${path}:\\d+: warning: decision entry of ${stamp(8)} deleted`));
    expect(doctor.stdout.match(/ deleted \(line/g)).toHaveLength(1);

    git(dir, ['switch', '-q', 'main']);
    ok(dir, ['done', id, '--merge', '--skip-checks', '--force']);
    const merged = read(dir, path);
    expect(merged.match(/Decision 7\./g)).toHaveLength(1);
    expect(merged.match(/^## .* decision$/gm)).toHaveLength(270);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    expect(git(dir, ['branch', '--show-current']).trim()).toBe('main');
  });

  it('done --merge whose closing commit a hook refuses: the checkout is back where it was, clean, and the hook is named', () => {
    const dir = makeProject();
    const id = JSON.parse(ok(dir, ['task', 'add', 'Refused close', '--json'])).id as string;
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Plan']);
    ok(dir, ['start', id]);
    writeFileSync(join(dir, 'work.txt'), 'work\n');
    git(dir, ['add', 'work.txt']);
    git(dir, ['commit', '-q', '-m', 'Work (not in memory yet: no hooks)']);
    git(dir, ['switch', '-q', 'main']);
    const before = git(dir, ['rev-parse', 'main', 'HEAD']);
    // The user's own pre-commit hook (a linter) refuses baton's closing commit.
    writeFileSync(join(dir, '.git/hooks/pre-commit'), '#!/bin/sh\necho "lint: refused by the project linter" >&2\nexit 1\n');
    chmodSync(join(dir, '.git/hooks/pre-commit'), 0o755);
    const r = baton(dir, ['done', id, '--merge', '--skip-checks']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('refused by the project linter');
    expect(r.stderr).not.toMatch(/git switch/);
    expect(git(dir, ['branch', '--show-current']).trim()).toBe('main');
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    expect(git(dir, ['rev-parse', 'main', 'HEAD'])).toBe(before);
  });
});
