/**
 * Issue 19 item 11, `baton pr`: the Context under its own heading (not
 * "Goal"), the criteria ticked once the checks passed after the last result,
 * inline code kept as written, and after a reopen only this attempt's work.
 */
import { describe, expect, it } from 'vitest';
import { addTask, git, makeProject, ok, write } from './helpers/repo.js';

/** Commit what baton wrote for the plan, unless it committed it itself. */
function commitPlan(dir: string, message: string): void {
  git(dir, ['add', '-A']);
  if (git(dir, ['status', '--porcelain'])) git(dir, ['commit', '-qm', message]);
}

function planned(): { dir: string; id: string } {
  const dir = makeProject({ hooks: true });
  const id = addTask(dir, 'Greet people', '--check', 'test -f greet.txt', '--criterion', '`greet()` returns **hello** for [anyone](https://example.com)',
    '--context', 'The CLI prints `hello` today.');
  commitPlan(dir, 'plan');
  return { dir, id };
}

function attempt(dir: string, id: string, text: string, subject: string): void {
  ok(dir, ['start', id]);
  write(dir, 'greet.txt', text);
  git(dir, ['add', 'greet.txt']);
  git(dir, ['commit', '-qm', subject]);
  ok(dir, ['log', id, '--outcome', 'success', '--summary', `${subject}.`]);
}

describe('baton pr', () => {
  it('puts Context under Context, keeps inline code, and ticks the criteria once the check passed after the result', () => {
    const { dir, id } = planned();
    attempt(dir, id, 'hi\n', 'Add greet');
    const before = ok(dir, ['pr', id]);
    expect(before).toContain('## Goal\n\nGreet people\n\n## Context\n\nThe CLI prints `hello` today.');
    expect(before).toContain('- [ ] `greet()` returns **hello** for [anyone](https://example.com)');
    ok(dir, ['done', id, '--merge']);
    const after = ok(dir, ['pr', id]);
    expect(after).toContain('- [x] `greet()` returns **hello** for [anyone](https://example.com)');
    expect(after).toMatch(/- `test -f greet.txt`: passed \(/);
  });

  it('after a reopen, lists this attempt\'s commits, not what the earlier merge brought in', () => {
    const { dir, id } = planned();
    attempt(dir, id, 'hi\n', 'Add greet');
    ok(dir, ['done', id, '--merge']);
    ok(dir, ['task', 'set', id, '--status', 'todo']);
    commitPlan(dir, 'Reopen');
    attempt(dir, id, 'hello\n', 'Say hello');
    const pr = ok(dir, ['pr', id]);
    expect(pr).toMatch(/## Commits\n\n- [0-9a-f]{7,} Say hello\n\n/);
    expect(pr).not.toContain('Add greet');
  });
});
