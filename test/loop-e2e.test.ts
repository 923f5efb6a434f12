/**
 * The task loop by hand, end to end on a real repository: prompt → start →
 * a scripted agent commits on the branch → log --from its report → done --merge
 * → the dependent task's prompt carries what the first one produced → pr.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, copied, git, GIT_ENV, makeProject, ok, read, taskFile, tempDir, write } from './helpers/repo.js';

/** A stand-in for a coding agent: it reads only its prompt, works on the branch the prompt names, commits, reports. */
const AGENT = `
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
const prompt = readFileSync(process.argv[2], 'utf8');
const branch = /Work on the branch \`([^\`]+)\`/.exec(prompt)[1];
const id = /^# Task (T-[0-9a-f]+)/m.exec(prompt)[1];
const git = (...args) => execFileSync('git', args, { encoding: 'utf8' });
if (git('branch', '--show-current').trim() !== branch) throw new Error('not on ' + branch);
mkdirSync('src', { recursive: true });
writeFileSync('src/users.ts', 'export const users = [];\\n');
git('add', 'src/users.ts');
git('commit', '-q', '-m', 'Add users module\\n\\nTask: ' + id);
writeFileSync(process.argv[3], [
  'I have finished the task. Here is what happened.',
  '',
  '# Report',
  '',
  '**Outcome:** Succeeded',
  '',
  '### Summary',
  'The users module exists in src/users.ts and the check passes.',
  '',
  '### Decisions',
  '* Users are kept in memory until the database task lands.',
  '',
  '### Bugs',
  '- none',
  '',
  'Let me know if you want anything else!',
].join('\\n'));
`;

function runAgent(dir: string, promptFile: string, reportFile: string): void {
  const script = join(tempDir('baton-agent-'), 'agent.mjs');
  writeFileSync(script, AGENT);
  const r = spawnSync(process.execPath, [script, promptFile, reportFile], { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`agent failed: ${r.stderr}`);
}

function plan(hooks: boolean): { dir: string; a: string; b: string; c: string } {
  const dir = makeProject({ hooks });
  write(dir, '.agents/plan.md', read(dir, '.agents/plan.md')
    .replace('What this project is for, in a few sentences.', 'A small user service.')
    .replace('- Languages, platforms, budgets, rules every task must respect.', '- TypeScript only, no database driver yet.'));
  const a = addTask(dir, 'Users module', '--file', 'src/users.ts', '--check', 'test -f src/users.ts',
    '--context', 'Keep a list of users.', '--requirement', 'Export `users`', '--criterion', 'src/users.ts exports users');
  const b = addTask(dir, 'Login endpoint', '-d', a, '--file', 'src/login.ts', '--criterion', 'POST /login works');
  const c = addTask(dir, 'Docs', '-d', a, '-d', b);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'Plan three tasks']);
  return { dir, a, b, c };
}

/** The three tasks planned once (without the hooks) and copied for each test; with the hooks, planned anew. */
const seedCopy = copied(() => plan(false));
const seed = (hooks = false) => (hooks ? plan(true) : seedCopy());

describe('the task loop by hand', () => {
  it('walks prompt → start → agent → log --from → done --merge → dependent prompt → pr', () => {
    const { dir, a, b } = seed();

    // The dependent task is not ready yet, and nothing changes when it is refused.
    const early = baton(dir, ['start', b]);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain(`\`${b}\` is not ready: it waits on \`${a}\` (todo)`);
    expect(git(dir, ['branch', '--show-current']).trim()).toBe('main');

    // The prompt for the first task: self-contained, and kept as the record of what the agent saw.
    const prompt = ok(dir, ['prompt', a]);
    expect(prompt).toContain(`# Task ${a}: Users module`);
    expect(prompt).toContain(`Work on the branch \`task/${a}-users-module\``);
    expect(prompt).toContain('A small user service.');
    expect(prompt).toContain('TypeScript only, no database driver yet.');
    expect(prompt).toContain('Keep a list of users.');
    expect(prompt).toContain('- [ ] src/users.ts exports users');
    expect(prompt).toContain('test -f src/users.ts');
    expect(prompt).toContain('`src/users.ts` (does not exist yet)');
    expect(prompt).toContain(`Task: ${a}`);
    expect(prompt).toContain('## Outcome\nsuccess | partial | failure');
    // Read before the start: kept in the git dir, so nothing untracked stands in the way of `baton start`.
    expect(read(dir, `.git/baton/prompts/${a}.md`)).toBe(prompt);
    expect(git(dir, ['status', '--porcelain'])).toBe('');

    const started = ok(dir, ['start', a]);
    expect(started).toContain(`created task/${a}-users-module; attempt 1, status in-progress`);
    expect(git(dir, ['branch', '--show-current']).trim()).toBe(`task/${a}-users-module`);
    expect(read(dir, taskFile(dir, a))).toContain('status: in-progress');
    expect(read(dir, `.agents/memory/${a}.md`)).toMatch(/## \S+ attempt\nAttempt 1 on branch `task\/T-[0-9a-f]+-users-module`\./);
    // The start is committed on the branch, so main sees the task in flight.
    git(dir, ['switch', '-q', 'main']);
    expect(ok(dir, ['status'])).toContain(`(on task/${a}-users-module, not merged)`);
    git(dir, ['switch', '-q', `task/${a}-users-module`]);

    const reportFile = join(tempDir('baton-report-'), 'REPORT.md');
    runAgent(dir, join(dir, `.agents/prompts/${a}.md`), reportFile);
    const logged = ok(dir, ['log', a, '--from', reportFile]);
    expect(logged).toContain('status in-progress → review');
    const memory = read(dir, `.agents/memory/${a}.md`);
    expect(memory).toMatch(/## \S+ result success\nThe users module exists in src\/users.ts and the check passes\./);
    expect(memory).toMatch(/## \S+ decision\nUsers are kept in memory until the database task lands\./);
    expect(memory).not.toContain(' bug\n');
    expect(git(dir, ['status', '--porcelain', '--untracked-files=no'])).toBe('');

    const done = ok(dir, ['done', a, '--merge']);
    expect(done).toContain('Check `test -f src/users.ts`: passed.');
    expect(done).toContain('Merged into main');
    expect(git(dir, ['branch', '--show-current']).trim()).toBe('main');
    expect(existsSync(join(dir, 'src/users.ts'))).toBe(true);
    expect(read(dir, taskFile(dir, a))).toContain('status: done');
    // plan.md on main is refreshed in the merge commit itself.
    expect(read(dir, '.agents/plan.md')).toMatch(new RegExp(`\\| \\[${a}\\]\\([^)]+\\) \\| Users module \\| done \\|`));
    expect(git(dir, ['show', '--name-only', '--format=%s', 'HEAD'])).toContain('.agents/plan.md');
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    // Even with hooks off, the agent's commit is in memory by the time the task is done.
    expect(read(dir, `.agents/memory/${a}.md`)).toMatch(/## \S+ commit [0-9a-f]{7,}\nAdd users module\n\n- src\/users.ts \+1 -0\n/);

    // The dependent task is ready now, and its prompt carries what the first one produced.
    expect(JSON.parse(ok(dir, ['next', '--json'])).tasks.map((t: { id: string }) => t.id)).toEqual([b]);
    const second = ok(dir, ['prompt', b]);
    expect(second).toContain(`### Users module (${a}), done`);
    expect(second).toContain('Result (success): The users module exists in src/users.ts and the check passes.');
    expect(second).toContain('- decision: Users are kept in memory until the database task lands.');
    expect(second).toContain('Files its commits touched: `src/users.ts`');
    // Sections nobody filled in are left out; the criteria are there.
    expect(second).not.toContain('### Context');
    expect(second).toContain('### Success criteria\n\n- [ ] POST /login works');

    const pr = ok(dir, ['pr', a]);
    expect(pr.split('\n')[0]).toBe(`Users module (${a})`);
    // The task's Context is background, under its own name; its check passed at the merge, so the criteria are met.
    expect(pr).toContain('## Goal\n\nUsers module\n\n## Context\n\nKeep a list of users.');
    expect(pr).toContain('- [x] src/users.ts exports users');
    expect(pr).toContain('**success**: The users module exists');
    expect(pr).toContain('## Decisions\n\n- Users are kept in memory until the database task lands.');
    expect(pr).toMatch(/## Commits\n\n- [0-9a-f]{7,} Add users module\n/);
    expect(pr).toMatch(/- `test -f src\/users.ts`: passed \(/);
  });

  it('works in a worktree with a setup command, and removes it after the merge', () => {
    const { dir, a } = seed();
    const trees = tempDir('baton-trees-');
    write(dir, '.agents/config.yaml', `${read(dir, '.agents/config.yaml')
      .replace(/^worktree_dir: .*$/m, `worktree_dir: ${trees}`)
      .replace('worktree_setup: ""', 'worktree_setup: "echo ready > .setup-ran"')}`);
    // What setup makes is ignored (like node_modules): the worktree can go after the merge without losing anything.
    write(dir, '.gitignore', '.setup-ran\n');
    git(dir, ['add', '.gitignore']);
    git(dir, ['commit', '-qam', 'config']);

    const r = JSON.parse(ok(dir, ['start', a, '--worktree', '--json']));
    const wt = join(trees, `${a}-users-module`);
    // The prompt asked for from the main checkout dirties neither checkout: its record waits in the git dir.
    const saved = join(tempDir('baton-out-'), 'p.md');
    expect(ok(dir, ['prompt', a, '--out', saved])).toBe('\n');
    expect(existsSync(join(wt, `.agents/prompts/${a}.md`))).toBe(false);
    expect(existsSync(join(dir, `.agents/prompts/${a}.md`))).toBe(false);
    expect(git(wt, ['status', '--porcelain'])).toBe('');
    expect(r).toMatchObject({ id: a, worktree: true, dir: wt, branch: `task/${a}-users-module`, attempt: 1 });
    expect(read(wt, '.setup-ran')).toBe('ready\n');
    expect(git(dir, ['branch', '--show-current']).trim()).toBe('main');
    expect(read(wt, taskFile(wt, a))).toContain('status: in-progress');
    expect(read(dir, taskFile(dir, a))).toContain('status: todo');

    write(wt, 'src/users.ts', 'export const users = [];\n');
    git(wt, ['add', '-A', 'src']);
    git(wt, ['commit', '-q', '-m', 'Users']);
    // Logged from the main checkout: the record goes to the worktree, where the branch is.
    ok(dir, ['log', a, '--outcome', 'success', '--summary', 'Done in a worktree', '--decision', 'Plain arrays']);
    expect(read(wt, `.agents/memory/${a}.md`)).toContain('Done in a worktree');
    expect(existsSync(join(dir, `.agents/memory/${a}.md`))).toBe(false);
    // The log's commit carries the record of what the agent saw onto the branch.
    expect(read(wt, `.agents/prompts/${a}.md`)).toBe(readFileSync(saved, 'utf8'));
    expect(git(wt, ['status', '--porcelain'])).toBe('');

    const done = ok(dir, ['done', a, '--merge']);
    expect(done).toContain(`Removed the worktree ${wt}`);
    expect(existsSync(wt)).toBe(false);
    expect(read(dir, taskFile(dir, a))).toContain('status: done');
    expect(read(dir, `.agents/memory/${a}.md`)).toContain('Plain arrays');
    expect(read(dir, `.agents/prompts/${a}.md`)).toBe(readFileSync(saved, 'utf8'));
  });

  it('names the files a dependency touched from git history when its memory has no commit entries', () => {
    const { dir, a, b } = seed();
    // The first task done entirely by hand: a commit with the trailer, a plain merge, no baton.
    git(dir, ['switch', '-q', '-c', 'feature']);
    write(dir, 'src/users.ts', 'export const users = [];\n');
    write(dir, 'src/roles.ts', 'export const roles = [];\n');
    git(dir, ['add', 'src']);
    git(dir, ['commit', '-q', '-m', `Users and roles\n\nTask: ${a}`]);
    git(dir, ['switch', '-q', 'main']);
    git(dir, ['merge', '-q', '--no-ff', '--no-edit', 'feature']);
    ok(dir, ['task', 'set', a, '--status', 'done']);
    const prompt = ok(dir, ['prompt', b]);
    expect(prompt).toContain(`### Users module (${a}), done`);
    expect(prompt).toContain('Result: none recorded.');
    expect(prompt).toContain('Files its commits touched: `src/roles.ts`, `src/users.ts`');
  });

  it('with the git hooks installed: one commit entry per commit, a clean tree after every step', () => {
    const { dir, a } = seed(true);
    const clean = () => expect(git(dir, ['status', '--porcelain', '--untracked-files=no'])).toBe('');
    ok(dir, ['start', a]);
    clean();
    const promptFile = join(tempDir('baton-prompt-'), 'prompt.md');
    ok(dir, ['prompt', a, '--out', promptFile]);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    const reportFile = join(tempDir('baton-report-'), 'REPORT.md');
    runAgent(dir, promptFile, reportFile);
    clean();
    ok(dir, ['log', a, '--from', reportFile]);
    clean();
    ok(dir, ['done', a, '--merge']);
    clean();
    const memory = read(dir, `.agents/memory/${a}.md`);
    expect(memory.match(/^## \S+ commit \S+\nAdd users module$/gm)).toHaveLength(1);
    expect(memory).toMatch(/## \S+ result success\n/);
    expect(ok(dir, ['pr', a])).toMatch(/## Commits\n\n- [0-9a-f]{7,} Add users module\n/);
  });

  it('pr --create hands the title and body to gh, and says so when gh is not installed', () => {
    const { dir, a } = seed();
    ok(dir, ['start', a]);
    ok(dir, ['log', a, '--outcome', 'success', '--summary', 'Users exist', '--bug', 'Off by one in the pager']);
    const bin = tempDir('baton-bin-');
    const gitPath = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
    const catPath = spawnSync('sh', ['-c', 'command -v cat'], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(gitPath, join(bin, 'git'));
    const missing = baton(dir, ['pr', a, '--create'], { env: { PATH: bin } });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('## Bugs found\n\n- Off by one in the pager');
    expect(missing.stderr).toContain('`gh` (the GitHub CLI) is not installed, so no pull request was created');

    write(bin, 'gh', `#!/bin/sh\nprintf '%s\\n' "$@" > "${bin}/gh.args"\n"${catPath}" > "${bin}/gh.body"\necho https://github.com/o/r/pull/7\n`);
    chmodSync(join(bin, 'gh'), 0o755);
    // With a remote, the branch is pushed first (gh needs it there).
    const remote = tempDir('baton-remote-');
    git(remote, ['init', '-q', '--bare']);
    git(dir, ['remote', 'add', 'origin', remote]);
    const created = baton(dir, ['pr', a, '--create'], { env: { PATH: bin } });
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('Opened https://github.com/o/r/pull/7');
    expect(read(bin, 'gh.args')).toBe(`pr\ncreate\n--title\nUsers module (${a})\n--body-file\n-\n--base\nmain\n--head\ntask/${a}-users-module\n`);
    expect(read(bin, 'gh.body')).toContain('**success**: Users exist');
    expect(git(remote, ['rev-parse', `task/${a}-users-module`])).toBe(git(dir, ['rev-parse', `task/${a}-users-module`]));
    expect(git(dir, ['rev-parse', '--abbrev-ref', `task/${a}-users-module@{upstream}`]).trim()).toBe(`origin/task/${a}-users-module`);
  });

  it('a retry sees the earlier failure, and a failure or blocker sets the task blocked', () => {
    const { dir, a } = seed();
    ok(dir, ['start', a]);
    const failed = ok(dir, ['log', a, '--outcome', 'failure', '--summary', 'Tests hang on CI', '--bug', 'The test runner never exits']);
    expect(failed).toContain('status in-progress → blocked');
    const again = ok(dir, ['start', a]);
    expect(again).toContain(`switched to task/${a}-users-module; attempt 2`);
    const prompt = ok(dir, ['prompt', a]);
    // Why it is redone comes first, before the rules and the task; the rest of its history after.
    expect(prompt.indexOf('## Why this is being redone')).toBeLessThan(prompt.indexOf('## Working rules'));
    expect(prompt).toMatch(/## Why this is being redone\n\n- Last attempt ended failure \([^)]+\): Tests hang on CI/);
    expect(prompt).toContain('### Earlier work on this task');
    expect(prompt).toMatch(/- \S+ \S+ bug: The test runner never exits/);
    expect(prompt).not.toMatch(/Attempt 2/);
    const blocked = ok(dir, ['log', a, '--outcome', 'partial', '--blocker', 'Needs a database']);
    expect(blocked).toContain('status in-progress → blocked');
  });
});

describe('baton done without --merge', () => {
  it('closes the task on its branch, from the base branch too, and leaves this checkout where it was', () => {
    const { dir, a } = seed();
    ok(dir, ['start', a]);
    write(dir, 'src/users.ts', 'export const users = [];\n');
    git(dir, ['add', 'src']);
    git(dir, ['commit', '-q', '-m', 'Users']);
    git(dir, ['switch', '-q', 'main']);
    const mainBefore = git(dir, ['rev-parse', 'main']);
    const out = ok(dir, ['done', a]);
    expect(out).toContain(`${a}: done on task/${a}-users-module`);
    expect(out).toContain('This checkout is on main.');
    expect(out).toContain(`baton pr ${a}`);
    expect(git(dir, ['rev-parse', 'main'])).toBe(mainBefore);
    const path = taskFile(dir, a);
    expect(git(dir, ['show', `task/${a}-users-module:${path}`])).toContain('status: done');
    expect(read(dir, path)).toContain('status: todo');
    expect(git(dir, ['log', '-1', '--format=%B', `task/${a}-users-module`])).toBe(`Done ${a}: Users module\n\nTask: ${a}\nBaton-Commit: done\n\n`);
    // main sees it as finished on an unmerged branch.
    expect(ok(dir, ['status'])).toContain(`Done on unmerged branches (1):\n  ${a}  on task/${a}-users-module`);
  });
});
