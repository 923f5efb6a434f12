/**
 * A newcomer's journey, told as git's own test scripts tell one: the README's "loop by hand",
 * followed literally on a copy of a small library (test/fixtures/journey-lib: branch `master`,
 * cloned from an origin, husky v9 installed, a test runner that forces colour). After every
 * command: `git status` is clean, `doctor` finds nothing, and every view tells each task's state
 * the same way. One task's first attempt fails its check; a review reopens a task and files a
 * follow-up; the reopen merges without a conflict.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, git, GIT_ENV, PROJECT_ROOT, read, tempDir, write } from './helpers/repo.js';

const FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'journey-lib');

/** The library as a person has it: a clone of an origin whose default branch is `master`, husky set up by `npm install`'s prepare. */
function cloneLibrary(): { dir: string; env: Record<string, string> } {
  const upstream = tempDir('baton-journey-upstream-');
  cpSync(FIXTURE, upstream, { recursive: true });
  git(upstream, ['init', '-q', '-b', 'master']);
  git(upstream, ['add', '-A']);
  git(upstream, ['commit', '-q', '-m', 'wordwrap-lite 1.3.0'], { GIT_AUTHOR_DATE: '2019-04-01T10:00:00Z', GIT_COMMITTER_DATE: '2019-04-01T10:00:00Z' });
  write(upstream, 'CHANGELOG.md', '# Changelog\n\n## 1.3.0\n\n- `wrap` keeps long words whole.\n');
  git(upstream, ['add', '-A']);
  git(upstream, ['commit', '-q', '-m', 'Add a changelog'], { GIT_AUTHOR_DATE: '2021-06-01T10:00:00Z', GIT_COMMITTER_DATE: '2021-06-01T10:00:00Z' });
  const origin = join(tempDir('baton-journey-origin-'), 'wordwrap-lite.git');
  git(upstream, ['clone', '-q', '--bare', upstream, origin]);

  const dir = join(tempDir('baton-journey-'), 'wordwrap-lite');
  git(upstream, ['clone', '-q', origin, dir]);
  // `npm install`: the dev dependencies (baton's own copies, no network), then husky's `prepare`.
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const husky = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'husky', 'bin.js')], { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
  if (husky.status !== 0) throw new Error(`husky failed: ${husky.stderr}`);
  expect(git(dir, ['config', 'core.hooksPath']).trim()).toBe('.husky/_');

  // The person's clipboard: `prompt --copy` pipes into it.
  const bin = tempDir('baton-journey-bin-');
  write(bin, 'xclip', `#!/bin/sh\ncat > "${join(bin, 'clipboard.txt')}"\n`);
  chmodSync(join(bin, 'xclip'), 0o755);
  return { dir, env: { PATH: `${bin}:${process.env.PATH ?? ''}`, CLIPBOARD: join(bin, 'clipboard.txt') } };
}

type State = { status: string; ready: boolean };

/** What each view says of each task; they must all agree. */
function views(dir: string, env: Record<string, string>): Map<string, State> {
  const json = (args: string[]) => {
    const r = baton(dir, [...args, '--json'], { env });
    if (r.code !== 0 && !(args[0] === 'next' && r.code === 1)) throw new Error(`baton ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout || '{}');
  };
  const list = json(['task', 'list']).tasks as { id: string; status: string }[];
  const status = json(['status']);
  const graph = json(['graph']).nodes as { id: string; status: string }[];
  const next = ((json(['next']).tasks ?? []) as { id: string }[]).map((t) => t.id);
  const states = new Map<string, State>();
  for (const t of list) {
    const shown = json(['task', 'show', t.id]);
    const node = graph.find((n) => n.id === t.id);
    const inProgress = (status.inProgress as { id: string }[]).some((x) => x.id === t.id);
    const ready = (status.ready as { id: string }[]).some((x) => x.id === t.id);
    const where = `${t.id}: task list says ${t.status}, task show ${shown.status}, graph ${node?.status}, status ${inProgress ? 'in progress' : ready ? 'ready' : '-'}, next ${next.includes(t.id)}`;
    expect(shown.status, where).toBe(t.status);
    expect(node?.status, where).toBe(t.status);
    expect(inProgress, where).toBe(t.status === 'in-progress' || t.status === 'review');
    expect(ready, where).toBe(next.includes(t.id));
    if (ready) expect(t.status, where).toBe('todo');
    states.set(t.id, { status: t.status, ready });
  }
  expect(status.total).toBe(list.length);
  return states;
}

/** After every command: a clean tree, a doctor with nothing to say, views that agree. */
function checkpoint(dir: string, env: Record<string, string>, step: string): Map<string, State> {
  const dirty = git(dir, ['status', '--porcelain']);
  expect(dirty, `${step}: git status`).toBe('');
  const doctor = baton(dir, ['doctor', '--json'], { env });
  const problems = (JSON.parse(doctor.stdout || '{"problems":[]}') as { problems: { message: string }[] }).problems;
  expect(problems.map((p) => p.message), `${step}: doctor`).toEqual([]);
  expect(doctor.code, `${step}: doctor exit`).toBe(0);
  return views(dir, env);
}

describe('the README loop by hand, as a newcomer lives it', () => {
  it('keeps the plan in git, says why a check failed, drops a superseded decision and reopens without conflict', () => {
    const { dir, env } = cloneLibrary();
    const run = (args: string[], input?: string) => baton(dir, args, { env, input });
    const ok = (args: string[], input?: string) => {
      const r = run(args, input);
      expect(r.code, `baton ${args.join(' ')}\n${r.stderr}\n${r.stdout}`).toBe(0);
      return r.stdout;
    };
    const commitAll = (message: string, id: string) => {
      git(dir, ['add', '-A']);
      git(dir, ['commit', '-q', '-m', `${message}\n\nTask: ${id}`]);
    };
    const baseBefore = git(dir, ['rev-parse', 'HEAD']).trim();

    // 1. init: on the library's `master`, everything baton wrote is committed.
    ok(['init']);
    expect(ok(['config', 'get', 'base_branch']).trim()).toBe('master');
    checkpoint(dir, env, 'init');
    // baton's line runs from the tracked husky hook, and hooks status says they are in effect.
    expect(read(dir, '.husky/post-commit')).toMatch(/baton/);
    expect(run(['hooks', 'status']).code).toBe(0);
    // History from before baton is not memory.
    expect(read(dir, '.agents/memory/project.md')).not.toContain('Add a changelog');

    // 2. The plan, by hand: each command commits what it wrote.
    const add = (args: string[]) => (JSON.parse(ok(['task', 'add', ...args, '--json'])) as { id: string }).id;
    const fit = add(['Fit text to a width with an ellipsis', '--phase', 'API', '--check', 'npm test', '--criterion', '`fit(text, width)` never returns more than `width` characters', '--file', 'src/index.js']);
    let states = checkpoint(dir, env, 'task add (fit)');
    const docs = add(['Document fit in the README', '--depends-on', fit, '--phase', 'Docs', '--check', 'grep -q "fit(" README.md']);
    states = checkpoint(dir, env, 'task add (docs)');
    expect(git(dir, ['log', '-1', '--format=%s'])).toContain('Document fit in the README');
    expect(states.get(fit)).toEqual({ status: 'todo', ready: true });
    expect(states.get(docs)).toEqual({ status: 'todo', ready: false });
    expect(ok(['next'])).toContain(fit);

    // 3. start and prompt: the branch is checked out, the base still knows the task is in progress.
    ok(['start', fit]);
    states = checkpoint(dir, env, 'start');
    expect(states.get(fit)?.status).toBe('in-progress');
    ok(['prompt', fit, '--copy']);
    expect(read(env.CLIPBOARD, '')).toContain(`# Task ${fit}`);
    checkpoint(dir, env, 'prompt');

    // 4. The agent's first attempt: a recursion bug, reported (falsely) as a success.
    write(dir, 'src/index.js', `${read(dir, 'src/index.js')}
/** Fit \`text\` into \`width\` characters, cutting at a word and ending with an ellipsis. */
export function fit(text, width) {
	const all = words(text).join(' ');
	if (all.length <= width) return all;
	return fit(all, width);
}
`);
    write(dir, 'test/fit.test.js', `import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fit } from '../src/index.js';

test('fit cuts at a word and adds an ellipsis', () => {
\tassert.is(fit('the quick brown fox', 12), 'the quick…');
});

test('fit leaves short text alone', () => {
\tassert.is(fit('short', 12), 'short');
});

test.run();
`);
    commitAll('Add fit()', fit);
    checkpoint(dir, env, 'agent commit');
    ok(['log', fit, '--outcome', 'success', '--summary', 'fit() added with tests', '--decision', 'fit() shortens by calling itself on the text until it fits']);
    checkpoint(dir, env, 'log (attempt 1)');

    // 5. done --merge: the check fails, says why, and nothing is merged.
    const failed = run(['done', fit, '--merge']);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr + failed.stdout).toContain('Maximum call stack size exceeded');
    expect(git(dir, ['rev-parse', 'master'])).not.toBe(git(dir, ['rev-parse', 'HEAD']));
    states = checkpoint(dir, env, 'done --merge (failing check)');
    expect(states.get(fit)?.status).not.toBe('done');

    // 6. The retry prompt holds the failure, its place in the project, and no escape bytes.
    const retry = ok(['prompt', fit]);
    expect(retry).toContain('Maximum call stack size exceeded');
    expect(retry).toMatch(/src\/index\.js:\d+/);
    expect(retry).not.toContain('\x1b');
    expect(read(dir, `.agents/memory/${fit}.md`)).not.toContain('\x1b');

    // 7. The second attempt fixes it and merges.
    write(dir, 'src/index.js', read(dir, 'src/index.js').replace('\treturn fit(all, width);\n', `\tconst kept = [];
\tfor (const word of words(all)) {
\t\tif ([...kept, word].join(' ').length + 1 > width) break;
\t\tkept.push(word);
\t}
\treturn kept.join(' ') + '…';
`));
    commitAll('fit(): drop words from the end instead of recursing', fit);
    // The agent saves its report where the prompt says (a path in the git dir), and `baton log ID` reads it.
    const where = /Save it to\s+`([^`]+)`/.exec(retry)![1]!;
    const reportFile = spawnSync('sh', ['-c', `printf '%s' "${where}"`], { cwd: dir, encoding: 'utf8' }).stdout;
    writeFileSync(join(dir, reportFile), ['## Outcome', 'success', '## Summary', 'fit() cuts at a word; tests pass', '## Decisions', '- fit() keeps whole words from the start while they fit, then adds one ellipsis', '## Bugs', '- none', '## Blockers', '- none', '## Notes', '- none', ''].join('\n'));
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    ok(['log', fit]);
    checkpoint(dir, env, 'log (attempt 2)');
    ok(['done', fit, '--merge']);
    expect(git(dir, ['branch', '--show-current']).trim()).toBe('master');
    states = checkpoint(dir, env, 'done --merge');
    expect(states.get(fit)?.status).toBe('done');
    expect(states.get(docs)).toEqual({ status: 'todo', ready: true });

    // 8. The dependent's prompt has the decision that stood, not the one that was the bug.
    const docsPrompt = ok(['prompt', docs]);
    expect(docsPrompt).toContain('keeps whole words from the start');
    expect(docsPrompt).not.toContain('calling itself');
    checkpoint(dir, env, 'prompt (docs)');

    // 9. The docs task, start to merge.
    ok(['start', docs]);
    checkpoint(dir, env, 'start (docs)');
    write(dir, 'README.md', read(dir, 'README.md').replace('## License', "- `fit(text, width)`: at most `width` characters, cut at a word, with `…`.\n\n## License"));
    commitAll('Document fit()', docs);
    ok(['log', docs, '--outcome', 'success', '--summary', 'README documents fit()']);
    ok(['done', docs, '--merge']);
    states = checkpoint(dir, env, 'done --merge (docs)');
    expect(states.get(docs)?.status).toBe('done');

    // 10. A review by copy and paste: it reopens the docs task and files a follow-up.
    const reviewPrompt = ok(['review', '--prompt']);
    expect(reviewPrompt).toContain('fit() cuts at a word');
    checkpoint(dir, env, 'review --prompt');
    const answer = `## Summary

fit() works; the README example lacks an example call.

## Follow-up tasks

### tiny-width: Handle widths smaller than the ellipsis

- Follows: ${fit}
- Reason: fit('abc', 0) returns an ellipsis longer than the width
- Success criteria:
  - \`fit('abc', 0)\` returns an empty string

## Reopen

- ${docs}: add an example call of fit() to the README

## Decisions

- Widths below 1 return an empty string rather than throwing
`;
    const reviewed = JSON.parse(ok(['review', '--import', '-', '--json'], answer)) as { filed: { id: string }[]; reopened: { id: string }[] };
    expect(reviewed.reopened.map((r) => r.id)).toEqual([docs]);
    const followUp = reviewed.filed[0].id;
    states = checkpoint(dir, env, 'review --import');
    expect(states.get(docs)).toEqual({ status: 'todo', ready: true });
    expect(states.get(followUp)).toEqual({ status: 'todo', ready: true });

    // 11. The reopen: start brings the base in, and the merge has no conflict.
    ok(['start', docs]);
    states = checkpoint(dir, env, 'start (reopen)');
    expect(states.get(followUp)?.status).toBe('todo');
    expect(read(dir, '.agents/reviews/R-001.md')).toContain('README example lacks an example call');
    write(dir, 'README.md', read(dir, 'README.md').replace("wrap('the quick brown fox', 10); // 'the quick\\nbrown fox'", "wrap('the quick brown fox', 10); // 'the quick\\nbrown fox'\nfit('the quick brown fox', 12);  // 'the quick…'"));
    commitAll('README: an example call of fit()', docs);
    ok(['log', docs, '--outcome', 'success', '--summary', 'README shows fit() in the example']);
    const merged = run(['done', docs, '--merge']);
    expect(merged.code, merged.stderr).toBe(0);
    states = checkpoint(dir, env, 'done --merge (reopen)');
    expect(states.get(docs)?.status).toBe('done');
    expect(read(dir, 'README.md')).toContain("fit('the quick brown fox', 12)");

    // 12. Bookkeeping stays smaller than the work: baton's own commits are not memory, and at most
    // one of baton's commits before and one after each attempt reach the base beyond one per plan command.
    const memory = readdirSync(join(dir, '.agents', 'memory')).map((f) => read(dir, `.agents/memory/${f}`)).join('\n');
    const batonSubjects = git(dir, ['log', '--format=%s', `${baseBefore}..master`]).split('\n').filter((s) => /^(Plan|Start|Log|Done|Memory|Review|Init|baton)\b/.test(s));
    for (const subject of batonSubjects) expect(memory).not.toMatch(new RegExp(`commit [0-9a-f]+\\n${subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const firstParent = git(dir, ['rev-list', '--first-parent', '--count', `${baseBefore}..master`]).trim();
    const planCommands = 1 /* init */ + 2 /* task add */ + 1 /* review */;
    const attempts = 3;
    expect(Number(firstParent)).toBeLessThanOrEqual(planCommands + 2 * attempts);
    const bytes = (p: string): number => (statSync(p).isDirectory() ? readdirSync(p).reduce((n, f) => n + bytes(join(p, f)), 0) : statSync(p).size);
    const perTask = bytes(join(dir, '.agents')) / 3;
    expect(perTask).toBeLessThan(8_000);
  });
});
