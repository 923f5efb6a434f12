#!/usr/bin/env node
// Long projects stay fast and small (issue 24): generated histories of 100 and 2,000 tasks, 20 memory
// entries each (an attempt, 17 commits, a result, a decision; 40,000 entries at 2,000 tasks), written by
// scripts/bench-history.mjs's generator. At each size: `baton prompt` of the open task (which depends on
// the first task and the one before it), `baton status`, and `.agents/` bytes per done task, before and
// after `baton memory compact` (tasks done more than 100 tasks ago folded). The prompt's text must be the
// same before and after: compaction loses nothing a prompt needs.
// `node scripts/bench-compact.mjs [--tasks=100,2000] [--runs=5]`; also run by `npm run bench`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateHistory } from './bench-history.mjs';
import { BIN, ENV } from './bench-env.mjs';

const PER_TASK = 17;

function baton(args, cwd) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: ENV, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`baton ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, out: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function bytesUnder(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? bytesUnder(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  return n;
}

/** prompt and status medians, the prompt's text, and `.agents/` bytes per done task. */
function look(dir, id, done, runs) {
  const prompts = [];
  let text = '';
  baton(['prompt', id], dir); // first run fills the caches
  for (let i = 0; i < runs; i++) {
    const r = baton(['prompt', id], dir);
    prompts.push(r.ms);
    text = r.out;
  }
  baton(['status'], dir);
  const status = median(Array.from({ length: runs }, () => baton(['status'], dir).ms));
  return { promptMs: median(prompts), statusMs: status, text, bytesPerTask: bytesUnder(join(dir, '.agents')) / done };
}

export async function benchCompact({ sizes = [100, 2000], runs = 5, scratch = tmpdir(), print = console.log } = {}) {
  const rows = [];
  for (const tasks of sizes) {
    const h = await generateHistory(tasks * (PER_TASK + 3), scratch, PER_TASK, { linked: true });
    try {
      const done = tasks - 1;
      const entries = done * (PER_TASK + 3);
      const before = look(h.dir, h.id, done, runs);
      const compact = baton(['memory', 'compact', '--older-than', '100', '--json'], h.dir);
      const folded = JSON.parse(compact.out).folded.length;
      const after = look(h.dir, h.id, done, runs);
      const row = { tasks, entries, folded, compactMs: compact.ms, before, after, same: before.text === after.text, carries: after.text.includes('DEC-0') };
      rows.push(row);
      const f = (r) => `prompt ${r.promptMs.toFixed(0).padStart(5)} ms, status ${r.statusMs.toFixed(0).padStart(4)} ms, .agents/ ${(r.bytesPerTask / 1024).toFixed(2)} KiB per done task`;
      print(`compact: ${String(tasks).padStart(5)} tasks, ${entries.toLocaleString('en-US')} entries   before: ${f(before)}`);
      print(`compact: ${String(tasks).padStart(5)} tasks, ${folded} folded in ${(compact.ms / 1000).toFixed(1)} s    after:  ${f(after)}; prompt text ${row.same ? 'unchanged' : 'CHANGED'}, first task's decision ${row.carries ? 'carried' : 'LOST'}`);
    } finally {
      rmSync(h.dir, { recursive: true, force: true });
    }
  }
  const small = rows[0];
  const large = rows.at(-1);
  if (small && large && large !== small) {
    const p = large.after.promptMs / small.after.promptMs;
    const s = large.after.statusMs / small.after.statusMs;
    print(`compact: prompt at ${large.tasks} tasks ${p.toFixed(2)}x its time at ${small.tasks} (target < 2x, after compaction; ${(large.before.promptMs / small.before.promptMs).toFixed(2)}x before): ${p < 2 ? 'met' : 'MISSED'}`);
    print(`compact: status at ${large.tasks} tasks ${s.toFixed(2)}x its time at ${small.tasks} (flat: < 1.5x): ${s < 1.5 ? 'met' : 'MISSED'}`);
    print(`compact: nothing a prompt needs lost: ${rows.every((r) => r.same && r.carries) ? 'met' : 'MISSED'}`);
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const scratch = mkdtempSync(join(tmpdir(), 'baton-bench-compact-'));
  benchCompact({ sizes: arg('tasks')?.split(',').map(Number) ?? [100, 2000], runs: Number(arg('runs') ?? 5), scratch })
    .catch((e) => {
      console.error(e.message);
      process.exitCode = 1;
    })
    .finally(() => rmSync(scratch, { recursive: true, force: true }));
}
