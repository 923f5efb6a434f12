/**
 * Fault suite, issue 20: an agent is untrusted. Scripted agents (test/fixtures/agent.mjs)
 * rewrite their own checks, other tasks' files and memory, move the base, delete
 * `.agents/`, and write into the main checkout; baton judges from the base, puts back
 * what it can, refuses the rest at merge, and records what happened.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, read, taskFile, write } from './helpers/repo.js';
import { makeAgentProject, report } from './fixtures/agent-project.js';

const worktreeOf = (out: string) => /worktree (\S+)\.$/m.exec(out)?.[1] ?? '';
const commitPlan = (dir: string) => {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'plan']);
};
/** A shell command that sets the task file's `checks:` line in the agent's worktree. */
const setChecks = (id: string, checks: string) => `sed -i 's/^checks: .*/checks: ${checks}/' .agents/tasks/${id}-*.md`;

describe('an agent cannot change what judges it', () => {
  it('a check the agent rewrote on its branch is not what the retry runs: the planned check decides, nothing merges', () => {
    const p = makeAgentProject();
    const id = addTask(p.dir, 'Create the required file', '--check', 'test -f required.txt');
    commitPlan(p.dir);
    // Attempt 1 never creates the file and sets `checks: [true]`; attempt 2 does nothing and claims success.
    p.setScript({
      tasks: [{ match: id, attempts: [
        { sh: setChecks(id, '[ "true" ]'), commit: 'Relax the check', report: report('success', 'Done.') },
        { report: report('success', 'Done now.') },
      ] }],
    });
    const mainBefore = git(p.dir, ['rev-parse', 'main']).trim();

    const r = baton(p.dir, ['auto', '--no-review', '--max-attempts', '2'], { env: p.env });
    expect(r.code, r.stderr + r.stdout).toBe(1);
    // Nothing merged: main is where it was, the required file was never created there.
    expect(git(p.dir, ['rev-parse', 'main']).trim()).toBe(mainBefore);
    expect(existsSync(join(p.dir, 'required.txt'))).toBe(false);
    expect(read(p.dir, taskFile(p.dir, id))).toContain('checks: [test -f required.txt]');
    // Both attempts ran the planned check and failed it; `true` never ran as a check.
    const branch = git(p.dir, ['branch', '--list', 'task/*', '--format=%(refname:short)']).trim();
    const memory = git(p.dir, ['show', `${branch}:.agents/memory/${id}.md`]);
    expect(memory.match(/ check fail\n`test -f required.txt`/g)).toHaveLength(2);
    expect(memory).not.toMatch(/ check pass/);
    expect(memory).not.toMatch(/ result success/);
    // And the retry was asked for the planned check, not the one the agent wrote.
    const retryPrompt = readFileSync(join(p.state, `prompt-${id}-2.md`), 'utf8');
    const checksSection = retryPrompt.slice(retryPrompt.indexOf('\n## Checks\n'), retryPrompt.indexOf('\n## Report\n'));
    expect(checksSection).toContain('test -f required.txt');
    expect(checksSection).not.toMatch(/^true$/m);
  });

  it('a branch that changed another task\'s file or its own checks is refused at merge with the diff, unless --accept-plan-changes', () => {
    const p = makeAgentProject();
    const id = addTask(p.dir, 'Create the required file', '--check', 'test -f required.txt');
    const other = addTask(p.dir, 'Another task', '--check', 'test -f other.txt');
    commitPlan(p.dir);
    const otherFile = taskFile(p.dir, other);
    // The work is done (the planned check passes), but the agent also loosened its own check and edited another task.
    p.setScript({
      tasks: [{ match: id, attempts: [{
        write: { 'required.txt': 'here\n' },
        sh: [setChecks(id, '[ "true" ]'), setChecks(other, '[ "true" ]')],
        commit: 'Required file, and some plan edits',
        report: report('success', 'Done.'),
      }] }],
    });
    const run = baton(p.dir, ['run', id], { env: p.env });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const mainBefore = git(p.dir, ['rev-parse', 'main']).trim();

    const refused = baton(p.dir, ['done', id, '--merge']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('changes the plan');
    expect(refused.stderr).toContain(`\`${otherFile}\` (another task's file (modified))`);
    expect(refused.stderr).toMatch(/\(checks\)/);
    expect(refused.stderr).toContain('-checks: [test -f other.txt]');
    expect(refused.stderr).toContain('+checks: [ "true" ]');
    expect(refused.stderr).toContain('--accept-plan-changes');
    expect(git(p.dir, ['rev-parse', 'main']).trim()).toBe(mainBefore);
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');

    // A person who read the diff accepts it.
    const accepted = baton(p.dir, ['done', id, '--merge', '--accept-plan-changes']);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(read(p.dir, otherFile)).toContain('checks: [ "true" ]');
    expect(existsSync(join(p.dir, 'required.txt'))).toBe(true);
  });
});

describe('an agent cannot rewrite what others remember', () => {
  it('memory entries an agent removed or changed (other tasks\', project.md) are put back at merge, with a bug', () => {
    const p = makeAgentProject();
    const id = addTask(p.dir, 'Create the required file', '--check', 'test -f required.txt');
    const other = addTask(p.dir, 'Another task');
    const entry = (time: string, kind: string, body: string) => `## 2026-01-0${time}T10:00:00Z ${kind}\n${body}\n\n`;
    write(p.dir, `.agents/memory/${other}.md`, `# Memory: ${other}\n\n${entry('1', 'note', 'First note.')}${entry('2', 'decision', 'Use SQLite.')}${entry('3', 'bug', 'Dates are off by one.')}`);
    write(p.dir, '.agents/memory/project.md', `# Memory: project\n\n${entry('4', 'decision', 'Keep it small.')}${entry('5', 'note', 'Ship weekly.')}`);
    commitPlan(p.dir);
    // The agent does its task, and rewrites history: another task's decision changed, its bug deleted, project.md emptied.
    p.setScript({
      tasks: [{ match: id, attempts: [{
        write: {
          'required.txt': 'here\n',
          [`.agents/memory/${other}.md`]: `# Memory: ${other}\n\n${entry('1', 'note', 'First note.')}${entry('2', 'decision', 'Use Postgres.')}`,
          '.agents/memory/project.md': '# Memory: project\n',
        },
        commit: 'Work, and a tidy memory',
        report: report('success', 'Done.'),
      }] }],
    });

    const r = baton(p.dir, ['auto', '--no-review', '--max-tasks', '1'], { env: p.env });
    expect(r.code, r.stderr + r.stdout).toBe(3); // --max-tasks: the other task is left
    expect(r.stdout).toContain(`${id} merged`);
    expect(existsSync(join(p.dir, 'required.txt'))).toBe(true);
    const otherMemory = read(p.dir, `.agents/memory/${other}.md`);
    expect(otherMemory).toContain('First note.');
    expect(otherMemory).toContain('Use SQLite.');
    expect(otherMemory).not.toContain('Use Postgres.');
    expect(otherMemory).toContain('Dates are off by one.');
    const project = read(p.dir, '.agents/memory/project.md');
    expect(project).toContain('Keep it small.');
    expect(project).toContain('Ship weekly.');
    expect(read(p.dir, `.agents/memory/${id}.md`)).toMatch(/ bug\nThe agent rewrote memory: .*2 in `\.agents\/memory\/project\.md`/);
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');
  });
});

describe('an agent cannot move the base or write outside its worktree', () => {
  it('the base moved back during a run is put back at once, the agent stopped, the attempt failed and says so', () => {
    const p = makeAgentProject();
    const id = addTask(p.dir, 'Create the required file', '--check', 'test -f required.txt');
    commitPlan(p.dir);
    p.setScript({
      tasks: [{ match: id, attempts: [{
        write: { 'required.txt': 'here\n' },
        commit: 'Required file',
        sh: 'git update-ref refs/heads/main "$(git rev-list --max-parents=0 main)"',
        // It would work on for the executor's whole timeout (120s): baton stops it as soon as it sees the base moved.
        hang: true,
      }] }],
    });
    const mainBefore = git(p.dir, ['rev-parse', 'main']).trim();

    const r = baton(p.dir, ['run', id], { env: p.env });
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stdout).toContain('the agent moved `main`');
    expect(git(p.dir, ['rev-parse', 'main']).trim()).toBe(mainBefore);
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');
    const memory = read(worktreeOf(r.stdout), `.agents/memory/${id}.md`);
    expect(memory).toMatch(/ bug\nThe agent moved `main` from [0-9a-f]{7} to [0-9a-f]{7} \(not forward\) while it ran; baton put it back/);
    expect(memory).toMatch(/ result failure\n/);
  });

  it('an agent that moves the base forward onto its own commits (merging itself, unchecked) is put back too', () => {
    const p = makeAgentProject();
    const id = addTask(p.dir, 'Create the required file', '--check', 'test -f required.txt');
    commitPlan(p.dir);
    p.setScript({
      tasks: [{ match: id, attempts: [{ write: { 'other.txt': 'not what was asked\n' }, sh: 'git add -A && git commit -qm Something && git update-ref refs/heads/main HEAD', hang: true }] }],
    });
    const mainBefore = git(p.dir, ['rev-parse', 'main']).trim();
    const r = baton(p.dir, ['run', id], { env: p.env });
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(git(p.dir, ['rev-parse', 'main']).trim()).toBe(mainBefore);
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');
    expect(read(worktreeOf(r.stdout), `.agents/memory/${id}.md`)).toMatch(/ bug\nThe agent moved `main` from [0-9a-f]{7} to [0-9a-f]{7} \(onto its own commits, a merge no check approved\)/);
  });

  it('an agent that brings the base into its branch while another task lands there is not blamed: the base stays', () => {
    const p = makeAgentProject();
    const id = addTask(p.dir, 'Create the required file', '--check', 'test -f required.txt');
    commitPlan(p.dir);
    // Another task lands on main while the agent runs (the merge queue does this), and the agent then
    // does what a retry's prompt tells it: `git merge main`.
    p.setScript({
      tasks: [{ match: id, attempts: [{
        sh: 'c=$(git commit-tree -p main -m "Merge another task" "main^{tree}") && git update-ref refs/heads/main $c && git merge -q --no-edit main',
        write: { 'required.txt': 'here\n' }, commit: 'Required file', report: report('success', 'Done.'),
      }] }],
    });
    const r = baton(p.dir, ['run', id], { env: p.env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).not.toContain('the agent moved');
    expect(git(p.dir, ['log', '-1', '--format=%s', 'main'])).toBe('Merge another task\n');
    expect(read(worktreeOf(r.stdout), `.agents/memory/${id}.md`)).not.toContain('The agent moved');
  });

  it('files an agent writes into the main checkout are recorded as a bug of its attempt', () => {
    const p = makeAgentProject();
    const id = addTask(p.dir, 'Create the required file', '--check', 'test -f required.txt');
    commitPlan(p.dir);
    p.setScript({
      tasks: [{ match: id, attempts: [{ write: { 'required.txt': 'here\n', [join(p.dir, 'stray.txt')]: 'oops\n' }, commit: 'Required file', report: report('success', 'Done.') }] }],
    });
    const r = baton(p.dir, ['run', id], { env: p.env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const memory = read(worktreeOf(r.stdout), `.agents/memory/${id}.md`);
    expect(memory).toMatch(new RegExp(` bug\\nWhile the agent ran, files changed outside its worktree, in the main checkout ${p.dir}: \`stray.txt\` \\(\\?\\?\\) \\(the agent wrote there`));
    // Left for a person to look at.
    expect(read(p.dir, 'stray.txt')).toBe('oops\n');
  });

  it('an agent that deletes .agents/ on its branch: the attempt is recorded as failed and the retry runs', () => {
    const p = makeAgentProject();
    const id = addTask(p.dir, 'Create the required file', '--check', 'test -f required.txt');
    commitPlan(p.dir);
    p.setScript({
      tasks: [{ match: id, attempts: [
        { delete: ['.agents'], commit: 'Clean up', report: report('success', 'Done.') },
        { write: { 'required.txt': 'here\n' }, commit: 'Required file', report: report('success', 'Done for real.') },
      ] }],
    });
    const first = baton(p.dir, ['run', id], { env: p.env });
    expect(first.code, first.stderr + first.stdout).toBe(1);
    expect(first.stdout).toContain('the agent deleted `.agents/` files');
    const wt = worktreeOf(first.stdout);
    expect(existsSync(join(wt, taskFile(p.dir, id)))).toBe(true);
    const memory = read(wt, `.agents/memory/${id}.md`);
    expect(memory).toMatch(/ bug\nThe agent deleted baton's files/);
    expect(memory).toMatch(/ result failure\nThe agent deleted `\.agents\/` files/);
    expect(git(wt, ['status', '--porcelain'])).toBe('');

    const second = baton(p.dir, ['run', id], { env: p.env });
    expect(second.code, second.stderr + second.stdout).toBe(0);
    expect(second.stdout).toContain(`${id}: success`);
    expect(read(wt, `.agents/memory/${id}.md`).match(/ result /g)).toHaveLength(2);
  });
});

describe('a branch wedged by a deleted .agents/', () => {
  it('is set aside: the task is read from the base, the lost attempt recorded, and the next attempt starts on a fresh branch', () => {
    const p = makeAgentProject();
    const id = addTask(p.dir, 'Create the required file', '--check', 'test -f required.txt');
    commitPlan(p.dir);
    // An earlier run (or a person) committed the deletion and nothing put it back.
    const started = baton(p.dir, ['start', id, '--worktree']);
    expect(started.code, started.stderr).toBe(0);
    const branch = git(p.dir, ['branch', '--list', 'task/*', '--format=%(refname:short)']).trim();
    const old = git(p.dir, ['worktree', 'list', '--porcelain']).split('\n').filter((l) => l.startsWith('worktree ')).map((l) => l.slice(9))[1]!;
    git(old, ['rm', '-rq', '.agents']);
    git(old, ['commit', '-q', '-m', 'Wipe .agents']);
    p.setScript({ tasks: [{ match: id, attempts: [{ write: { 'required.txt': 'here\n' }, commit: 'Required file', report: report('success', 'Done.') }] }] });

    const r = baton(p.dir, ['run', id], { env: p.env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain(`${id}: success`);
    expect(git(p.dir, ['branch', '--list', `${branch}-lost`, '--format=%(refname:short)']).trim()).toBe(`${branch}-lost`);
    expect(git(p.dir, ['log', '--format=%s', `${branch}-lost`])).toContain('Wipe .agents');
    expect(git(p.dir, ['log', '--format=%s', branch])).not.toContain('Wipe .agents');
    const memory = read(worktreeOf(r.stdout), `.agents/memory/${id}.md`);
    expect(memory).toMatch(new RegExp(` result failure\\nAn earlier attempt deleted or broke the task's own file on \`${branch}\``));
    expect(memory).toMatch(/ result success\n/);
  });
});

describe('doctor --fix and a base moved back', () => {
  it('keeps the entries of commits a branch or the reflog still reaches, and says why', () => {
    const p = makeAgentProject({ hooks: true });
    const id = addTask(p.dir, 'Some work');
    commitPlan(p.dir);
    git(p.dir, ['switch', '-q', '-c', `task/${id}-some-work`]);
    for (const n of [1, 2, 3]) {
      write(p.dir, `f${n}.txt`, `${n}\n`);
      git(p.dir, ['add', '-A']);
      git(p.dir, ['commit', '-q', '-m', `Work ${n}`]);
    }
    baton(p.dir, ['sync']); // the last commit's entry, still queued
    git(p.dir, ['commit', '-q', '-m', 'Memory', '--', `.agents/memory/${id}.md`]);
    git(p.dir, ['switch', '-q', 'main']);
    git(p.dir, ['merge', '-q', '--no-ff', '-m', 'Merge the work', `task/${id}-some-work`]);
    git(p.dir, ['branch', '-q', '-D', `task/${id}-some-work`]);
    const memory = `.agents/memory/${id}.md`;
    const before = read(p.dir, memory).match(/ commit [0-9a-f]+/g) ?? [];
    expect(before.length).toBeGreaterThanOrEqual(3);
    // Something moved main back two commits, with the working tree: the memory file lost the entries with it.
    git(p.dir, ['reset', '-q', '--hard', 'HEAD~1']);
    git(p.dir, ['checkout', '-q', 'HEAD@{1}', '--', memory]);
    git(p.dir, ['commit', '-q', '-m', 'Memory as it was', '--', memory]);

    const r = baton(p.dir, ['doctor', '--fix']);
    expect(r.stdout + r.stderr).toContain('a branch or the reflog still reaches it');
    expect(read(p.dir, memory).match(/ commit [0-9a-f]+/g) ?? []).toEqual(before);
  });
});
