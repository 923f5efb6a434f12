#!/usr/bin/env node
// Long histories: `baton doctor` and `baton done --merge` in a project with 200, 3,000 and
// 10,000 commits since `baton init`. The history is written by `git fast-import` (seconds,
// not the minutes 10,000 `git commit`s take) as the hooks would have left it: tasks planned
// on main, COMMITS_PER_TASK commits each on their branches, each commit's entry written into the task's
// memory by the next commit (with its real SHA, asked of fast-import with `get-mark`), a
// result entry and `status: done` in the last one, then a merge into main. The last task
// is left on its branch, unmerged: `done --merge` closes it.
// `node scripts/bench-history.mjs [--sizes=200,3000] [--runs=3]`; also run by `npm run bench`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, ENV } from './bench-env.mjs';

const COMMITS_PER_TASK = 20;

function run(cmd, args, cwd, ok = [0]) {
  const r = spawnSync(cmd, args, { cwd, env: ENV, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (!ok.includes(r.status)) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.error}`);
  return r;
}

/** fast-import as a conversation: commands in, `get-mark` answers (one SHA a line) out. */
function fastImport(dir) {
  const child = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, env: ENV, stdio: ['pipe', 'pipe', 'inherit'] });
  let buffered = '';
  const waiting = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d) => {
    buffered += d;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0 && waiting.length) {
      waiting.shift()(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
  });
  const write = (s) => new Promise((resolve) => (child.stdin.write(s) ? resolve() : child.stdin.once('drain', resolve)));
  return {
    write,
    async mark(n) {
      const answer = new Promise((resolve) => waiting.push(resolve));
      await write(`get-mark :${n}\n`);
      return answer;
    },
    async end() {
      await write('done\n');
      child.stdin.end();
      const code = await new Promise((resolve) => child.on('close', resolve));
      if (code !== 0) throw new Error(`git fast-import exited ${code}`);
    },
  };
}

const data = (s) => `data ${Buffer.byteLength(s)}\n${s}`;
const iso = (t) => new Date(t * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A project with `commits` commits since `baton init`; returns the folder, the open task's id, and main's and the branch's tips. */
/**
 * `extra.linked`: each task depends on the one before it, and logs a decision with its result
 * (`DEC-<n>`); the open task also depends on the first, so its prompt carries the first task's decision.
 */
export async function generateHistory(commits, scratch = tmpdir(), perTask = COMMITS_PER_TASK, extra = {}) {
  const dir = realpathSync(mkdtempSync(join(scratch, `history-${commits}-`)));
  run('git', ['init', '-q', '-b', 'main'], dir);
  writeFileSync(join(dir, 'README.md'), '# bench\n');
  run(process.execPath, [BIN, 'init', '--no-hooks'], dir);
  run('git', ['add', '-A'], dir);
  run('git', ['commit', '-q', '-m', 'baton init'], dir);
  const fi = fastImport(dir);
  let mark = 0;
  let clock = 1_780_000_000;
  let mainTip = 'refs/heads/main^0';
  let made = 0;
  let openId = '';
  let openBranch = '';
  for (let t = 0; made < commits; t++) {
    const id = `T-${(0x10000 + t).toString(16)}`;
    const branch = `task/${id}-work-${t}`;
    const last = made + perTask + 3 >= commits;
    const taskPath = `.agents/tasks/${id}-work-${t}.md`;
    const deps = !extra.linked || t === 0 ? [] : [...new Set([...(last ? ['T-10000'] : []), `T-${(0x10000 + t - 1).toString(16)}`])];
    const taskText = (status) => `---\nid: ${id}\ntitle: Work ${t}\nstatus: ${status}\ndepends_on: [${deps.join(', ')}]\nphase: Bench\ncreated: ${iso(clock)}\n${status === 'todo' ? '' : `branch: ${branch}\n`}---\n## Context\n\nGenerated task ${t}.\n\n## Requirements\n\n- Do ${t}.\n\n## Success criteria\n\n- [ ] ${t} works\n`;
    let memory = `# Memory: ${id}\n\nAppend-only log of attempts, commits, results, bugs and decisions for this task.\n\n## ${iso(clock)} attempt\nAttempt 1 on branch \`${branch}\`.\n`;
    // The task is planned on main first (as `baton task add` would), then worked on its branch.
    clock += 60;
    mark++;
    await fi.write(`commit refs/heads/main\nmark :${mark}\ncommitter bench <b@example.com> ${clock} +0000\n${data(`Plan ${id}: Work ${t}\n`)}from ${mainTip}\nM 100644 inline ${taskPath}\n${data(taskText('todo'))}`);
    mainTip = `:${mark}`;
    made++;
    let prev = mainTip;
    let pending = '';
    const n = last ? Math.max(1, commits - made) : perTask;
    for (let i = 0; i < n; i++) {
      clock += 60;
      mark++;
      const file = `src/${id}.ts`;
      const subject = i === 0 ? `Start ${id}: Work ${t}` : `Work ${t}: step ${i}`;
      if (pending) memory += `\n${pending}`;
      const msg = `${subject}\n\nTask: ${id}\n`;
      let cmd = `commit refs/heads/${branch}\nmark :${mark}\ncommitter bench <b@example.com> ${clock} +0000\n${data(msg)}from ${prev}\n`;
      cmd += `M 100644 inline .agents/memory/${id}.md\n${data(memory)}`;
      cmd += `M 100644 inline ${file}\n${data(`export const step = ${i};\n`)}`;
      if (i === 0) cmd += `M 100644 inline ${taskPath}\n${data(taskText('in-progress'))}`;
      await fi.write(cmd);
      const sha = await fi.mark(mark);
      pending = `## ${iso(clock)} commit ${sha.slice(0, 12)}\n${subject}\n\n- ${file} +1 -${i === 0 ? 0 : 1}\n`;
      prev = `:${mark}`;
      made++;
    }
    if (last) {
      openId = id;
      openBranch = branch;
      break;
    }
    // The closing commit: the last entry, a result, status done; then the merge into main.
    clock += 60;
    mark++;
    memory += `\n${pending}\n## ${iso(clock)} result success\nWork ${t} done.\n`;
    if (extra.linked) memory += `\n## ${iso(clock)} decision\nWork ${t} keeps its state in \`src/${id}.ts\` (DEC-${t}).\n`;
    await fi.write(`commit refs/heads/${branch}\nmark :${mark}\ncommitter bench <b@example.com> ${clock} +0000\n${data(`Done ${id}: Work ${t}\n\nTask: ${id}\n`)}from ${prev}\nM 100644 inline .agents/memory/${id}.md\n${data(memory)}M 100644 inline ${taskPath}\n${data(taskText('done'))}`);
    const closed = mark;
    clock += 60;
    mark++;
    await fi.write(`commit refs/heads/main\nmark :${mark}\ncommitter bench <b@example.com> ${clock} +0000\n${data(`Merge ${branch}: Work ${t}\n\nTask: ${id}\n`)}from ${mainTip}\nmerge :${closed}\nM 100644 inline .agents/memory/${id}.md\n${data(memory)}M 100644 inline ${taskPath}\n${data(taskText('done'))}M 100644 inline src/${id}.ts\n${data(`export const step = ${n - 1};\n`)}`);
    mainTip = `:${mark}`;
    made += 2;
  }
  await fi.end();
  run('git', ['reset', '-q', '--hard', 'main'], dir);
  const tips = { main: run('git', ['rev-parse', 'main'], dir).stdout.trim(), branch: run('git', ['rev-parse', openBranch], dir).stdout.trim() };
  return { dir, id: openId, branch: openBranch, tips };
}

function timed(args, cwd, ok = [0]) {
  const start = process.hrtime.bigint();
  const r = run(process.execPath, [BIN, ...args], cwd, ok);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, r };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** doctor and done --merge at each size: median milliseconds, and per commit. */
export async function benchHistory({ sizes = [200, 3000, 10000], runs = 3, scratch = tmpdir(), print = console.log } = {}) {
  const rows = [];
  for (const commits of sizes) {
    const genStart = Date.now();
    const h = await generateHistory(commits, scratch);
    const genMs = Date.now() - genStart;
    try {
      // doctor warns (exit 1) about what a generated history lacks (no hooks' queue): its time is what counts.
      const doctor = median(Array.from({ length: runs }, () => timed(['doctor'], h.dir, [0, 1]).ms));
      const done = [];
      for (let i = 0; i < runs; i++) {
        done.push(timed(['done', h.id, '--merge', '--skip-checks'], h.dir).ms);
        run('git', ['reset', '-q', '--hard', h.tips.main], h.dir);
        run('git', ['branch', '-f', h.branch, h.tips.branch], h.dir);
      }
      const row = { commits, genMs, doctorMs: doctor, doneMs: median(done) };
      rows.push(row);
      print(`history: ${String(commits).padStart(6)} commits (generated in ${(genMs / 1000).toFixed(1)} s)   doctor ${row.doctorMs.toFixed(0).padStart(6)} ms (${(row.doctorMs / commits).toFixed(2)} ms/commit)   done --merge ${row.doneMs.toFixed(0).padStart(6)} ms (${(row.doneMs / commits).toFixed(2)} ms/commit)`);
    } finally {
      rmSync(h.dir, { recursive: true, force: true });
    }
  }
  const first = rows[0];
  const lastRow = rows[rows.length - 1];
  if (first && lastRow && lastRow !== first) {
    for (const key of ['doctorMs', 'doneMs']) {
      const ratio = lastRow[key] / lastRow.commits / (first[key] / first.commits);
      const name = key === 'doctorMs' ? 'doctor' : 'done --merge';
      print(`history: ${name} at ${lastRow.commits} commits ${(lastRow[key] / 1000).toFixed(1)} s (target < 5 s), per commit ${ratio.toFixed(2)}x what it is at ${first.commits} (target <= 2x): ${lastRow[key] < 5000 && ratio <= 2 ? 'met' : 'MISSED'}`);
    }
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const sizes = arg('sizes')?.split(',').map(Number) ?? [200, 3000, 10000];
  const scratch = mkdtempSync(join(tmpdir(), 'baton-bench-history-'));
  benchHistory({ sizes, runs: Number(arg('runs') ?? 3), scratch })
    .catch((e) => {
      console.error(e.message);
      process.exitCode = 1;
    })
    .finally(() => rmSync(scratch, { recursive: true, force: true }));
}
