import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, ok, tempDir } from './helpers/repo.js';
import { agentEvents, makeAgentProject, report } from './fixtures/agent-project.js';

/**
 * A stand-in for GitHub's `gh` on PATH: it records its arguments, the body it
 * read (`--body-file -`) and where it ran, then prints a pull request URL, or
 * fails as gh does without a valid token when GH_FAIL is set.
 */
function fakeGh(): { path: string; log: string } {
  const dir = tempDir('baton-gh-');
  const log = join(dir, 'calls.jsonl');
  writeFileSync(log, '');
  writeFileSync(join(dir, 'gh'), `#!${process.execPath}
const fs = require('fs');
const body = fs.readFileSync(0, 'utf8');
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args: process.argv.slice(2), body, cwd: process.cwd() }) + '\\n');
if (process.env.GH_FAIL) {
  process.stderr.write('HTTP 401: Bad credentials (https://api.github.com/graphql)\\n');
  process.exit(1);
}
const n = fs.readFileSync(${JSON.stringify(log)}, 'utf8').trim().split('\\n').length;
process.stdout.write('https://github.test/acme/app/pull/' + n + '\\n');
`);
  chmodSync(join(dir, 'gh'), 0o755);
  return { path: dir, log };
}

interface GhCall {
  args: string[];
  body: string;
  cwd: string;
}

describe('baton auto --remote --no-merge: results through pull requests', () => {
  it('pushes each finished task, opens its pull request once with baton\'s title and body, and goes on when gh fails', () => {
    const p = makeAgentProject({ extraConfig: 'remote:\n  poll_s: 0.2\n' });
    const names = ['a', 'c', 'd'];
    const ids: Record<string, string> = {};
    ids.a = addTask(p.dir, 'Task A', '--check', 'test -f a.txt');
    ids.b = addTask(p.dir, 'Task B', '--depends-on', ids.a, '--check', 'test -f b.txt');
    ids.c = addTask(p.dir, 'Task C', '--check', 'test -f c.txt');
    ids.d = addTask(p.dir, 'Task D', '--check', 'test -f d.txt');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    p.setScript({
      tasks: names.map((n) => ({ match: ids[n]!, attempts: [{ write: { [`${n}.txt`]: `${n}\n` }, commit: `Add ${n}`, report: report('success', `Wrote ${n}.txt.`) }] })),
    });
    const remote = join(tempDir(), 'shared.git');
    git(p.dir, ['clone', '-q', '--bare', p.dir, remote]);
    const runner = (name: string) => {
      const dir = join(tempDir(), name);
      git(remote, ['clone', '-q', remote, dir]);
      return dir;
    };
    const gh = fakeGh();
    const env = (name: string, extra: Record<string, string> = {}) => ({ ...p.env, ...extra, BATON_RUNNER: name, PATH: `${gh.path}:${process.env.PATH}` });
    const calls = () => readFileSync(gh.log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as GhCall);

    // Runner 1 finishes one task; gh fails: one line says so, the branch is on the remote, the claim released.
    const one = runner('one');
    const first = baton(one, ['auto', '--remote', 'origin', '--no-merge', '--no-review', '--max-tasks', '1'], { env: env('one', { GH_FAIL: '1' }) });
    expect(first.code, first.stderr + first.stdout).toBe(3);
    expect(calls()).toHaveLength(1);
    const firstId = calls()[0]!.args[calls()[0]!.args.indexOf('--head') + 1]!.match(/^task\/(T-[0-9a-f]+)/)![1]!;
    const failed = first.stdout.split('\n').filter((l) => l.includes('gh pr create'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/^\S+ /); // the time, as every note has
    expect(failed[0]!.replace(/^\S+ /, '')).toBe(`${firstId}: \`gh pr create\` failed: HTTP 401: Bad credentials (https://api.github.com/graphql) (its branch is on origin; \`baton pr ${firstId} --create\` tries again)`);
    const firstBranch = git(remote, ['for-each-ref', '--format=%(refname:short)', `refs/heads/task/${firstId}-*`]).trim();
    expect(firstBranch).not.toBe('');
    expect(git(remote, ['show', `${firstBranch}:.agents/memory/${firstId}.md`])).toMatch(/ result success\n/);
    expect(git(remote, ['for-each-ref', 'refs/baton/claims/'])).toBe('');

    // Runner 2 takes the other two (not the first again: it is finished on its pushed branch); B waits on A's merge.
    const two = runner('two');
    const second = baton(two, ['auto', '--remote', 'origin', '--no-merge', '--no-review', '--json'], { env: env('two') });
    expect(second.code, second.stderr).toBe(1);
    const summary = JSON.parse(second.stdout) as { results: { id: string; outcome: string; pullRequest?: string }[] };
    const rest = [ids.a, ids.c, ids.d].filter((id) => id !== firstId);
    expect(summary.results.map((r) => r.id).sort()).toEqual(rest.sort());
    expect(summary.results.map((r) => r.pullRequest).sort()).toEqual(['https://github.test/acme/app/pull/2', 'https://github.test/acme/app/pull/3']);
    expect(git(remote, ['for-each-ref', 'refs/baton/claims/'])).toBe('');

    // Each finished task ran once and had gh called once, with the title and body `baton pr` makes.
    const starts = agentEvents(p.state).filter((e) => e.event === 'start').map((e) => e.task);
    expect(starts.sort()).toEqual([ids.a, ids.c, ids.d].sort());
    const all = calls();
    expect(all).toHaveLength(3);
    for (const call of all) {
      const id = call.args[call.args.indexOf('--head') + 1]!.match(/^task\/(T-[0-9a-f]+)/)![1]!;
      const draft = JSON.parse(ok(call.cwd, ['pr', id, '--json'])) as { title: string; body: string; branch: string; base: string };
      expect(call.args).toEqual(['pr', 'create', '--title', draft.title, '--body-file', '-', '--base', 'main', '--head', draft.branch]);
      expect(call.body).toBe(draft.body);
      const name = Object.keys(ids).find((k) => ids[k] === id)!;
      expect(draft.title).toBe(`Task ${name.toUpperCase()} (${id})`);
      expect(call.body).toContain(`**success**: Wrote ${name}.txt.`);
      expect(git(remote, ['show', `${draft.branch}:${name}.txt`])).toBe(`${name}\n`);
    }
    expect(new Set(all.map((c) => c.args[c.args.indexOf('--head') + 1])).size).toBe(3);
  });
});
