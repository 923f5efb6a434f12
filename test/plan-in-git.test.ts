/**
 * The plan lives in git (issue 19, item 1): every command that changes it
 * commits exactly the files it wrote, one commit on the branch it ran on,
 * and leaves what the person staged alone; `start` refuses a plan that is not
 * committed; `doctor` says what is not, and never writes the project's past
 * into memory. Real repositories, the built CLI, as a person would run it.
 */
import { describe, expect, it } from 'vitest';
import { GOOD_PLAN } from './helpers/model-answers.js';
import { addTask, baton, copied, git, makeRepo, ok, read, write } from './helpers/repo.js';

const status = (dir: string) => git(dir, ['status', '--porcelain']);
const subject = (dir: string, rev = 'HEAD') => git(dir, ['log', '-1', '--format=%s', rev]).trim();
const filesOf = (dir: string, rev = 'HEAD') => git(dir, ['show', '--name-only', '--format=', rev]).split('\n').filter(Boolean).sort();
const count = (dir: string) => Number(git(dir, ['rev-list', '--count', 'HEAD']).trim());

/** A repository with history of its own, a file the person staged, and `baton init` done. */
function initialise(...initArgs: string[]): { dir: string } {
  const dir = makeRepo();
  for (const n of [1, 2, 3]) {
    write(dir, 'lib.js', `export const n = ${n};\n`);
    git(dir, ['add', 'lib.js']);
    git(dir, ['commit', '-q', '-m', `Library change ${n}`]);
  }
  write(dir, 'wip.txt', 'half done\n');
  git(dir, ['add', 'wip.txt']);
  ok(dir, ['init', ...initArgs]);
  return { dir };
}

/** `initialise`, once per file for each set of arguments, copied for each test. */
const initialisedCopy = copied(initialise);
const initialised = (...initArgs: string[]): string => initialisedCopy(...initArgs).dir;

describe('commands that change the plan commit what they wrote', () => {
  it('init, task add, task set and task edit: one commit each, the tree clean, the staged file still staged and not committed', () => {
    const dir = initialised();
    expect(subject(dir)).toBe('Plan: baton init');
    expect(filesOf(dir)).toEqual(['.agents/config.yaml', '.agents/memory/project.md', '.agents/plan.md', '.agents/reviews/README.md', '.agents/tasks/README.md', '.gitattributes', 'AGENTS.md']);
    expect(status(dir)).toBe('A  wip.txt\n');

    const added = baton(dir, ['task', 'add', 'Set up the database', '--check', 'true']);
    expect(added.code).toBe(0);
    const id = added.stdout.split(/\s+/)[0]!;
    expect(subject(dir)).toBe(`Plan: add ${id} "Set up the database"`);
    expect(added.stdout).toContain(`Plan: add ${id} "Set up the database"`);
    expect(filesOf(dir)).toContain(`.agents/tasks/${id}-set-up-the-database.md`);
    expect(filesOf(dir)).toContain('.agents/plan.md');
    expect(filesOf(dir)).not.toContain('wip.txt');
    expect(status(dir)).toBe('A  wip.txt\n');

    const before = count(dir);
    ok(dir, ['task', 'set', id, '--status', 'blocked']);
    expect(count(dir)).toBe(before + 1);
    expect(subject(dir)).toBe(`Plan: set ${id} status blocked`);
    expect(git(dir, ['show', `HEAD:.agents/tasks/${id}-set-up-the-database.md`])).toMatch(/^status: blocked$/m);
    expect(status(dir)).toBe('A  wip.txt\n');

    // An editor that changes the phase.
    write(dir, 'ed.sh', '#!/bin/sh\nsed -i "s/^status: blocked$/status: todo\\nphase: DB/" "$1"\n');
    git(dir, ['update-index', '--add', '--chmod=+x', 'ed.sh']); // staged too: it must stay out of the commit
    ok(dir, ['task', 'edit', id], { env: { EDITOR: 'sh ed.sh' } });
    expect(subject(dir)).toBe(`Plan: edit ${id} "Set up the database"`);
    expect(git(dir, ['show', `HEAD:.agents/tasks/${id}-set-up-the-database.md`])).toMatch(/^phase: DB$/m);
    expect(filesOf(dir)).not.toContain('ed.sh');
    expect(git(dir, ['diff', '--cached', '--name-only']).split('\n').filter(Boolean).sort()).toEqual(['ed.sh', 'wip.txt']);

    expect(ok(dir, ['doctor'])).toContain('All good');
  });

  it('a command that writes nothing commits nothing; the commit says what changed in its message', () => {
    const dir = initialised();
    const id = addTask(dir, 'Add login');
    const before = count(dir);
    ok(dir, ['task', 'set', id, '--status', 'todo']); // already todo
    expect(count(dir)).toBe(before);
    ok(dir, ['config', 'set', 'context_budget', '8000']);
    expect(subject(dir)).toBe('Config: context_budget = 8000');
    expect(filesOf(dir)).toEqual(['.agents/config.yaml']);
  });

  it('plan --import and review --import commit their files as one commit each', () => {
    const dir = initialised();
    git(dir, ['rm', '-q', '--cached', 'wip.txt']);
    write(dir, '.git/info/exclude', 'wip.txt\nanswer*.json\n');
    write(dir, 'answer.json', JSON.stringify(GOOD_PLAN));
    const planned = ok(dir, ['plan', '--import', 'answer.json']);
    expect(subject(dir)).toBe('Plan: 3 new tasks, plan.md');
    expect(planned).toContain('Plan: 3 new tasks, plan.md');
    expect(filesOf(dir).filter((f) => f.startsWith('.agents/tasks/'))).toHaveLength(3);
    expect(status(dir)).toBe('');

    const db = (JSON.parse(ok(dir, ['task', 'list', '--json'])) as { tasks: { id: string; title: string }[] }).tasks.find((t) => t.title.startsWith('Create the users'))!.id;
    write(dir, 'answer-review.json', JSON.stringify({
      summary: 'The schema needs an index.',
      follow_ups: [{ key: 'idx', title: 'Index todos by user', follows: db, reason: 'slow lists', requirements: ['An index on todos.user_id'] }],
      decisions: ['Every table read by user has an index on user_id'],
    }));
    ok(dir, ['review', '--import', 'answer-review.json']);
    expect(subject(dir)).toMatch(/^Review R-001: 1 filed$/);
    expect(filesOf(dir)).toContain('.agents/reviews/R-001.md');
    expect(status(dir)).toBe('');
  });

  it('--no-commit and `commit_plan_changes: false` leave the files for the person to commit', () => {
    const dir = initialised('--no-commit');
    expect(subject(dir)).toBe('Library change 3');
    expect(status(dir)).toContain('?? .agents/');
    git(dir, ['add', '.agents', 'AGENTS.md', '.gitattributes']);
    git(dir, ['commit', '-q', '-m', 'Set up baton']);
    const before = count(dir);
    addTask(dir, 'By hand', '--no-commit');
    expect(count(dir)).toBe(before);
    expect(status(dir)).toMatch(/\?\? \.agents\/tasks\/T-[0-9a-f]+-by-hand\.md/);

    git(dir, ['add', '.agents']);
    git(dir, ['commit', '-q', '-m', 'The task']);
    ok(dir, ['config', 'set', 'commit_plan_changes', 'false']);
    expect(status(dir)).toBe(' M .agents/config.yaml\n');
    git(dir, ['commit', '-q', '-am', 'Batch plan changes by hand']);
    addTask(dir, 'Another');
    expect(subject(dir)).toBe('Batch plan changes by hand');
    expect(status(dir)).toMatch(/\?\? \.agents\/tasks\/T-[0-9a-f]+-another\.md/);
  });
});

describe('start needs the plan in git', () => {
  it('refuses a task, or a dependency, whose file is not committed on the base, and says how to commit it', () => {
    const dir = initialised();
    git(dir, ['commit', '-q', '-m', 'wip']);
    const db = addTask(dir, 'Database', '--no-commit');
    const refused = baton(dir, ['start', db]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`\`.agents/tasks/${db}-database.md\` is not committed on \`main\``);
    expect(refused.stderr).toContain(`git add -- '.agents/tasks/${db}-database.md'`);
    expect(git(dir, ['branch', '--list', 'task/*'])).toBe('');

    ok(dir, ['task', 'set', db, '--status', 'done']); // commits the file with the change
    const api = addTask(dir, 'API', '--depends-on', db);
    write(dir, `.agents/tasks/${db}-database.md`, read(dir, `.agents/tasks/${db}-database.md`).replace('## Context', '## Context\n\nEdited, not committed.'));
    const dep = baton(dir, ['start', api]);
    expect(dep.code).toBe(1);
    expect(dep.stderr).toContain(`\`.agents/tasks/${db}-database.md\` has changes not committed on \`main\``);

    git(dir, ['commit', '-q', '-am', 'Context for the database']);
    expect(baton(dir, ['start', api]).code).toBe(0);
  });
});

describe('doctor and the plan in git', () => {
  it('reports untracked and changed .agents/ files with the command that commits them', () => {
    const dir = initialised('--no-commit');
    const r = baton(dir, ['doctor']);
    expect(r.stdout).not.toContain('All good');
    expect(r.stdout).toMatch(/\.agents: warning: \d+ files not committed: .*`\.agents\/config\.yaml` \(untracked\)/);
    expect(r.stdout).toContain('git add -- .agents && git commit -m "Plan: commit baton\'s files" -- .agents');
    git(dir, ['add', '.agents']);
    git(dir, ['commit', '-q', '-m', 'baton files', '--', '.agents']);
    write(dir, '.agents/plan.md', `${read(dir, '.agents/plan.md')}\nMore goal.\n`);
    expect(baton(dir, ['doctor']).stdout).toContain('.agents: warning: 1 file not committed: `.agents/plan.md` (changed)');
    git(dir, ['commit', '-q', '-m', 'goal', '--', '.agents/plan.md']);
    expect(ok(dir, ['doctor'])).toContain('All good');
  });

  it('never writes the commits from before `baton init` into memory, with or without --fix', () => {
    const dir = initialised('--no-commit');
    ok(dir, ['doctor', '--fix']);
    ok(dir, ['memory', 'rebuild']);
    expect(read(dir, '.agents/memory/project.md')).not.toMatch(/^## \S+ commit /m);
    git(dir, ['add', '.agents', 'AGENTS.md', '.gitattributes']);
    git(dir, ['commit', '-q', '-m', 'Set up baton']);
    ok(dir, ['doctor', '--fix']);
    ok(dir, ['memory', 'rebuild']);
    const memory = read(dir, '.agents/memory/project.md');
    expect(memory).not.toContain('Library change');
    expect(memory).not.toContain('Initial commit');
  });
});

describe("baton's own commits are not memory entries", () => {
  it('Plan, Start, Log and Done commits are left out of memory, the work commit is recorded once', () => {
    const dir = initialised();
    git(dir, ['commit', '-q', '-m', 'wip']);
    const id = addTask(dir, 'Greeting', '--check', 'true');
    ok(dir, ['start', id]);
    write(dir, 'hello.js', 'export const hello = "hi";\n');
    git(dir, ['add', 'hello.js']);
    git(dir, ['commit', '-q', '-m', 'Add the greeting']);
    ok(dir, ['log', id, '--outcome', 'success', '--summary', 'Greets.']);
    ok(dir, ['done', id, '--merge']);
    const commits = (JSON.parse(ok(dir, ['memory', '--kind', 'commit', '--json'])) as { entries: { body: string }[] }).entries.map((e) => e.body.split('\n')[0]);
    expect(commits.filter((s) => s === 'Add the greeting')).toHaveLength(1);
    expect(commits.filter((s) => /^(Plan|Start|Log|Done)\b/.test(s ?? ''))).toEqual([]);
    expect(read(dir, `.agents/memory/${id}.md`)).not.toMatch(/commit [0-9a-f]+\n(Start|Log|Done) /);
    expect(ok(dir, ['doctor'])).toContain('All good');
    expect(status(dir)).toBe('');
    // Rebuilt from history, memory still holds no entry for them.
    ok(dir, ['memory', 'rebuild']);
    expect(read(dir, `.agents/memory/${id}.md`)).not.toMatch(/commit [0-9a-f]+\n(Start|Log|Done) /);
    expect(read(dir, '.agents/memory/project.md')).not.toMatch(/commit [0-9a-f]+\n(Plan|Start|Log|Done)[: ]/);
  });

  it('a Baton-Commit trailer on a commit that changes code does not hide it from memory', () => {
    const dir = initialised();
    git(dir, ['commit', '-q', '-m', 'wip']);
    const id = addTask(dir, 'Sneaky');
    ok(dir, ['start', id]);
    write(dir, 'code.js', 'x\n');
    git(dir, ['add', 'code.js']);
    git(dir, ['commit', '-q', '-m', 'Real work\n\nBaton-Commit: log']);
    write(dir, 'more.js', 'y\n');
    git(dir, ['add', 'more.js']);
    git(dir, ['commit', '-q', '-m', 'More work']);
    expect(read(dir, `.agents/memory/${id}.md`)).toContain('\nReal work\n');
    ok(dir, ['memory', 'rebuild', id]);
    expect(read(dir, `.agents/memory/${id}.md`)).toContain('\nReal work\n');
  });
});
