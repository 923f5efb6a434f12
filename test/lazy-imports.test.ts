/** The hot commands must not load heavy modules they do not use (openai, remark, the tokenizer). */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, BIN, GIT_ENV, makeProject, PROJECT_ROOT, tempDir } from './helpers/repo.js';

const REGISTER = join(PROJECT_ROOT, 'test', 'fixtures', 'module-log', 'register.mjs');

function packagesLoaded(cwd: string, args: string[]): Set<string> {
  const log = join(tempDir('baton-modules-'), 'log');
  const r = spawnSync(process.execPath, ['--import', REGISTER, BIN, ...args], {
    cwd, env: { ...process.env, ...GIT_ENV, BATON_MODULE_LOG: log }, encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  const urls = readFileSync(log, 'utf8').split('\n');
  // The tokenizer is bundled into dist/tokenizer/ at build time (scripts/bundle.mjs).
  return new Set(urls.flatMap((u) => (u.includes('/dist/tokenizer/') ? 'tokenizer' : /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)?.[1] ?? [])));
}

const HEAVY = ['openai', 'unified', 'remark-parse', 'micromark', 'gpt-tokenizer', 'tokenizer'];

describe('lazy imports', () => {
  it('status, next, task list and --version load none of openai, remark or the tokenizer', () => {
    const dir = makeProject();
    const a = addTask(dir, 'A');
    addTask(dir, 'B', '-d', a);
    for (const args of [['status'], ['next'], ['task', 'list'], ['--version']]) {
      const loaded = packagesLoaded(dir, args);
      for (const heavy of HEAVY) expect(loaded.has(heavy), `${args.join(' ')} loaded ${heavy}`).toBe(false);
      // No task branches: nothing to ask git, so simple-git stays unloaded too.
      if (args[0] !== '--version') expect(loaded.has('simple-git'), args.join(' ')).toBe(false);
    }
    expect(packagesLoaded(dir, ['--version']).size).toBe(0);
  });

  it('prompt loads the tokenizer and remark, but not openai', () => {
    const dir = makeProject();
    const a = addTask(dir, 'A');
    const loaded = packagesLoaded(dir, ['prompt', a]);
    expect(loaded.has('tokenizer')).toBe(true);
    expect(loaded.has('openai')).toBe(false);
  });
});
