/**
 * A person answers an agent on the board: the question appears live on the
 * plan, in the inbox and on the task's page; answered there (`--write`), it
 * goes through `baton answer`'s use case, and the task's next prompt starts
 * with the answer. Chromium (Debian's) driven by playwright-core.
 */
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_BROWSER, launchBrowser, NO_BROWSER_MESSAGE, startBoard, type RunningBoard } from './helpers/board.js';
import { addTask, git, makeProject, ok, read, taskFile } from './helpers/repo.js';

describe.skipIf(!HAVE_BROWSER)('baton board: questions and answers', () => {
  let dir: string;
  let a: string;
  let b: string;
  let worktree: string;
  let board: RunningBoard;
  let browser: BrowserContext;

  beforeAll(async () => {
    dir = makeProject();
    a = addTask(dir, 'Pick the database', '--check', 'true');
    b = addTask(dir, 'Store the sessions');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Plan']);
    // The agent's side, as the prompt tells it: start in a worktree, then ask.
    worktree = /Work there: cd (\S+)/.exec(ok(dir, ['start', a, '--worktree']))![1]!;
    ok(worktree, ['log', a, '--question', 'SQLite or Postgres?']);
    [board, browser] = await Promise.all([startBoard(dir, ['--write']), launchBrowser()]);
  });
  afterAll(async () => {
    await Promise.all([board?.stop(), browser?.close()]);
  });

  it('shows the question live, takes the answer on the task page, and the next prompt starts with it', async () => {
    const page = await browser.newPage();
    await page.goto(board.url);
    await expect(page.locator('#inbox-notice').textContent()).resolves.toContain('1 open question');
    await expect(page.locator(`.card[data-id="${a}"] .badge.reason`).textContent()).resolves.toBe('waiting for an answer');
    await expect(page.locator('#events').textContent()).resolves.toContain('question asked');

    // Another agent asks while the page is open: it appears without a reload.
    ok(dir, ['log', b, '--question', 'Sessions in Redis?']);
    await page.locator('#inbox-notice', { hasText: '2 open questions' }).waitFor();
    await page.locator('#events li', { hasText: b }).first().waitFor();

    await page.goto(`${board.url}inbox.html`);
    await expect(page.locator('#inbox').textContent()).resolves.toContain('SQLite or Postgres?');
    await page.locator(`#inbox li[data-id="${a}"] a`).first().click();
    await page.waitForURL(`${board.url}${a}.html`);
    await expect(page.locator('.questions.open').textContent()).resolves.toContain('SQLite or Postgres?');
    await page.locator('form.answer textarea').fill('Use SQLite for now.');
    await Promise.all([page.waitForEvent('load'), page.locator('form.answer button').click()]);
    await expect(page.locator('#answered').textContent()).resolves.toContain('Use SQLite for now.');
    await expect(page.locator('.questions.open').count()).resolves.toBe(0);
    await expect(page.locator('.facts').textContent()).resolves.toContain('todo');
    await page.close();

    // The same use case as `baton answer`: recorded on the task's branch, committed, task open again.
    expect(read(worktree, `.agents/memory/${a}.md`)).toMatch(/ answer\nUse SQLite for now\./);
    expect(read(worktree, taskFile(worktree, a))).toContain('status: todo');
    expect(git(worktree, ['status', '--porcelain'])).toBe('');
    expect(ok(dir, ['prompt', a])).toMatch(new RegExp(`^# Task ${a}: Pick the database\\n\\n## Your questions, answered\\n[\\s\\S]*Use SQLite for now\\.`));
    expect(JSON.parse(ok(dir, ['inbox', '--json'])).questions.map((q: { id: string }) => q.id)).toEqual([b]);
  });
});

if (!HAVE_BROWSER) console.warn(NO_BROWSER_MESSAGE);
