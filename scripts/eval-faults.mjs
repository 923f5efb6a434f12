#!/usr/bin/env node
/**
 * `npm run eval:faults`: run the fault suite (test/faults-*.test.ts, real git and
 * the built CLI) through vitest's JSON reporter and print one table, a row per
 * scenario: tests, passed, failed. Exits 1 on any failure, a file that did not
 * load, or a scenario with no tests at all. Nothing is counted that did not run.
 *
 *   node scripts/eval-faults.mjs [vitest args…]   (after `npm run build`)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The scenarios of issue 9, in its order, and the test files that cover each. */
const SCENARIOS = [
  ['storm', ['faults-storm']],
  ['rewrite', ['faults-rewrite']],
  ['merge', ['faults-merge', 'faults-octopus', 'faults-memory-merge', 'faults-cherry-pick']],
  ['coexistence', ['faults-formats', 'faults-worktrees']],
  ['broken environment', ['faults-broken', 'faults-broken-memory']],
  ['fuzz', ['faults-fuzz']],
  ['secret', ['faults-secret', 'faults-secret-shapes']],
  ['concurrency', ['faults-concurrency', 'faults-pid-lock']],
  ['doctor', ['faults-doctor']],
  ['root commit', ['faults-root-commit']],
  ['aborted commit', ['faults-aborted-commit']],
  ['long history', ['faults-history']],
  ['line ends', ['faults-crlf']],
  ['shallow clone', ['faults-shallow']],
  ['global hooksPath', ['faults-global-hooks']],
  ['record forging', ['faults-forge']],
  ['plain merges', ['faults-plain-merge']],
  ['bounded input', ['faults-bounded', 'faults-mcp']],
  ['commit in progress', ['faults-commit-in-progress']],
  ['endpoints', ['faults-endpoints']],
  // Issue 20: agents are untrusted; signals and detached children never leave one running.
  ['untrusted agent', ['faults-agents']],
  ['signals', ['faults-signals']],
];

const files = readdirSync(join(root, 'test')).filter((n) => /^faults-.*\.test\.ts$/.test(n)).sort();
const stem = (name) => basename(name).replace(/\.test\.ts$/, '');
const scenarioOf = (name) => SCENARIOS.find(([, stems]) => stems.includes(stem(name)))?.[0] ?? stem(name);

const out = mkdtempSync(join(tmpdir(), 'baton-eval-faults-'));
const report = join(out, 'report.json');
const run = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...files.map((f) => `test/${f}`), '--reporter=json', `--outputFile=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
);
let json;
try {
  json = JSON.parse(readFileSync(report, 'utf8'));
} catch (error) {
  console.error(`eval:faults: vitest wrote no report (exit ${run.status ?? run.signal}): ${error.message}`);
  process.exit(1);
} finally {
  rmSync(out, { recursive: true, force: true });
}

const rows = new Map(SCENARIOS.map(([name]) => [name, { tests: 0, passed: 0, failed: 0, broken: [] }]));
for (const file of json.testResults ?? []) {
  const name = scenarioOf(file.name);
  if (!rows.has(name)) rows.set(name, { tests: 0, passed: 0, failed: 0, broken: [] });
  const row = rows.get(name);
  const results = file.assertionResults ?? [];
  for (const t of results) {
    if (t.status === 'skipped' || t.status === 'pending' || t.status === 'todo') continue;
    row.tests++;
    if (t.status === 'passed') row.passed++;
    else row.failed++;
  }
  // A file that failed to load, or failed outside any test (a hook), has no test to show it.
  if (file.status === 'failed' && !results.some((t) => t.status === 'failed')) {
    row.tests++;
    row.failed++;
    row.broken.push(`${basename(file.name)}: ${(file.message || 'failed outside a test').split('\n')[0]}`);
  }
}

const header = ['scenario', 'tests', 'passed', 'failed'];
const body = [...rows].map(([name, r]) => [name, String(r.tests), String(r.passed), String(r.failed)]);
const total = [...rows.values()].reduce((a, r) => ({ tests: a.tests + r.tests, passed: a.passed + r.passed, failed: a.failed + r.failed }), { tests: 0, passed: 0, failed: 0 });
body.push(['total', String(total.tests), String(total.passed), String(total.failed)]);
const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log('');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of body.slice(0, -1)) console.log(line(r));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
console.log(line(body.at(-1)));
for (const [, r] of rows) for (const b of r.broken) console.log(`  failed to run: ${b}`);

const empty = [...rows].filter(([, r]) => r.tests === 0).map(([name]) => name);
if (empty.length) console.log(`  no tests ran for: ${empty.join(', ')}`);
process.exit(total.failed || empty.length || run.status !== 0 ? 1 : 0);
