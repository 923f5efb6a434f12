/**
 * The pid lock of `baton run` and `baton auto`, taken by real processes at once:
 * one holder, never two; a lock whose owner is still writing its pid is not taken over.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, makeRepo } from './helpers/repo.js';

const LOCK_MODULE = pathToFileURL(join(PROJECT_ROOT, 'dist', 'workspace', 'pid-lock.js')).href;

/**
 * A process that prints `trying`, takes the lock `auto` (as `baton auto` does),
 * prints `got <pid>` or `busy <holder pid>`, and holds a lock it got until the
 * file `release` appears in the repository's git dir.
 */
const CONTENDER = `
const { acquirePidLock } = await import(${JSON.stringify(LOCK_MODULE)});
const { existsSync } = await import('node:fs');
const [root, release] = process.argv.slice(1);
console.log('trying');
let free;
try {
  free = acquirePidLock(root, 'auto', (pid) => Object.assign(new Error('busy'), { holder: pid }));
} catch (error) {
  if (error.holder === undefined) throw error;
  console.log('busy ' + error.holder);
  process.exit(0);
}
console.log('got ' + process.pid);
const wait = () => (existsSync(release) ? (free(), process.exit(0)) : setTimeout(wait, 20));
wait();
`;

interface Contender {
  /** Resolves when the process has printed `trying`. */
  trying: Promise<void>;
  /** `got <pid>` or `busy <pid>`. */
  outcome: Promise<string>;
  /** The exit code. */
  done: Promise<number>;
}

function contender(root: string, release: string): Contender {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CONTENDER, root, release], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let onTrying!: () => void;
  let onOutcome!: (line: string) => void;
  let onFail!: (error: Error) => void;
  const trying = new Promise<void>((resolve) => (onTrying = resolve));
  const outcome = new Promise<string>((resolve, reject) => ((onOutcome = resolve), (onFail = reject)));
  child.stdout!.on('data', (d) => {
    out += d;
    const lines = out.split('\n');
    if (lines.includes('trying')) onTrying();
    const hit = lines.find((l) => /^(got|busy) \d+$/.test(l));
    if (hit) onOutcome(hit);
  });
  child.stderr!.on('data', (d) => (err += d));
  const done = new Promise<number>((resolve) => child.on('close', (code) => {
    onFail(new Error(`a contender exited with ${code} and no outcome: ${out} ${err}`)); // no effect once resolved
    onTrying();
    resolve(code ?? 1);
  }));
  return { trying, outcome, done };
}

/** A pid that belongs to no running process: one that just exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}

describe('the pid lock of run and auto', () => {
  it('eight processes at once, over a lock left by a dead process: exactly one holds it, the others name it', async () => {
    const root = makeRepo();
    const lock = join(root, '.git', 'baton', 'auto.pid');
    const release = join(root, '.git', 'baton', 'release');
    mkdirSync(join(root, '.git', 'baton'), { recursive: true });
    writeFileSync(lock, String(deadPid())); // killed without releasing it
    const all = Array.from({ length: 8 }, () => contender(root, release));
    const outcomes = await Promise.all(all.map((c) => c.outcome));
    const winners = outcomes.filter((o) => o.startsWith('got'));
    expect(winners).toHaveLength(1);
    const winner = winners[0]!.split(' ')[1];
    expect(outcomes.filter((o) => o.startsWith('busy')).every((o) => o === `busy ${winner}`)).toBe(true);
    writeFileSync(release, '');
    expect(await Promise.all(all.map((c) => c.done))).toEqual(Array(8).fill(0));
    expect(existsSync(lock)).toBe(false); // released by its holder
  });

  it('a lock file whose owner has created it but not yet written its pid is not taken over', async () => {
    const root = makeRepo();
    mkdirSync(join(root, '.git', 'baton'), { recursive: true });
    const lock = join(root, '.git', 'baton', 'auto.pid');
    writeFileSync(lock, ''); // the owner (this test process) is between create and write
    const c = contender(root, join(root, '.git', 'baton', 'release'));
    await c.trying;
    writeFileSync(lock, String(process.pid)); // the owner writes its pid now
    expect(await c.outcome).toBe(`busy ${process.pid}`);
    expect(await c.done).toBe(0);
    expect(existsSync(lock)).toBe(true); // still ours
  });
});
