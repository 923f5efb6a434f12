/** The hot commands must not load heavy modules they do not use (openai, remark, the tokenizer). */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, BIN, GIT_ENV, makeProject, PROJECT_ROOT, read, tempDir, write } from './helpers/repo.js';

const REGISTER = join(PROJECT_ROOT, 'test', 'fixtures', 'module-log', 'register.mjs');

function packagesLoaded(cwd: string, args: string[]): Set<string> {
  const log = join(tempDir('baton-modules-'), 'log');
  const r = spawnSync(process.execPath, ['--import', REGISTER, BIN, ...args], {
    cwd, env: { ...process.env, ...GIT_ENV, BATON_MODULE_LOG: log }, encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  const urls = readFileSync(log, 'utf8').split('\n');
  // The tokenizer is bundled into dist/tokenizer/ at build time (scripts/bundle.mjs).
  // yaml too, as one file in dist/vendor/ (src/workspace/yaml.ts).
  return new Set(urls.flatMap((u) => (u.includes('/dist/tokenizer/') ? 'tokenizer' : u.includes('/dist/vendor/yaml') ? 'yaml' : /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)?.[1] ?? [])));
}

const HEAVY = ['openai', 'unified', 'remark-parse', 'micromark', 'gpt-tokenizer', 'tokenizer'];

describe('lazy imports', () => {
  it('status, next, task list and --version load none of openai, remark or the tokenizer, nor yaml when nothing changed', () => {
    const dir = makeProject();
    const a = addTask(dir, 'A');
    addTask(dir, 'B', '-d', a);
    for (const args of [['status'], ['next'], ['task', 'list'], ['--version']]) {
      const loaded = packagesLoaded(dir, args);
      for (const heavy of HEAVY) expect(loaded.has(heavy), `${args.join(' ')} loaded ${heavy}`).toBe(false);
    }
    // Config and front matter come from the stat-keyed caches once a command has read them:
    // the YAML library is loaded only when a file changed. Old mtimes: a file written in the
    // same second as the cache is read again (the racy-git rule), so the test sets them apart.
    const settle = (path: string) => utimesSync(join(dir, path), new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    for (const name of readdirSync(join(dir, '.agents', 'tasks'))) settle(join('.agents', 'tasks', name));
    settle('.agents/config.yaml');
    packagesLoaded(dir, ['task', 'list']); // fills both caches: fields, and bodies
    for (const args of [['status'], ['next'], ['task', 'list']]) expect(packagesLoaded(dir, args).has('yaml'), args.join(' ')).toBe(false);
    write(dir, '.agents/config.yaml', `${read(dir, '.agents/config.yaml')}\n# edited\n`);
    expect(packagesLoaded(dir, ['status']).has('yaml')).toBe(true);
    settle('.agents/config.yaml');
    expect(packagesLoaded(dir, ['status']).has('yaml')).toBe(true);
    expect(packagesLoaded(dir, ['status']).has('yaml')).toBe(false);
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
