/**
 * Bookkeeping does not outweigh the work (issue 19, item 7): per attempt, one
 * commit of baton's before the work (Start) and one after it (Done, or the
 * failed check); the Log commit folds into it. Real repositories, the built CLI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, copied, git, makeProject, ok, tempDir, write } from './helpers/repo.js';

/** `baton init` with the hooks and one task with this check: made once per check, copied for each test. */
const project = copied((check: string): { dir: string; id: string } => {
  const dir = makeProject({ hooks: true });
  const id = addTask(dir, 'Greet', '--check', check);
  return { dir, id };
});

function work(dir: string, file: string, message: string): void {
  write(dir, file, `${message}\n`);
  git(dir, ['add', file]);
  git(dir, ['commit', '-q', '-m', message]);
}

describe('one commit of baton before the work and one after it', () => {
  it('the Log commit folds into Done: the base gets Start, the work, Done and the merge', () => {
    const { dir, id } = project('true');
    ok(dir, ['start', id]);
    work(dir, 'a.js', 'Work');
    ok(dir, ['log', id, '--outcome', 'partial', '--summary', 'Half']);
    ok(dir, ['log', id, '--outcome', 'success', '--summary', 'All of it', '--decision', 'Greet in English']);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    expect(git(dir, ['log', '-1', '--format=%s'])).toBe(`Log ${id}: success\n`); // the partial one folded in
    ok(dir, ['done', id, '--merge']);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    const branch = `task/${id}-greet`;
    expect(git(dir, ['log', '--reverse', '--format=%s', `main~1..${branch}`]).split('\n').filter(Boolean))
      .toEqual([`Start ${id}: Greet`, 'Work', `Done ${id}: Greet`]);
    // What the Log commits held is in the Done commit: the result and the decision reached the base.
    const memory = git(dir, ['show', `main:.agents/memory/${id}.md`]);
    expect(memory).toMatch(/result partial\nHalf/);
    expect(memory).toMatch(/result success\nAll of it/);
    expect(memory).toMatch(/decision\nGreet in English/);
    expect(ok(dir, ['doctor'])).toContain('All good');
  });

  it('a failed check is the attempt\'s one commit after the work; the retry is a new attempt with its own two', () => {
    const { dir, id } = project('test -f ok.txt');
    ok(dir, ['start', id]);
    work(dir, 'a.js', 'Work');
    ok(dir, ['log', id, '--outcome', 'success', '--summary', 'Works']);
    const failed = baton(dir, ['done', id, '--merge']);
    expect(failed.code).toBe(1);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    const branch = `task/${id}-greet`;
    expect(git(dir, ['log', '-1', '--format=%s', branch])).toBe(`Check failed ${id}: \`test -f ok.txt\`\n`);
    expect(git(dir, ['log', '--format=%s', `main..${branch}`])).not.toContain(`Log ${id}`);
    // The failure is in memory, so the retry's prompt has it.
    expect(ok(dir, ['prompt', id])).toContain('test -f ok.txt');

    ok(dir, ['start', id]);
    work(dir, 'ok.txt', 'Fix');
    ok(dir, ['log', id, '--outcome', 'success', '--summary', 'Fixed']);
    ok(dir, ['done', id, '--merge']);
    expect(git(dir, ['log', '--reverse', '--format=%s', `main~1..${branch}`]).split('\n').filter(Boolean)).toEqual([
      `Start ${id}: Greet`, 'Work', `Check failed ${id}: \`test -f ok.txt\``, `Start ${id}: Greet`, 'Fix', `Done ${id}: Greet`,
    ]);
  });

  it('a Log commit another ref holds (pushed) is never rewritten', () => {
    const { dir, id } = project('true');
    const remote = tempDir('baton-remote-');
    git(remote, ['init', '-q', '--bare']);
    git(dir, ['remote', 'add', 'origin', remote]);
    ok(dir, ['start', id]);
    work(dir, 'a.js', 'Work');
    ok(dir, ['log', id, '--outcome', 'success', '--summary', 'Works']);
    const logged = git(dir, ['rev-parse', 'HEAD']).trim();
    git(dir, ['push', '-q', 'origin', `task/${id}-greet`]);
    ok(dir, ['done', id]);
    expect(git(dir, ['rev-parse', 'HEAD~1']).trim()).toBe(logged);
    expect(git(dir, ['log', '-1', '--format=%s'])).toBe(`Done ${id}: Greet\n`);
  });
});

describe("baton's own commits on the board", () => {
  it('an in-flight task\'s page lists its work commit, not baton\'s Start and Log commits', () => {
    const { dir, id } = project('true');
    ok(dir, ['start', id]);
    work(dir, 'a.js', 'Work in flight');
    ok(dir, ['log', id, '--outcome', 'partial', '--summary', 'Half']);
    git(dir, ['switch', '-q', 'main']);
    const site = join(tempDir('baton-site-'), 'site');
    ok(dir, ['board', '--out', site]);
    const page = readdirSync(site, { recursive: true }).map(String).find((f) => f.includes(id) && f.endsWith('.html'))!;
    const html = readFileSync(join(site, page), 'utf8');
    expect(html).toContain('Work in flight');
    expect(html).not.toContain(`Start ${id}`);
    expect(html).not.toContain(`Log ${id}`);
  });
});

describe('bench figures', () => {
  it('counts what baton wrote on a finished task', async () => {
    const { dir, id } = project('true');
    ok(dir, ['start', id]);
    work(dir, 'a.js', 'Work');
    ok(dir, ['log', id, '--outcome', 'success', '--summary', 'Works']);
    ok(dir, ['done', id, '--merge']);
    const { bookkeepingFigures } = (await import('../scripts/bench-bookkeeping.mjs')) as {
      bookkeepingFigures: (repo: string) => { tasks: number; attempts: number; own: Record<string, number>; attemptCommits: number; commitEntriesOfBaton: number; bytesPerTask: number };
    };
    const f = bookkeepingFigures(dir);
    expect(f).toMatchObject({ tasks: 1, attempts: 1, own: { plan: 2, start: 1, done: 1 }, attemptCommits: 2, commitEntriesOfBaton: 0 });
    expect(f.bytesPerTask).toBeGreaterThan(0);
  });
});
