/**
 * `baton board` is read-only by default; `--write` changes tasks only through
 * form posts carrying the page's token, with the same checks as `baton task set`
 * and `baton task edit`; it answers only on 127.0.0.1 under its own name.
 */
import { request } from 'node:http';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_BROWSER, launchBrowser, startBoard, type RunningBoard } from './helpers/board.js';
import { addTask, baton, git, makeProject, read, snapshotFiles, taskFile } from './helpers/repo.js';

interface Reply {
  status: number;
  body: string;
  location?: string;
}

function send(url: string, opts: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, location: res.headers.location }));
    });
    req.on('error', reject);
    req.end(opts.body ?? '');
  });
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('baton board: read-only by default, --write with a token', () => {
  let dir: string;
  let a: string;
  let b: string;
  let readOnly: RunningBoard;
  let writable: RunningBoard;

  beforeAll(async () => {
    dir = makeProject();
    a = addTask(dir, 'Schema');
    b = addTask(dir, 'Login', '-d', a);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Plan']);
    [readOnly, writable] = await Promise.all([startBoard(dir), startBoard(dir, ['--write'])]);
  });
  afterAll(async () => {
    await Promise.all([readOnly?.stop(), writable?.stop()]);
  });

  it('the read-only board has no forms and refuses a change, leaving every file as it was', async () => {
    const page = await send(`${readOnly.url}${a}.html`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('<form');
    const before = snapshotFiles(dir);
    const r = await send(`${readOnly.url}${a}/status`, { method: 'POST', body: form({ status: 'done' }) });
    expect(r.status).toBe(403);
    expect(r.body).toContain('baton board --write');
    expect(snapshotFiles(dir)).toEqual(before);
  });

  it('answers only to its own name: a page on another host name (DNS rebinding) gets nothing', async () => {
    const port = new URL(readOnly.url).port;
    const r = await send(readOnly.url, { headers: { host: `evil.example:${port}` } });
    expect(r.status).toBe(403);
    expect(r.body).not.toContain(a);
  });

  it('--write refuses posts without the token or from another origin, and bad input with the CLI\'s message', async () => {
    const before = snapshotFiles(dir);
    const url = `${writable.url}${a}/status`;
    expect((await send(url, { method: 'POST', body: form({ status: 'done' }) })).status).toBe(403);
    expect((await send(url, { method: 'POST', body: form({ status: 'done', csrf: 'guess' }) })).status).toBe(403);
    const token = /name="csrf" value="([0-9a-f]+)"/.exec((await send(`${writable.url}${a}.html`)).body)![1]!;
    const foreign = await send(url, { method: 'POST', body: form({ status: 'done', csrf: token }), headers: { origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    const bad = await send(url, { method: 'POST', body: form({ status: 'finished', csrf: token }) });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('unknown status `finished`');
    // An edit that would make a cycle is refused like `baton task edit`, and the text typed is shown back.
    const text = read(dir, taskFile(dir, a)).replace('depends_on: []', `depends_on: [${b}]`);
    const cycle = await send(`${writable.url}${a}/edit`, { method: 'POST', body: form({ text, csrf: token }) });
    expect(cycle.status).toBe(400);
    expect(cycle.body).toContain('dependency cycle');
    expect(cycle.body).toContain(`depends_on: [${b}]`);
    expect(snapshotFiles(dir)).toEqual(before);
  });

  it('a port in use and --write with --out are refused with a way out', () => {
    const port = new URL(readOnly.url).port;
    const busy = baton(dir, ['board', '--no-open', '--port', port]);
    expect(busy.code).not.toBe(0);
    expect(busy.stderr).toContain(`port ${port} is already in use`);
    expect(busy.stderr).toContain('--port');
    const both = baton(dir, ['board', '--write', '--out', 'site']);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('`--write` needs the live board');
  });

  describe.skipIf(!HAVE_BROWSER)('in a browser', () => {
    let browser: BrowserContext;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('changes a status and edits a task from the page, through the same checks and plan.md table as the CLI', async () => {
      const page = await browser.newPage();
      await page.goto(`${writable.url}${a}.html`);
      await page.locator('select[name="status"]').selectOption('done');
      // The form posts and the page loads anew at the same address: wait for that load, not the address.
      await Promise.all([page.waitForEvent('load'), page.locator('form.inline button').click()]);
      await expect(page.locator('.facts').textContent()).resolves.toContain('done');
      expect(read(dir, taskFile(dir, a))).toContain('status: done');
      // The plan's generated table follows, as with `baton task set`.
      expect(read(dir, '.agents/plan.md')).toMatch(new RegExp(`${a}.*done`));

      await page.goto(`${writable.url}${b}.html`);
      await page.locator('#edit summary').click();
      const area = page.locator('textarea[name="text"]');
      await area.fill((await area.inputValue()).replace('title: Login', 'title: Login with a session cookie'));
      await Promise.all([page.waitForEvent('load'), page.locator('#edit button').click()]);
      await expect(page.locator('h1').textContent()).resolves.toContain('Login with a session cookie');
      expect(read(dir, taskFile(dir, b))).toContain('title: Login with a session cookie');
      // B's dependency is done now: the board shows it ready.
      await page.goto(writable.url);
      await expect(page.locator(`.card.ready[data-id="${b}"]`).count()).resolves.toBe(1);
      await page.close();
    });
  });
});
