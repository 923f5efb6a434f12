#!/usr/bin/env node
// Runners sharing one plan through a git remote: the wall time of a 12-task
// plan (four chains of three) whose agents sleep, run by 1, 2 and 4 runners,
// each `baton auto --remote origin` in its own clone of one bare repository.
// The agent is the scripted one (demo/agent.mjs). Uses dist/bin.js.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, AGENT, ENV } from './bench-env.mjs';


function run(cmd, args, cwd, env = ENV) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const temp = (p) => realpathSync(mkdtempSync(join(tmpdir(), p)));

/** A bare remote holding a plan of four chains of three tasks; the agent sleeps `sleepMs` on each. */
function sharedPlan(sleepMs) {
  const seed = temp('baton-bench-remote-');
  run('git', ['init', '-q', '-b', 'main'], seed);
  run(process.execPath, [BIN, 'init', '--no-hooks'], seed);
  const state = temp('baton-bench-agent-');
  const config = join(seed, '.agents', 'config.yaml');
  writeFileSync(config, `${readFileSync(config, 'utf8')}\nexecutors:\n  scripted:\n    command: "node ${AGENT}"\n    timeout_s: 120\nremote:\n  lease_s: 30\n  poll_s: 0.5\n`);
  writeFileSync(config, readFileSync(config, 'utf8').replace('executor: api', 'executor: scripted').replace(/^worktree_dir: .*$/m, 'worktree_dir: ../worktrees'));
  const tasks = [];
  for (let chain = 0; chain < 4; chain++) {
    let prev;
    for (let step = 0; step < 3; step++) {
      const name = `c${chain}s${step}`;
      const args = ['task', 'add', `Step ${step} of chain ${chain}`, '--json', '--check', `test -f out/${name}.txt`, ...(prev ? ['--depends-on', prev] : [])];
      const id = JSON.parse(run(process.execPath, [BIN, ...args], seed)).id;
      tasks.push({ match: id, attempts: [{ sleep_ms: sleepMs, write: { [`out/${name}.txt`]: `${name}\n` }, commit: `Add ${name}`, report: '## Outcome\nsuccess\n\n## Summary\nDone.\n' }] });
      prev = id;
    }
  }
  writeFileSync(join(state, 'script.json'), JSON.stringify({ tasks }));
  run('git', ['add', '-A'], seed);
  run('git', ['commit', '-q', '-m', 'plan'], seed);
  const remote = join(temp('baton-bench-bare-'), 'shared.git');
  run('git', ['clone', '-q', '--bare', seed, remote], seed);
  rmSync(seed, { recursive: true, force: true });
  return { remote, state, env: { ...ENV, AGENT_STATE: state, AGENT_SCRIPT: join(state, 'script.json') } };
}

function runner(remote, n, env) {
  const parent = temp('baton-bench-runner-');
  const dir = join(parent, 'clone');
  mkdirSync(parent, { recursive: true });
  run('git', ['clone', '-q', remote, dir], parent);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'auto', '--remote', 'origin', '--no-review'], { cwd: dir, env: { ...env, BATON_RUNNER: `runner-${n}` }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on("close", (code) => { if (process.env.BENCH_DEBUG) console.error(`--- runner ${n}\n${out}`); code === 0 ? resolve(parent) : reject(new Error(`runner ${n} exited ${code}:\n${out}`)); });
  });
}

/** Wall time (ms) for `count` runners to finish the plan; checks every task is merged once. */
export async function benchRunners(count, { sleepMs = 3000 } = {}) {
  const { remote, state, env } = sharedPlan(sleepMs);
  const start = process.hrtime.bigint();
  const parents = await Promise.all(Array.from({ length: count }, (_, i) => runner(remote, i + 1, env)));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const merges = run('git', ['log', '--merges', '--format=%s', 'main'], remote).split('\n').filter((l) => l.startsWith('Merge task/'));
  if (merges.length !== 12) throw new Error(`expected 12 merges on main, found ${merges.length}`);
  for (const p of [...parents, state, dirname(remote)]) rmSync(p, { recursive: true, force: true });
  return ms;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sleepMs = Number(process.argv[2] ?? 3000);
  const one = await benchRunners(1, { sleepMs });
  console.log(`1 runner: ${(one / 1000).toFixed(1)} s`);
  for (const n of [2, 4]) {
    const ms = await benchRunners(n, { sleepMs });
    console.log(`${n} runners: ${(ms / 1000).toFixed(1)} s (${(one / ms).toFixed(2)}x)`);
  }
}
