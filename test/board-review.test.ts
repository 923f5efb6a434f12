/**
 * Review on the board, in headless Chromium: a task that `auto --no-merge`
 * finished shows its diff per file beside its memory; a comment on a line plus
 * "Request changes" reopens it, the rerun's prompt starts with the comment
 * (file and line) and the scripted agent addresses it; "Approve" merges it.
 * The diff is the branch's text, shown as text; `--out` has it without script;
 * a change posted from another origin is refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_BROWSER, launchBrowser, NO_BROWSER_MESSAGE, startBoard, type RunningBoard } from './helpers/board.js';
import { addTask, baton, git, ok, read, snapshotFiles, taskFile, tempDir } from './helpers/repo.js';
import { agentEvents, makeAgentProject, report, type AgentProject } from './fixtures/agent-project.js';

if (!HAVE_BROWSER) console.warn(`board review tests ${NO_BROWSER_MESSAGE}`);

function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const GREET = 'export function greet(name) {\n  return `Hello, ${name}`;\n}\n';
const PAGE = '<!-- a page -->\n<script>alert("x")</script>\n<p>Welcome & "friends"</p>\n';

describe.skipIf(!HAVE_BROWSER)('review on the board', () => {
  let p: AgentProject;
  let id: string;
  let board: RunningBoard;
  let browser: BrowserContext;
  const branch = () => `task/${id}-greet-by-name`;

  beforeAll(async () => {
    p = makeAgentProject({ hooks: true });
    id = addTask(p.dir, 'Greet by name', '--check', 'test -f src/greet.js', '--requirement', '`greet(name)` returns a greeting with the name', '--requirement', 'The start page welcomes friends');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'Plan']);
    p.setScript({ tasks: [{ match: id, attempts: [
      { write: { 'src/greet.js': GREET, 'web/index.html': PAGE }, commit: 'Greet by name', report: report('success', 'greet() says hello.') },
      // The retry does what the line comment asks, and only when its prompt carries it with file and line.
      { sh: `grep -q '^- .src/greet.js:2.: Say "Hi", not "Hello"' "$AGENT_STATE/prompt-${id}-2.md" && sed -i 's/Hello/Hi/' src/greet.js`, commit: 'Say Hi', report: report('success', 'Says Hi, as the review asked.') },
    ] }] });
    const first = baton(p.dir, ['auto', '--no-merge', '--no-review'], { env: p.env });
    expect(first.stdout).toContain('not merged');
    [board, browser] = await Promise.all([startBoard(p.dir, ['--write']), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await board?.stop();
  });

  it('shows the diff per file beside the memory, markup as text; --out has it without script', async () => {
    const page = await browser.newPage();
    await page.goto(`${board.url}${id}.html`);
    const greet = page.locator('details.file[data-path="src/greet.js"]');
    await expect(greet.locator('tr.add').count()).resolves.toBe(3);
    await expect(greet.locator('tr.add[data-line="2"] td.code').textContent()).resolves.toBe('+  return `Hello, ${name}`;');
    // The branch's HTML is shown as text in the diff, never run or parsed as markup.
    const html = page.locator('details.file[data-path="web/index.html"]');
    await expect(html.locator('td.code').allTextContents()).resolves.toContain('+<script>alert("x")</script>');
    await expect(page.locator('main script, main p:has-text("Welcome")').count()).resolves.toBe(0);
    // The memory timeline sits beside the diff.
    await expect(page.locator('.review-grid aside #timeline li.k-result').count()).resolves.toBe(1);
    await page.close();

    const out = tempDir('baton-review-out-');
    ok(p.dir, ['board', '--out', out]);
    const file = readFileSync(join(out, `${id}.html`), 'utf8');
    expect(file).toContain('data-path="src/greet.js"');
    expect(file).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(file).not.toMatch(/<script|<form|<button/);
  });

  it('refuses a review posted from another origin or without the token, changing nothing', async () => {
    const before = snapshotFiles(p.dir);
    const html = await (await fetch(`${board.url}${id}.html`)).text();
    const token = /name="csrf" value="([0-9a-f]+)"/.exec(html)![1]!;
    const body = new URLSearchParams({ csrf: token, action: 'approve' }).toString();
    expect(await post(`${board.url}${id}/review`, body, { origin: 'http://evil.example' })).toBe(403);
    expect(await post(`${board.url}${id}/review`, new URLSearchParams({ action: 'approve' }).toString(), {})).toBe(403);
    expect(snapshotFiles(p.dir)).toEqual(before);
    expect(git(p.dir, ['log', '--merges', '--oneline'])).toBe('');
  });

  it('a line comment plus "Request changes" → auto reruns it with the comment first in its prompt; "Approve" merges it', async () => {
    const page = await browser.newPage();
    await page.goto(`${board.url}${id}.html`);
    const line = page.locator('details.file[data-path="src/greet.js"] tr[data-line="2"]');
    await line.hover();
    await line.locator('button.add-comment').click();
    await page.locator('tr.composer textarea').fill('Say "Hi", not "Hello"');
    await page.locator('tr.composer button.save-comment').click();
    await expect(page.locator('tr.comment.draft').textContent()).resolves.toContain('src/greet.js:2');
    await page.locator('#review-form textarea[name="message"]').fill('Otherwise good.');
    await Promise.all([page.waitForEvent('load'), page.locator('#review-form button.request').click()]);
    await expect(page.locator('#requested').textContent()).resolves.toContain('Changes requested (1 line comment)');
    await expect(page.locator('details.file[data-path="src/greet.js"] tr.comment').textContent()).resolves.toContain('Say "Hi", not "Hello"');
    // `BATON_REVIEW_SCREENSHOT=docs/board-review.png npx vitest run test/board-review.test.ts` refreshes the README picture.
    if (process.env.BATON_REVIEW_SCREENSHOT) {
      await page.locator('#edit').evaluate((e) => e.remove());
      const top = (await page.locator('h1').boundingBox())!;
      const form = (await page.locator('#review-form').boundingBox())!;
      await page.screenshot({ path: process.env.BATON_REVIEW_SCREENSHOT, fullPage: true, clip: { x: 0, y: top.y - 8, width: 1280, height: form.y + form.height - top.y + 16 } });
    }
    expect(read(p.dir, `.agents/memory/${id}.md`)).toContain('Changes requested by a person on the board.\n\n- Otherwise good.\n- `src/greet.js:2`: Say "Hi", not "Hello"');
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');
    // The plan's card says so too.
    expect(await (await fetch(board.url)).text()).toMatch(new RegExp(`id="col-todo">(?:(?!</section>).)*data-id="${id}">(?:(?!</a>).)*<span class="badge requested">changes requested</span>`));

    const rerun = baton(p.dir, ['auto', '--no-merge', '--no-review'], { env: p.env });
    expect(rerun.stdout).toContain('not merged');
    expect(agentEvents(p.state).filter((e) => e.event === 'start').map((e) => e.attempt)).toEqual([1, 2]);
    const prompt = readFileSync(join(p.state, `prompt-${id}-2.md`), 'utf8');
    expect(/^## .*$/m.exec(prompt)?.[0]).toBe('## Review comments to address first');
    expect(prompt).toContain('- `src/greet.js:2`: Say "Hi", not "Hello"');
    expect(git(p.dir, ['show', `${branch()}:src/greet.js`])).toContain('return `Hi, ${name}`');

    await page.reload();
    await expect(page.locator('#requested').count()).resolves.toBe(0);
    await expect(page.locator('details.file[data-path="src/greet.js"] tr.add[data-line="2"] td.code').textContent()).resolves.toContain('Hi, ${name}');
    await Promise.all([page.waitForEvent('load'), page.locator('#review-form button.approve').click()]);
    await expect(page.locator('.facts').textContent()).resolves.toContain('done');
    expect(read(p.dir, 'src/greet.js')).toContain('Hi, ${name}');
    expect(read(p.dir, taskFile(p.dir, id))).toContain('status: done');
    expect(read(p.dir, `.agents/memory/${id}.md`)).toContain('Approved by a person on the board: merged.');
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');
    await page.close();
  });
});
