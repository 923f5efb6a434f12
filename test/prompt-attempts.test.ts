/**
 * Attempts in memory: a decision logged by a try that failed, once a later try
 * of the same task succeeded, was the road not taken (often the bug itself):
 * it reaches no dependent's prompt and no pull request. While nothing has
 * succeeded, what the failed try logged is marked as such. The review's
 * cross-check judges each attempt's claim against that attempt's evidence.
 */
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, write } from './helpers/repo.js';

function commitFile(dir: string, path: string, text: string): void {
  write(dir, path, text);
  git(dir, ['add', path]);
  git(dir, ['commit', '-qm', `Add ${path}`]);
}

describe('attempts in memory', () => {
  it('keeps the decision of a superseded failed attempt out of dependents\' prompts and the PR, and marks a failed one', () => {
    const dir = makeProject();
    const tax = addTask(dir, 'Tax rules', '--file', 'src/tax.ts');
    const refunds = addTask(dir, 'Refunds', '-d', tax, '--file', 'src/refund.ts');
    const invoice = addTask(dir, 'Invoice PDF', '--file', 'src/invoice.ts');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'Plan']);

    ok(dir, ['start', tax]);
    commitFile(dir, 'src/tax.ts', 'export const applyTax = () => 0;\n');
    ok(dir, ['log', tax, '--outcome', 'failure', '--summary', 'Totals are off by a cent.', '--decision', 'Round half-up in applyTax (HALF-UP-WRONG).', '--note', 'Floats are fine for tax (FLOAT-NOTE-WRONG).', '--bug', 'Rounding drifts on EUR totals (DRIFT-BUG).']);
    // Before anything succeeded: the task's own retry prompt shows what the failed try decided, marked.
    const retry = ok(dir, ['prompt', tax]);
    expect(retry).toMatch(/decision \(from a try that did not succeed\): Round half-up in applyTax \(HALF-UP-WRONG\)\./);

    ok(dir, ['start', tax]);
    commitFile(dir, 'src/tax.ts', 'export const applyTax = () => 1;\n');
    ok(dir, ['log', tax, '--outcome', 'success', '--summary', 'applyTax rounds correctly (TAX-OK).', '--decision', 'Round half-even in applyTax (HALF-EVEN-RIGHT).', '--done']);

    const pr = ok(dir, ['pr', tax]);
    expect(pr).toContain('HALF-EVEN-RIGHT');
    expect(pr).not.toContain('HALF-UP-WRONG');
    expect(pr).toContain('DRIFT-BUG'); // a bug found stays a bug found

    ok(dir, ['done', tax, '--merge']);
    const dependent = ok(dir, ['prompt', refunds, '--budget', '100000']);
    expect(dependent).toContain('TAX-OK');
    expect(dependent).toContain('HALF-EVEN-RIGHT');
    expect(dependent).not.toContain('HALF-UP-WRONG');
    expect(dependent).not.toContain('FLOAT-NOTE-WRONG');
    expect(dependent).not.toContain('from a try that did not succeed');
    // The review reads every attempt, the superseded one marked as such.
    expect(ok(dir, ['review', '--prompt'])).toMatch(/ decision \(from a try that a later success replaced\)\nRound half-up in applyTax \(HALF-UP-WRONG\)\./);
    // An unrelated task never hears of it either way.
    expect(ok(dir, ['prompt', invoice, '--budget', '100000'])).not.toContain('HALF-UP');
  });

  it('flags a false success claim of an earlier attempt even when a later attempt passes its check', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Proof', '--check', 'test -f proof.txt');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'Plan']);
    ok(dir, ['start', id]);
    commitFile(dir, 'notes.txt', 'not the proof\n');
    ok(dir, ['log', id, '--outcome', 'success', '--summary', 'Claimed too early (EARLY-CLAIM).']);
    const refused = baton(dir, ['done', id, '--merge']);
    expect(refused.code).toBe(1); // its check fails, is recorded, and nothing is merged
    expect(refused.stderr).toContain('failed');

    ok(dir, ['start', id]);
    commitFile(dir, 'proof.txt', 'proof\n');
    ok(dir, ['log', id, '--outcome', 'success', '--summary', 'Proof added (REAL-CLAIM).']);
    ok(dir, ['done', id, '--merge']);

    const review = ok(dir, ['review', '--prompt']);
    const flags = review.split('\n').filter((l) => l.startsWith(`- ${id}: claimed`));
    expect(flags).toHaveLength(1);
    expect(flags[0]).toContain('EARLY-CLAIM');
    expect(flags[0]).toMatch(/check `test -f proof\.txt` failed at .* \(attempt 1\)/);
  });
});
