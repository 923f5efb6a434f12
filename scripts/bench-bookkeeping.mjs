#!/usr/bin/env node
// Bookkeeping against the work (issue 19, item 7), measured on `npm run demo`'s project once
// `baton auto` has run it: baton's own commits on the base per task and per attempt, and the
// bytes under .agents/ per task, by folder. `node scripts/bench-bookkeeping.mjs` runs the demo
// alone and prints them; `npm run bench` prints them with the rest.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

function bytesUnder(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? bytesUnder(p) : statSync(p).size;
  }
  return total;
}

/** The figures of a repository baton has run a plan in (its base branch checked out). */
export function bookkeepingFigures(repo, env = process.env) {
  const git = (...args) => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' });
  const agents = join(repo, '.agents');
  const tasks = readdirSync(join(agents, 'tasks')).filter((n) => /^T-[0-9a-f]+-.*\.md$/.test(n)).length;
  // Every commit the base holds, by who made it: baton's own (a `Baton-Commit:` trailer), merges, the rest (the work).
  const log = git('log', '--format=%x1e%P%x1f%(trailers:key=Baton-Commit,valueonly,separator=%x20)', 'HEAD').split('\x1e').filter(Boolean);
  const own = {};
  let merges = 0;
  let work = 0;
  for (const rec of log) {
    const [parents, kind] = rec.split('\x1f');
    const k = kind.trim();
    if (k) own[k] = (own[k] ?? 0) + 1;
    else if (parents.trim().split(' ').length > 1) merges++;
    else work++;
  }
  const memory = readdirSync(join(agents, 'memory')).map((n) => readFileSync(join(agents, 'memory', n), 'utf8')).join('\n');
  const attempts = (memory.match(/^## \S+ attempt\b/gm) ?? []).length;
  const batonCommits = Object.values(own).reduce((a, b) => a + b, 0);
  const commitEntriesOfBaton = (memory.match(/^## \S+ commit [0-9a-f]+\n(Start|Log|Done|Check failed|Plan|Review|Config|Memory)\b/gm) ?? []).length;
  const folders = {};
  for (const e of readdirSync(agents, { withFileTypes: true })) folders[e.name] = e.isDirectory() ? bytesUnder(join(agents, e.name)) : statSync(join(agents, e.name)).size;
  const bytes = Object.values(folders).reduce((a, b) => a + b, 0);
  return {
    tasks, attempts, commits: log.length, work, merges, batonCommits, own, commitEntriesOfBaton,
    perTask: batonCommits / tasks, attemptCommits: ((own.start ?? 0) + (own.log ?? 0) + (own.done ?? 0) + (own.check ?? 0) + (own.run ?? 0)) / Math.max(1, attempts),
    bytes, bytesPerTask: bytes / tasks, folders,
  };
}

/** Run the demo (no network, about half a minute) and return its figures; its folder is removed after. */
export function benchBookkeeping(env = process.env) {
  const dir = mkdtempSync(join(tmpdir(), 'baton-bookkeeping-'));
  const out = join(dir, 'repo');
  let repo;
  try {
    const r = spawnSync(process.execPath, [join(HERE, '..', 'demo', 'run.mjs')], { env: { ...env, BATON_DEMO_REPO_FILE: out, NO_COLOR: '1' }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`the demo failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}`);
    repo = readFileSync(out, 'utf8').trim();
    return bookkeepingFigures(repo, { ...env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (repo) rmSync(dirname(repo), { recursive: true, force: true });
  }
}

/** The lines `npm run bench` prints. */
export function bookkeepingLines(f) {
  const kinds = Object.entries(f.own).sort().map(([k, n]) => `${k} ${n}`).join(', ');
  const folders = Object.entries(f.folders).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${(n / f.tasks / 1024).toFixed(1)}`).join(', ');
  return [
    `bookkeeping (the demo: ${f.tasks} tasks, ${f.attempts} attempts): ${f.commits} commits on the base: ${f.work} of the work, ${f.merges} merges, ${f.batonCommits} of baton's own (${kinds})`,
    `bookkeeping: baton's own commits on the base ${f.perTask.toFixed(1)} per task; Start/Log/Check/Done ${f.attemptCommits.toFixed(1)} per attempt (target ≤ 2: one before the work, one after)`,
    `bookkeeping: memory commit entries for baton's own commits ${f.commitEntriesOfBaton} (target 0)`,
    `bookkeeping: .agents/ ${(f.bytesPerTask / 1024).toFixed(1)} KiB per task (KiB per task by folder: ${folders})`,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const line of bookkeepingLines(benchBookkeeping())) console.log(line);
}
