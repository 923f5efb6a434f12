/**
 * An agent asks mid-run: its report's Questions block the task "waiting for an
 * answer", `baton auto` goes on with the other task, and once a person answers
 * (`baton answer`) it comes back to the task, whose next prompt starts with the
 * question and the answer. `notify.command` hears each event as JSON on stdin.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, batonAsync, BIN, git, ok, read, taskFile } from './helpers/repo.js';
import { makeAgentProject, report } from './fixtures/agent-project.js';

const KEY = 'sk-proj-Zx81QmT0aLk29VbNc4RtYw7e';

async function until<T>(what: () => T | undefined): Promise<T> {
  for (;;) {
    const v = what();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('questions in baton auto', () => {
  it('a task that asks waits, the run goes on, and the answered task is taken again with the answer first in its prompt', async () => {
    const p = makeAgentProject();
    const heardFile = join(p.state, 'events.txt');
    // The user's notify command: appends each event (JSON on stdin) as a line.
    writeFileSync(join(p.dir, '.agents', 'config.yaml'), `${read(p.dir, '.agents/config.yaml')}notify:\n  command: cat >> ${heardFile}\n`);
    const a = addTask(p.dir, 'Pick the database', '--check', 'test -f out/a.txt');
    const b = addTask(p.dir, 'Write the docs', '--check', 'test -f out/b.txt');
    const c = addTask(p.dir, 'Name the product', '--check', 'test -f out/c.txt');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    const release = join(p.state, 'release');
    p.setScript({
      tasks: [
        {
          match: a,
          attempts: [
            { report: report('partial', 'Cannot choose alone.', `\n## Questions\n- SQLite or Postgres? (my key is ${KEY})\n`) },
            { write: { 'out/a.txt': 'sqlite\n' }, commit: 'Use SQLite', report: report('success', 'Uses SQLite as answered.') },
          ],
        },
        // B holds the run until the test has looked and answered: no race with the run's end.
        { match: b, attempts: [{ wait_for: { path: release, text: 'go' }, write: { 'out/b.txt': 'docs\n' }, commit: 'Docs', report: report('success', 'Docs written.') }] },
        // C asks through baton itself (as MCP `ask` does), with no report at all: the same wait, no failed attempt.
        { match: c, attempts: [{ sh: `node ${BIN} log ${c} --question "Which name?"` }] },
      ],
    });

    const run = batonAsync(p.dir, ['auto', '--no-review'], { env: p.env });
    // The notify command hears the question first (a file read per poll, no process).
    await until(() => (existsSync(heardFile) && readFileSync(heardFile, 'utf8').includes('"question"') ? true : undefined));
    const inbox = (JSON.parse(ok(p.dir, ['inbox', '--json'])) as { questions: { id: string; question: string }[] }).questions;
    expect(inbox).toEqual([expect.objectContaining({ id: a, question: 'SQLite or Postgres? (my key is [REDACTED])' })]);
    // Every view says the same: blocked, waiting for an answer.
    const status = JSON.parse(ok(p.dir, ['status', '--json'])) as { blocked: { id: string; status: string; reason?: string }[] };
    expect(status.blocked).toEqual([expect.objectContaining({ id: a, status: 'blocked', reason: 'waiting for an answer' })]);
    expect(ok(p.dir, ['status'])).toContain(`${a}  Pick the database  [blocked] waiting for an answer`);

    const answered = baton(p.dir, ['answer', a, 'Use SQLite; Postgres later.']);
    expect(answered.code, answered.stderr).toBe(0);
    expect(answered.stdout).toContain('answered 1 question, status blocked → todo');
    writeFileSync(release, 'go');

    const r = await run;
    // A and B done; C, asked and not answered, is what is left, for a person.
    expect(r.stdout).toContain('Nothing more is ready.');
    expect(r.stdout).toMatch(new RegExp(`${c}  Name the product  — waiting for an answer`));
    expect(r.stdout).toContain('0 failure');
    expect(JSON.parse(ok(p.dir, ['inbox', '--json'])).questions.map((q: { id: string }) => q.id)).toEqual([c]);
    // The second prompt A's agent read starts with the question and the answer.
    const prompt = readFileSync(join(p.state, `prompt-${a}-2.md`), 'utf8');
    expect(prompt).toMatch(new RegExp(`^# Task ${a}: Pick the database\\n\\n## Your questions, answered\\n`));
    expect(prompt).toContain('SQLite or Postgres?');
    expect(prompt).toContain('**Answer** (');
    expect(prompt.indexOf('Use SQLite; Postgres later.')).toBeLessThan(prompt.indexOf('## The task'));
    const memory = read(p.dir, `.agents/memory/${a}.md`);
    expect(memory).toMatch(/ question\nSQLite or Postgres\?/);
    expect(memory).toMatch(/ answer\nUse SQLite; Postgres later\./);

    // notify.command heard each event as JSON, with no key in it.
    expect(existsSync(heardFile)).toBe(true);
    const heard = readFileSync(heardFile, 'utf8');
    expect(heard).not.toContain(KEY);
    const kinds = heard.trim().split('\n').map((l) => JSON.parse(l) as { event: string; task?: string });
    expect(kinds.filter((e) => e.event === 'question').map((e) => e.task)).toEqual([a, c]);
    expect(kinds.filter((e) => e.event === 'review').map((e) => e.task).sort()).toEqual([a, b].sort());
    expect(kinds.at(-1)!.event).toBe('run-finished');
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');
    expect(read(p.dir, taskFile(p.dir, a))).toContain('status: done');
  });
});
