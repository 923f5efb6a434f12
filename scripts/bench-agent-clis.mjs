#!/usr/bin/env node
// baton's own overhead per task with each real agent CLI (issue 22): the wall time of `baton run`
// minus the CLI process's own wall time, the CLI driven through a one-file edit by the scripted
// model server (test/fixtures/model-server.mjs), offline. A CLI not in the cache
// (scripts/install-agent-clis.mjs) is skipped with a line saying so.
//
// The CLI's own time is taken by a wrapper put first on PATH under the CLI's name: it notes the
// time, runs the real CLI, and notes the time again; everything else (sh, git, the hooks, the
// checks, the memory) is baton's.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SERVER = join(ROOT, 'test', 'fixtures', 'model-server.mjs');
const REPORT = '## Outcome\nsuccess\n\n## Summary\nWrote the file.';

function cacheDir(env) {
  return env.BATON_AGENT_CLIS_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'baton-agent-clis');
}

/**
 * For each tested preset: `runs` tasks, each by `baton run`, its wall time and the CLI's. Lines
 * through `print`; returns `{ name: overheadMs }` (the median) for those that ran.
 */
export async function benchAgentClis({ bin, env, runs, scratch, print }) {
  const { PRESETS } = await import(join(ROOT, 'dist', 'agents', 'executors', 'presets.js'));
  const { CLI_ENV, CLI_HOME, CLI_MODEL } = await import(join(ROOT, 'test', 'fixtures', 'agent-cli-env.mjs'));
  const netns = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8' }).status === 0;
  const found = {};
  for (const [name, preset] of Object.entries(PRESETS)) {
    if (!preset.package || !preset.tested.length || !CLI_ENV[name]) continue;
    const binDir = join(cacheDir(env), `${preset.package.replace('/', '+')}@${preset.tested[0]}`, 'node_modules', '.bin');
    const real = join(binDir, preset.command.split(' ')[0]);
    if (!existsSync(real)) {
      print(`agent CLI ${name}: not installed in ${cacheDir(env)} (node scripts/install-agent-clis.mjs); skipped`);
      continue;
    }
    try {
      const r = runOne({ name, real, bin, env: { ...env, ...CLI_ENV[name] }, home: CLI_HOME[name] ?? {}, model: CLI_MODEL[name], runs, scratch, netns });
      found[name] = r.overhead;
      print(`agent CLI ${name} ${preset.tested[0]}: baton run ${fmt(r.run)}, the CLI itself ${fmt(r.cli)}, baton's overhead ${fmt(r.overhead)} per task (median of ${runs})`);
    } catch (error) {
      // One CLI that cannot do the edit here says so; the others are still measured.
      print(`agent CLI ${name} ${preset.tested[0]}: not measured: ${String(error.message).split('\n').slice(0, 3).join(' ')}`);
    }
  }
  return found;
}

function runOne({ name, real, bin, env, home, model, runs, scratch, netns }) {
  const root = mkdtempSync(join(scratch, `agent-${name}-`));
  const dir = join(root, 'repo');
  const shims = join(root, 'bin');
  const times = join(root, 'cli-times');
  const homeDir = join(root, 'home');
  mkdirSync(shims, { recursive: true });
  for (const [path, text] of Object.entries(home)) {
    mkdirSync(dirname(join(homeDir, path)), { recursive: true });
    writeFileSync(join(homeDir, path), text);
  }
  // The wrapper: its own cost (a shell and two `date`s) counts against the CLI, not baton.
  writeFileSync(join(shims, name), `#!/bin/sh\nstart=$(date +%s%N)\n${JSON.stringify(real)} "$@"\nrc=$?\necho "$start $(date +%s%N)" >> ${JSON.stringify(times)}\nexit $rc\n`);
  chmodSync(join(shims, name), 0o755);
  const runEnv = { ...env, HOME: homeDir, PATH: `${shims}:${env.PATH}`, MODEL_FINAL_TEXT: REPORT };
  const baton = (...args) => {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, env: runEnv, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`baton ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  mkdirSync(dir);
  spawnSync('git', ['init', '-q', '-b', 'main'], { cwd: dir, env: runEnv });
  baton('init');
  const config = join(dir, '.agents', 'config.yaml');
  const text = readFileSync(config, 'utf8').replace('executor: api', `executor: ${name}`);
  writeFileSync(config, model ? text.replace(/^( {2}implementer:\n {4}model: ).*$/m, `$1${model}`) : text);
  const ids = [];
  for (let i = 0; i < runs; i++) ids.push(JSON.parse(baton('task', 'add', `Create the file f${i}.txt`, '--check', `grep -q hello f${i}.txt`, '--json')).id);
  spawnSync('git', ['add', '-A'], { cwd: dir, env: runEnv });
  spawnSync('git', ['commit', '-q', '-m', 'plan'], { cwd: dir, env: runEnv });
  // One server for all the runs, in one network namespace: each `baton run` timed inside it.
  const inner = [process.execPath, SERVER, '--', process.execPath, fileURLToPath(import.meta.url), '--time-runs', bin, ...ids];
  const argv = netns ? ['unshare', '-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...inner] : inner;
  const r = spawnSync(argv[0], argv.slice(1), { cwd: dir, env: runEnv, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`agent CLI ${name}: a run failed: ${r.stdout}${r.stderr}`);
  const runMs = JSON.parse(r.stdout.trim().split('\n').at(-1));
  const cliMs = readFileSync(times, 'utf8').trim().split('\n').map((l) => {
    const [a, b] = l.split(' ').map(Number);
    return (b - a) / 1e6;
  });
  if (cliMs.length !== runMs.length) throw new Error(`agent CLI ${name}: ${runMs.length} runs, ${cliMs.length} CLI timings`);
  const overhead = runMs.map((ms, i) => ms - cliMs[i]);
  return { run: median(runMs), cli: median(cliMs), overhead: median(overhead) };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const fmt = (ms) => `${ms.toFixed(0)} ms`;

// Inside the server's namespace: `baton run` each task in turn, their wall times as JSON.
if (process.argv[2] === '--time-runs') {
  const [bin, ...ids] = process.argv.slice(3);
  const out = [];
  for (const id of ids) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, 'run', id], { encoding: 'utf8' });
    out.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (r.status !== 0) {
      console.error(`baton run ${id} exited ${r.status}: ${r.stdout}${r.stderr}`);
      process.exit(1);
    }
  }
  console.log(JSON.stringify(out));
}
