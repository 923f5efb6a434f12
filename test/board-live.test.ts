/**
 * `baton board` on a real repository with tasks on several branches (one in a
 * worktree), opened in headless Chromium: the tasks, the graph and a memory
 * timeline are shown, and a commit on a task branch updates the open pages
 * without a reload.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_BROWSER, launchBrowser, NO_BROWSER_MESSAGE, startBoard, type RunningBoard } from './helpers/board.js';
import { addTask, git, makeProject, ok, read, taskFile, tempDir, write } from './helpers/repo.js';

if (!HAVE_BROWSER) console.warn(`board browser tests ${NO_BROWSER_MESSAGE}`);

interface Plan {
  dir: string;
  schema: string;
  login: string;
  docs: string;
  risky: string;
  changelog: string;
  docsWorktree: string;
}

/** Schema finished on its branch (not merged), Docs in progress in a worktree, the rest on main. */
function planOnSeveralBranches(): Plan {
  const dir = makeProject({ hooks: true });
  const schema = addTask(dir, 'Schema', '--phase', 'Data');
  const login = addTask(dir, 'Login', '-d', schema, '--phase', 'API');
  const docs = addTask(dir, 'Docs', '--phase', 'Docs');
  const risky = addTask(dir, 'Escape <b>me</b> & "quote" <script>x</script>', '-d', login, '--phase', 'API');
  const changelog = addTask(dir, 'Changelog', '--phase', 'Docs');
  // A review and two recorded model calls, as `baton review` and `baton run` leave them.
  write(dir, '.agents/reviews/R-001.md', `# R-001: First review\n\nSchema looks right; ${login} comes next.\n`);
  const usage = (time: string, who: string, cost: string, purpose: string) =>
    `## ${time} usage ${who}\nprompt_tokens: 1200\ncompletion_tokens: 800\ncost_usd: ${cost}\ncalls: 1\nfor: ${purpose}\n\n`;
  write(dir, `.agents/memory/${login}.md`, `# Memory: ${login}\n\n${usage('2026-11-22T11:00:00Z', 'implementer gpt-5-mini', '0.0123', login)}`);
  write(dir, '.agents/memory/project.md', `${read(dir, '.agents/memory/project.md')}\n${usage('2026-11-22T10:00:00Z', 'planner gpt-5', '0.05', 'plan')}`);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'Plan']);

  ok(dir, ['start', schema]);
  write(dir, 'db/schema.sql', 'create table users (id int);\n');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'Add users table']);
  ok(dir, ['log', schema, '--outcome', 'success', '--summary', 'Users table created', '--decision', 'Sessions are stored server-side', '--bug', 'Migration order depends on <file> names <img src=x onerror=alert(1)>']);
  git(dir, ['checkout', '-q', 'main']);

  const started = JSON.parse(ok(dir, ['start', docs, '--worktree', '--json'])) as { dir: string; worktree: boolean };
  expect(started.worktree).toBe(true);
  const docsWorktree = started.dir;
  return { dir, schema, login, docs, risky, changelog, docsWorktree };
}

describe.skipIf(!HAVE_BROWSER)('baton board in a browser', () => {
  let plan: Plan;
  let board: RunningBoard;
  let browser: BrowserContext;
  const shots = tempDir('baton-board-shots-');

  beforeAll(async () => {
    plan = planOnSeveralBranches();
    board = await startBoard(plan.dir);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await board?.stop();
  });

  it('serves on the loopback address only and shows tasks by status, work in flight and the graph', async () => {
    expect(board.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await browser.newPage();
    await page.goto(board.url);
    const { schema, login, docs, risky, changelog } = plan;
    // Schema is finished on its unmerged branch: awaiting review there. Docs is in progress in its worktree.
    await expect(page.locator(`#col-review .card[data-id="${schema}"]`).textContent()).resolves.toContain(`on task/${schema}-schema`);
    await expect(page.locator(`#col-in-progress .card[data-id="${docs}"]`).textContent()).resolves.toContain('worktree');
    await expect(page.locator(`#col-todo .card[data-id="${login}"]`).count()).resolves.toBe(1);
    // Changelog has no dependencies: ready, and highlighted in the column and in the graph.
    await expect(page.locator(`.card.ready[data-id="${changelog}"]`).count()).resolves.toBe(1);
    await expect(page.locator(`#graph svg a.n-ready[data-id="${changelog}"]`).count()).resolves.toBe(1);
    await expect(page.locator('#graph svg a[data-id]').count()).resolves.toBe(5);
    await expect(page.locator('#graph svg path[marker-end]').count()).resolves.toBe(2);
    // A title full of markup is shown as text, never run as HTML.
    const card = page.locator(`.card[data-id="${risky}"]`);
    await expect(card.textContent()).resolves.toContain('Escape <b>me</b> & "quote" <script>x</script>');
    await expect(card.locator('b, script').count()).resolves.toBe(0);
    const flight = await page.locator('#in-flight').textContent();
    expect(flight).toContain(`task/${schema}-schema`);
    expect(flight).toContain(plan.docsWorktree);
    await page.screenshot({ path: join(shots, 'board.png'), fullPage: true });
    // `BATON_BOARD_SCREENSHOT=docs/board.png npx vitest run test/board-live.test.ts` refreshes the README picture.
    if (process.env.BATON_BOARD_SCREENSHOT) {
      const graph = (await page.locator('#graph').boundingBox())!;
      await page.screenshot({ path: process.env.BATON_BOARD_SCREENSHOT, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: graph.y + graph.height + 16 } });
    }
    await page.close();
  });

  it('opens a task from the graph: its text, branch and memory timeline with commits, results and decisions', async () => {
    const page = await browser.newPage();
    await page.goto(board.url);
    await page.locator(`#graph svg a[data-id="${plan.schema}"]`).click();
    await page.waitForURL(`**/${plan.schema}.html`);
    await expect(page.locator('h1').textContent()).resolves.toContain('Schema');
    await expect(page.locator('.facts').textContent()).resolves.toContain(`task/${plan.schema}-schema`);
    const timeline = page.locator('#timeline');
    const text = (await timeline.textContent()) ?? '';
    for (const shown of ['attempt', 'Add users table', 'db/schema.sql', 'success', 'Users table created', 'Sessions are stored server-side', 'Migration order depends on <file> names <img src=x onerror=alert(1)>']) {
      expect(text).toContain(shown);
    }
    await expect(timeline.locator('li.k-commit').count()).resolves.toBeGreaterThan(0);
    await expect(timeline.locator('li.k-decision').count()).resolves.toBe(1);
    // Memory is text: markup in it is shown, never run.
    await expect(timeline.locator('file, img').count()).resolves.toBe(0);
    await page.screenshot({ path: join(shots, 'task.png'), fullPage: true });
    await page.close();
  });

  it('a commit on a task branch updates the open pages without a reload', async () => {
    const { docs, docsWorktree } = plan;
    const index = await browser.newPage();
    await index.goto(board.url);
    const task = await browser.newPage();
    await task.goto(`${board.url}${docs}.html`);
    await task.locator('#live', { hasText: 'live' }).waitFor();
    await index.locator('#live', { hasText: 'live' }).waitFor();
    // Marks that a reload would wipe out.
    for (const p of [index, task]) await p.evaluate(() => ((window as unknown as { kept: string }).kept = 'still here'));

    // The agent in the worktree writes the guide and hands the task over for review.
    const path = taskFile(docsWorktree, docs);
    write(docsWorktree, path, read(docsWorktree, path).replace('status: in-progress', 'status: review'));
    mkdirSync(join(docsWorktree, 'docs'), { recursive: true });
    writeFileSync(join(docsWorktree, 'docs', 'guide.md'), '# Guide\n');
    git(docsWorktree, ['add', '-A']);
    git(docsWorktree, ['commit', '-q', '-m', 'Write the guide']);

    await index.locator(`#col-review .card[data-id="${docs}"]`).waitFor();
    await task.locator('#timeline li.k-commit', { hasText: 'Write the guide' }).waitFor();
    await expect(task.locator('#timeline').textContent()).resolves.toContain('docs/guide.md');
    // Memory written in the worktree before any commit shows too.
    const memory = `.agents/memory/${docs}.md`;
    write(docsWorktree, memory, `${read(docsWorktree, memory)}\n## 2026-11-30T12:00:00Z note\nThe guide needs screenshots.\n`);
    await task.locator('#timeline li.k-note', { hasText: 'The guide needs screenshots.' }).waitFor();
    for (const p of [index, task]) {
      await expect(p.evaluate(() => (window as unknown as { kept?: string }).kept)).resolves.toBe('still here');
    }
    await index.screenshot({ path: join(shots, 'board-after-commit.png'), fullPage: true });
    expect(readdirSync(shots)).toEqual(expect.arrayContaining(['board.png', 'task.png', 'board-after-commit.png']));
    await index.close();
    await task.close();
  });

  it('shows the reviews, the cost as a table and a chart over time, and a task\'s cost', async () => {
    const page = await browser.newPage();
    await page.goto(`${board.url}reviews.html`);
    await expect(page.locator('details#R-001').textContent()).resolves.toContain(`Schema looks right; ${plan.login} comes next.`);
    await page.locator('header a', { hasText: 'Cost' }).click();
    await page.waitForURL('**/cost.html');
    await expect(page.locator('main > p').first().textContent()).resolves.toContain('$0.0623 in 2 recorded calls');
    await expect(page.locator('svg.cost-chart circle').count()).resolves.toBe(2);
    await expect(page.locator('table').first().textContent()).resolves.toContain(plan.login);
    await page.locator(`table a[href="${plan.login}.html"]`).click();
    await expect(page.locator('.facts').textContent()).resolves.toContain('$0.0123 · 1200 prompt + 800 completion tokens in 1 call');
    await page.close();
  });

  it('--out writes the same pages as static files that work without JavaScript', async () => {
    const out = tempDir('baton-board-out-');
    expect(ok(plan.dir, ['board', '--out', out])).toContain('Wrote 9 pages');
    // The inbox is a page of its own, readable without the server (no forms in an export).
    expect(readFileSync(join(out, 'inbox.html'), 'utf8')).not.toContain('<form');
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).not.toContain('<script');
    expect(index).toContain('&lt;script&gt;x&lt;/script&gt;');
    // No script in the export: what follows is plain links and inline SVG.
    const page = await browser.newPage();
    await page.goto(`file://${join(out, 'index.html')}`);
    await page.locator(`#graph svg a[data-id="${plan.schema}"]`).click();
    await page.waitForURL(`**/${plan.schema}.html`);
    await expect(page.locator('#timeline').textContent()).resolves.toContain('Sessions are stored server-side');
    await page.close();
  });
});
