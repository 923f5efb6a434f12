#!/usr/bin/env node
// The merge queue under load (issue 23): a plan of 20 tasks with 6 planted file
// overlaps that no task names (the same function, a rename and a new caller of
// the old name, a lock file, adjacent config keys, the same new file, the
// changelog's top), whose scripted agents sleep, run by `baton auto --parallel N`
// and by N runners sharing a bare remote. For each: the wall time, the retries
// the queue caused, and the invariants: the plan done with nothing left to a
// person, every task merged once, every first-parent merge's checks passing when
// replayed on it. Uses dist/bin.js. `node scripts/bench-queue.mjs [sleep_ms]`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkInvariants, writeOverlapPlan } from './overlap-plan.mjs';
import { BIN, AGENT, ENV } from './bench-env.mjs';

const SOLO = 8;

function run(cmd, args, cwd, env = ENV) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const temp = (p) => realpathSync(mkdtempSync(join(tmpdir(), p)));

/** A project with the scripted agent and the overlap plan, committed. */
function project(sleepMs, extraConfig = '') {
  const dir = temp('baton-bench-queue-');
  run('git', ['init', '-q', '-b', 'main'], dir);
  run(process.execPath, [BIN, 'init', '--no-hooks'], dir);
  const state = temp('baton-bench-queue-agent-');
  const config = join(dir, '.agents', 'config.yaml');
  const text = readFileSync(config, 'utf8').replace('executor: api', 'executor: scripted').replace(/^worktree_dir: .*$/m, 'worktree_dir: ../worktrees');
  writeFileSync(config, `${text}\nexecutors:\n  scripted:\n    command: "node ${AGENT}"\n    timeout_s: 300\n${extraConfig}`);
  run('git', ['add', '-A'], dir);
  run('git', ['commit', '-q', '-m', 'Use the scripted agent'], dir);
  const env = { ...ENV, AGENT_STATE: state, AGENT_SCRIPT: join(state, 'script.json') };
  const plan = writeOverlapPlan(dir, { bin: BIN, solo: SOLO, sleepMs, env });
  writeFileSync(join(state, 'script.json'), JSON.stringify(plan.script));
  const ids = [...plan.pairs.flatMap((p) => p.ids), ...plan.solos];
  return { dir, state, env, ids };
}

function spawnAuto(args, cwd, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'auto', '--no-review', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`baton auto ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

/** Retries the queue caused, as `baton auto`'s summary says. */
function retriesIn(out) {
  return Number(/(\d+) tasks? sent back to (?:its|their) agents?/.exec(out)?.[1] ?? 0);
}

/** Every task merged once (so none was left to a person), each merge's checks pass replayed; `out` must say the plan is done. */
function verdict(repo, ids, outs, done) {
  const inv = checkInvariants(repo, { ids, env: ENV });
  const problems = [...inv.notOnce, ...inv.failed.map((f) => `replayed check failed: ${f}`), ...(done.includes('The plan is done.') ? [] : ['the run did not end with the plan done'])];
  if (problems.length) throw new Error(`merge queue invariants broken:\n  ${problems.join('\n  ')}\n${outs.join('\n---\n')}`);
  return { merges: inv.merges, retries: outs.reduce((n, o) => n + retriesIn(o), 0) };
}

/** `baton auto --parallel N` in one clone. */
export async function benchQueueLocal(parallel, { sleepMs = 3000 } = {}) {
  const p = project(sleepMs);
  const start = process.hrtime.bigint();
  const out = await spawnAuto(['--parallel', String(parallel)], p.dir, p.env);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const v = verdict(p.dir, p.ids, [out], out);
  for (const d of [p.dir, p.state, join(p.dir, '..', 'worktrees')]) rmSync(d, { recursive: true, force: true });
  return { ms, ...v };
}

/** `count` runners (`baton auto --remote origin`), each in its own clone of one bare remote. */
export async function benchQueueRemote(count, { sleepMs = 3000 } = {}) {
  const p = project(sleepMs, 'remote:\n  lease_s: 60\n  poll_s: 0.5\n');
  const remote = join(temp('baton-bench-queue-bare-'), 'shared.git');
  run('git', ['clone', '-q', '--bare', p.dir, remote], p.dir);
  const parents = [];
  const runs = [];
  const start = process.hrtime.bigint();
  for (let n = 1; n <= count; n++) {
    const parent = temp('baton-bench-queue-runner-');
    parents.push(parent);
    mkdirSync(join(parent, 'clone'));
    run('git', ['clone', '-q', remote, join(parent, 'clone')], parent);
    runs.push(spawnAuto(['--remote', 'origin'], join(parent, 'clone'), { ...p.env, BATON_RUNNER: `runner-${n}` }));
  }
  const outs = await Promise.all(runs);
  if (process.env.BENCH_DEBUG) outs.forEach((o, i) => writeFileSync(join(process.env.BENCH_DEBUG, `runner-${i + 1}.txt`), o));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  // Whoever ran a task, the invariants hold on the shared base; the last runner to stop saw the plan done.
  const v = verdict(remote, p.ids, outs, outs.find((o) => o.includes('The plan is done.')) ?? outs.join('\n'));
  for (const d of [...parents, p.dir, p.state, join(remote, '..'), join(p.dir, '..', 'worktrees')]) rmSync(d, { recursive: true, force: true });
  return { ms, ...v };
}

/** The lines `npm run bench` prints. */
export async function benchQueue({ sleepMs = 3000, print = console.log } = {}) {
  const what = `20 tasks, 6 planted overlaps, agents sleep ${sleepMs / 1000} s`;
  const one = await benchQueueLocal(1, { sleepMs });
  print(`queue: ${what}: auto --parallel 1  ${(one.ms / 1000).toFixed(1)} s, ${one.retries} retries caused by the queue`);
  const four = await benchQueueLocal(4, { sleepMs });
  print(`queue: ${what}: auto --parallel 4  ${(four.ms / 1000).toFixed(1)} s, speedup ${(one.ms / four.ms).toFixed(2)}x (target >= 2.5x), ${four.retries} retries caused by the queue`);
  const r1 = await benchQueueRemote(1, { sleepMs });
  print(`queue: ${what}: 1 remote runner   ${(r1.ms / 1000).toFixed(1)} s, ${r1.retries} retries caused by the queue`);
  const r4 = await benchQueueRemote(4, { sleepMs });
  print(`queue: ${what}: 4 remote runners  ${(r4.ms / 1000).toFixed(1)} s, speedup ${(r1.ms / r4.ms).toFixed(2)}x (target >= 2.5x), ${r4.retries} retries caused by the queue`);
  print('queue: every run: 0 conflicts reached a person, each of the 20 tasks merged once, every merge\'s checks pass when replayed on it');
  return { local: one.ms / four.ms, remote: r1.ms / r4.ms };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = process.argv.slice(2).find((a) => /^\d+$/.test(a));
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  const sleepMs = Number(arg ?? 3000);
  if (only === 'local' || only === 'remote') {
    const f = only === 'local' ? benchQueueLocal : benchQueueRemote;
    for (const n of [1, 4]) {
      const r = await f(n, { sleepMs });
      console.log(`${only} ${n}: ${(r.ms / 1000).toFixed(1)} s, ${r.retries} retries, ${r.merges} merges`);
    }
  } else await benchQueue({ sleepMs });
}
