#!/usr/bin/env node
// The hooks' cost per commit: N commits on a task branch with baton's hooks
// installed against the same N commits in a repository with no hooks at all
// (BATON_HOOKS=0 still starts the hook scripts, so it is not the baseline).
// Commits alternate between the two repositories, so machine noise hits both.
// Uses the built CLI (dist/bin.js): run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, ENV as BENCH_ENV } from './bench-env.mjs';

/** Hooks on, whatever the caller's environment says. */
const ENV = { ...BENCH_ENV };
delete ENV.BATON_HOOKS;


function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, env: ENV, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r;
}

/** A repository with `baton init` and one task, on that task's branch. */
function taskRepo(hooks) {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `baton-bench-${hooks ? 'hooks' : 'plain'}-`)));
  run('git', ['init', '-q', '-b', 'main'], dir);
  writeFileSync(join(dir, 'README.md'), '# bench\n');
  run(process.execPath, [BIN, 'init', ...(hooks ? [] : ['--no-hooks'])], dir);
  const id = JSON.parse(run(process.execPath, [BIN, 'task', 'add', 'Bench commits', '--json'], dir).stdout).id;
  run('git', ['add', '-A'], dir);
  run('git', ['commit', '-q', '-m', 'baton init'], dir);
  run('git', ['checkout', '-q', '-b', `task/${id}-bench-commits`], dir);
  return dir;
}

/** Milliseconds for `git commit` of one new file (staged beforehand, outside the timing). */
function timedCommit(dir, i) {
  writeFileSync(join(dir, `file-${i}.txt`), `line ${i}\n`);
  run('git', ['add', `file-${i}.txt`], dir);
  const start = process.hrtime.bigint();
  run('git', ['commit', '-q', '-m', `Commit ${i}`], dir);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function benchHooks({ commits = 200 } = {}) {
  const plain = taskRepo(false);
  const hooked = taskRepo(true);
  let baseline = 0;
  let withHooks = 0;
  try {
    for (let i = 0; i < commits; i++) {
      baseline += timedCommit(plain, i);
      withHooks += timedCommit(hooked, i);
    }
  } finally {
    rmSync(plain, { recursive: true, force: true });
    rmSync(hooked, { recursive: true, force: true });
  }
  const round = (x) => Math.round(x * 100) / 100;
  const baselineMsPerCommit = round(baseline / commits);
  const hooksMsPerCommit = round(withHooks / commits);
  return { baselineMsPerCommit, hooksMsPerCommit, addedMsPerCommit: round(hooksMsPerCommit - baselineMsPerCommit) };
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const commits = Number(process.argv.find((a) => a.startsWith('--commits='))?.split('=')[1] ?? 200);
  const r = await benchHooks({ commits });
  if (process.argv.includes('--json')) console.log(JSON.stringify(r));
  else console.log(`hooks, ${commits} commits: ${r.baselineMsPerCommit} ms/commit without hooks, ${r.hooksMsPerCommit} ms with them: +${r.addedMsPerCommit} ms per commit`);
}
