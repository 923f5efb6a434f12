/**
 * `baton review-task` and MCP `review_task`: a person's review of a task's work
 * on its branch. Request changes with line comments → the task is open again
 * and its next prompt starts with the comments (file:line and text); approve →
 * merged; cancel → cancelled; bad comments are refused with nothing changed.
 * (`auto` running it again with an agent that addresses them: board-review.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, read, snapshotFiles, taskFile, write } from './helpers/repo.js';
import { connect, data, call, textOf } from './mcp-util.js';

/** A task whose first attempt wrote greet.txt on its branch and logged a success, as `auto --no-merge` leaves it. */
function finishedOnBranch(dir: string, title: string): string {
  const id = addTask(dir, title, '--check', 'test -f greet.txt');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', `Plan ${title}`]);
  ok(dir, ['start', id]);
  write(dir, 'greet.txt', 'Hello\nworld\n');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'Greet']);
  ok(dir, ['log', id, '--outcome', 'success', '--summary', 'Greets']);
  git(dir, ['switch', '-q', 'main']);
  return id;
}

const firstHeading = (prompt: string) => /^## .*$/m.exec(prompt)?.[0];

describe('baton review-task', () => {
  it('request changes → the task is open again and its prompt starts with the comments; approve merges it', () => {
    const p = { dir: makeProject({ hooks: true }) };
    const id = finishedOnBranch(p.dir, 'Greet the user');
    // Refused, nothing written: no action, no line, no comment at all (MCP below: a file or line the branch does not have).
    const before = snapshotFiles(p.dir);
    const refusals: [string[], string][] = [
      [['--comment', 'greet.txt:1', 'x'], 'say what the review decides'],
      [['--comment', 'greet.txt', 'x', '--request-changes'], 'Give it as FILE:LINE'],
      [['--request-changes'], 'needs a comment or a message'],
    ];
    for (const [args, said] of refusals) {
      const r = baton(p.dir, ['review-task', id, ...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(said);
    }
    expect(snapshotFiles(p.dir)).toEqual(before);

    const asked = ok(p.dir, ['review-task', id, '--comment', 'greet.txt:1', 'Say Hi, not Hello', '--comment', './greet.txt:2', 'Keep this line', '--message', 'Otherwise fine.', '--request-changes']);
    expect(asked).toContain(`${id}: changes requested (2 line comments)`);
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');
    expect(git(p.dir, ['log', '-1', '--format=%s'])).toContain(`Review ${id}: changes requested (2 comments)`);
    const memory = read(p.dir, `.agents/memory/${id}.md`);
    expect(memory).toMatch(/## \S+ review changes-requested\nChanges requested by a person on the command line\.\n\n- Otherwise fine\.\n- `greet\.txt:1`: Say Hi, not Hello\n- `greet\.txt:2`: Keep this line\n/);
    // Open again in every view (its branch still ends in a success): ready, as `auto` will take it.
    expect((JSON.parse(ok(p.dir, ['status', '--json'])).ready as { id: string }[]).map((t) => t.id)).toEqual([id]);
    // The prompt, made on main before any rerun: the comments come first.
    const prompt = ok(p.dir, ['prompt', id]);
    expect(firstHeading(prompt)).toBe('## Review comments to address first');
    expect(prompt).toContain('- `greet.txt:1`: Say Hi, not Hello');

    const approved = ok(p.dir, ['review-task', id, '--approve']);
    expect(approved).toContain(`${id}: approved and merged into main`);
    expect(read(p.dir, 'greet.txt')).toBe('Hello\nworld\n');
    expect(read(p.dir, taskFile(p.dir, id))).toContain('status: done');
    expect(read(p.dir, `.agents/memory/${id}.md`)).toMatch(/review approved\nApproved by a person on the command line: merged\./);
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');
  });

  it('a task closed on its branch (`done` without --merge) and then sent back is listed as open, not as done on its branch', () => {
    const dir = makeProject({ hooks: true });
    const id = finishedOnBranch(dir, 'Greet the user');
    git(dir, ['switch', '-q', git(dir, ['branch', '--list', 'task/*', '--format=%(refname:short)']).trim()]);
    ok(dir, ['done', id]);
    git(dir, ['switch', '-q', 'main']);
    expect(ok(dir, ['status'])).toContain(`Done on unmerged branches (1):\n  ${id}`);
    ok(dir, ['review-task', id, '--comment', 'greet.txt:1', 'Say Hi', '--request-changes']);
    const status = ok(dir, ['status']);
    expect(status).toMatch(new RegExp(`Ready \\(1\\):\\n  ${id}`));
    expect(status).not.toContain('Done on unmerged branches');
    expect((JSON.parse(ok(dir, ['status', '--json'])).inFlight as { id: string; status: string }[])).toEqual([expect.objectContaining({ id, status: 'todo' })]);
  });

  it('through MCP: request changes, the prompt tool carries the comment; cancel', async () => {
    const p = { dir: makeProject({ hooks: true }) };
    const id = finishedOnBranch(p.dir, 'Greet the user');
    const mcp = await connect(p.dir);
    try {
      const before = snapshotFiles(p.dir);
      for (const [comment, said] of [
        [{ file: 'greet.txt', line: 7, text: 'x' }, '`greet.txt` has 2 lines on `task/'],
        [{ file: 'nope.txt', line: 1, text: 'x' }, '`nope.txt` is not a file on `task/'],
        [{ file: 'greet.txt', line: 1, text: '  ' }, 'the comment on `greet.txt:1` is empty'],
      ] as const) {
        const bad = await call(mcp.client, 'review_task', { id, action: 'request-changes', comments: [comment] });
        expect(bad.isError).toBe(true);
        expect(textOf(bad)).toContain(said);
      }
      expect(snapshotFiles(p.dir)).toEqual(before);
      const r = await data(mcp.client, 'review_task', { id, action: 'request-changes', comments: [{ file: 'greet.txt', line: 2, text: 'Say "everyone", not "world"' }] });
      expect(r).toMatchObject({ id, action: 'request-changes', status: 'todo' });
      expect(r.entry).toContain('- `greet.txt:2`: Say "everyone", not "world"');
      const prompt = await data(mcp.client, 'prompt', { id });
      expect(firstHeading(prompt.text as string)).toBe('## Review comments to address first');
      expect(prompt.text).toContain('`greet.txt:2`: Say "everyone", not "world"');
      // Cancelled on the base: every view says so, whatever its branch says (`review` there).
      expect(await data(mcp.client, 'review_task', { id, action: 'cancel' })).toMatchObject({ status: 'cancelled' });
      expect(read(p.dir, taskFile(p.dir, id))).toContain('status: cancelled');
      expect(read(p.dir, `.agents/memory/${id}.md`)).toContain('review cancelled\nCancelled by a person on MCP.');
      expect(await data(mcp.client, 'task_show', { id })).toMatchObject({ status: 'cancelled' });
      expect(git(p.dir, ['status', '--porcelain'])).toBe('');
    } finally {
      await mcp.close();
    }
  });
});
