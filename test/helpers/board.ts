/**
 * `baton board` as a subprocess and a headless Chromium driven by playwright-core.
 * The browser is Debian's `chromium` package (CI installs it); where it is missing
 * the browser tests are skipped with a message saying so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { BIN, GIT_ENV, tempDir } from './repo.js';

export const CHROMIUM = process.env.BATON_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_BROWSER = existsSync(CHROMIUM);
export const NO_BROWSER_MESSAGE = `skipped: no Chromium at ${CHROMIUM} (install it with \`apt-get install -y chromium\`, or set BATON_CHROMIUM)`;

export async function launchBrowser(): Promise<BrowserContext> {
  const { chromium } = await import('playwright-core');
  // A fresh profile each run; playwright takes --user-data-dir as this argument.
  const profile = tempDir('baton-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Best effort: Chromium's helpers may still be writing into the profile as it closes.
  context.once('close', () => {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch {
      /* left in the temp folder, like the test repositories */
    }
  });
  return context;
}

export interface RunningBoard {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Start `baton board --no-open …` and wait for the URL it prints. */
export function startBoard(cwd: string, args: string[] = []): Promise<RunningBoard> {
  const child = spawn(process.execPath, [BIN, 'board', '--no-open', ...args], { cwd, env: { ...process.env, ...GIT_ENV } });
  let out = '';
  let errText = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => (errText += d));
    child.stdout.on('data', (d) => {
      out += d;
      const url = /http:\/\/\S+\//.exec(out)?.[0];
      if (url) {
        child.stdout.removeAllListeners('data');
        resolve({
          url,
          child,
          stop: () => new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`baton board exited ${code} before printing its URL\n${errText}${out}`)));
  });
}

export function shotPath(dir: string, name: string): string {
  return join(dir, `${name}.png`);
}
