#!/usr/bin/env node
/**
 * Context-recall benchmark for `baton prompt` (`npm run eval:context`, after `npm run build`).
 *
 * Builds a scripted project in a temp folder with baton's own commands and git
 * (14 tasks: chains, a diamond, a task that shares a file with another, a
 * failed attempt, a review with plan changes, decisions, a reopen and a
 * follow-up, unrelated tasks), with planted facts. Every fact is labelled up
 * front, in FACTS below, before any prompt is looked at: a must-have for some
 * tasks, a distractor for others (unlabelled pairs are not counted). Then it
 * asks for each target task's prompt at 1k, 2k, 4k and 8k tokens and prints
 * recall, distractor rate, tokens against budget and determinism.
 *
 *   node scripts/eval-context.mjs [--verbose] [--keep] [--reuse DIR]
 *
 * --keep leaves the project in place; --reuse DIR measures a kept one again
 * without building it (for working on the prompt).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');
const VERBOSE = process.argv.includes('--verbose');
const KEEP = process.argv.includes('--keep');
const REUSE = process.argv.includes('--reuse') ? process.argv[process.argv.indexOf('--reuse') + 1] : undefined;
const BUDGETS = [1000, 2000, 4000, 8000];
const TARGETS = ['C', 'E', 'G', 'H', 'I', 'J', 'N'];
const ALL = TARGETS;
const but = (...keys) => ALL.filter((k) => !keys.includes(k));

// ---- The labels, declared before anything is built or measured. ----
// code: the unique word planted; must: target tasks whose prompt must carry it; distractor: tasks whose prompt must not.
const FACTS = [
  { code: 'GOAL-ORCHID', where: 'plan Goal', must: ALL, distractor: [] },
  { code: 'CONS-BASALT', where: 'plan Constraints', must: ALL, distractor: [] },
  { code: 'CONV-TULIP', where: 'plan ## Conventions (user prose)', must: ALL, distractor: [] },
  { code: 'PH-UI-MAPLE', where: 'plan Phases, UI line', must: ['C', 'E', 'I'], distractor: ['G', 'H', 'J', 'N'] },
  { code: 'PH-AUTH-CEDAR', where: 'plan Phases, Auth line', must: ['G'], distractor: but('G') },
  { code: 'SIG-COBALT', where: 'A result (grand-parent interface)', must: ['C', 'E', 'H', 'I', 'J'], distractor: ['G', 'N'] },
  { code: 'CENTS-QUARTZ', where: 'A decision', must: ['C', 'E', 'H', 'I', 'J'], distractor: ['G', 'N'] },
  { code: 'CUR-JADE', where: 'B result', must: ['C', 'E', 'I'], distractor: ['G', 'N'] },
  { code: 'PRICE-AMBER', where: 'C result', must: ['E', 'I'], distractor: ['G', 'N'] },
  { code: 'D-FAIL-OPAL', where: 'D first result (superseded by its success)', must: [], distractor: ['E', 'H', 'J', 'G', 'N'] },
  { code: 'TAX-GARNET', where: 'D result', must: ['E', 'H', 'J'], distractor: ['G', 'N'] },
  { code: 'BANKER-TEAL', where: 'D bug (J follows D)', must: ['J'], distractor: ['C', 'G', 'N'] },
  { code: 'SESS-ONYX', where: 'F result', must: ['G'], distractor: ['C', 'E', 'N'] },
  { code: 'CACHE-TOPAZ', where: 'L bug; L\'s commits touched src/checkout.ts, the bug does not name it', must: ['E'], distractor: ['C', 'G', 'N'] },
  { code: 'SMTP-IRIS', where: 'M decision (unrelated task)', must: [], distractor: ALL },
  { code: 'MAIL-LILAC', where: 'M note (unrelated task)', must: [], distractor: ALL },
  { code: 'TRIGRAM-SAGE', where: 'K result (unrelated task)', must: [], distractor: ALL },
  { code: 'PDF-FAIL-SLATE', where: 'H failed result', must: ['H'], distractor: but('H') },
  { code: 'EMPTY-LINE-CORAL', where: 'H bug in the failed attempt', must: ['H'], distractor: but('H') },
  { code: 'NOCACHE-PEARL', where: 'review decision naming E', must: ['E'], distractor: but('E') },
  { code: 'LOG-MINT', where: 'review decision, project-wide', must: ALL, distractor: [] },
  { code: 'ROTATE-PLUM', where: 'review decision naming src/auth/session.ts (a G file)', must: ['G'], distractor: ['C', 'E', 'N'] },
  { code: 'FLOAT-LIFT-AZURE', where: 'review plan change, project-wide', must: ALL, distractor: [] },
  { code: 'INTL-CORAL', where: 'review plan change naming src/price.tsx (C\'s file)', must: ['C'], distractor: ['G', 'J', 'N'] },
  { code: 'FOLLOW-VIOLET', where: 'review follow-up reason for J', must: ['J'], distractor: but('J') },
  { code: 'REOPEN-OCHRE', where: 'review reopen reason for I', must: ['I'], distractor: but('I') },
];
// A direct dependency's result, by target: must be kept at every budget.
const DEP_RESULTS = { C: ['CUR-JADE'], E: ['PRICE-AMBER', 'TAX-GARNET'], H: ['TAX-GARNET'], I: ['PRICE-AMBER'], J: ['TAX-GARNET'], G: ['SESS-ONYX'], N: [] };

const filler = (topic, i) => `${topic} detail ${i}: kept the function small, added a unit test for the edge case, and left the public signature unchanged so callers need no edit.`;

// ---- The scenario. ----
const PLAN = `# Plan

## Goal

A small web shop that sells prints; prices shown in the buyer's currency (GOAL-ORCHID).

## Constraints

- Money is never a float anywhere in the code base (CONS-BASALT).
- Node 20, TypeScript strict, no new runtime dependencies without a review.

## Architecture

- \`src/\` holds one module per concern; UI components in \`.tsx\` files.
- Pure functions for money and tax; I/O only at the edges.

## Conventions

- Every exported function has a JSDoc line and a unit test beside it (CONV-TULIP).

## Phases

1. Core: money, currencies, tax.
2. UI: price display, checkout and reports (PH-UI-MAPLE).
3. Auth: login and logout (PH-AUTH-CEDAR).
4. Billing: invoices.
5. Ops: search, mail, docs.

## Tasks

<!-- baton:tasks:begin (generated by baton: edits inside are replaced) -->
<!-- baton:tasks:end -->
`;

const ENV = {
  ...process.env, GIT_AUTHOR_NAME: 'Eval', GIT_AUTHOR_EMAIL: 'eval@example.com', GIT_COMMITTER_NAME: 'Eval',
  GIT_COMMITTER_EMAIL: 'eval@example.com', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', NO_COLOR: '1',
};
const dir = REUSE ? realpathSync(REUSE) : realpathSync(mkdtempSync(join(tmpdir(), 'baton-eval-')));
const sh = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: dir, env: ENV, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
};
const git = (...args) => sh('git', args);
const baton = (...args) => sh(process.execPath, [BIN, ...args]);
const put = (path, text) => { mkdirSync(dirname(join(dir, path)), { recursive: true }); writeFileSync(join(dir, path), text); };
const ids = {};

function build() {
git('init', '-q', '-b', 'main');
  put('README.md', '# shop\n');
  git('add', '-A'); git('commit', '-qm', 'Initial commit');
  baton('init');
  put('.agents/plan.md', PLAN);
  git('add', '-A'); git('commit', '-qm', 'baton init and plan');
  
  const add = (key, title, opts = {}) => {
    const args = ['task', 'add', title, '--json', '--phase', opts.phase ?? 'Core', '--context', opts.context ?? `${title} for the shop.`];
    for (const d of opts.deps ?? []) args.push('-d', ids[d]);
    for (const f of opts.files ?? []) args.push('--file', f);
    for (const r of opts.reqs ?? ['Implement it with tests.']) args.push('--requirement', r);
    ids[key] = JSON.parse(baton(...args)).id;
  };
  add('A', 'Money type', { files: ['src/money.ts'] });
  add('B', 'Currency table', { deps: ['A'], files: ['src/currency.ts'] });
  add('C', 'Price display', { deps: ['B'], phase: 'UI', files: ['src/price.tsx'], reqs: ['Show a price tag in the buyer\'s currency.'] });
  add('D', 'Tax rules', { deps: ['A'], files: ['src/tax.ts'] });
  add('E', 'Checkout total', { deps: ['C', 'D'], phase: 'UI', files: ['src/checkout.ts'], reqs: ['Sum the cart with tax and show it.'] });
  add('F', 'Auth login', { phase: 'Auth', files: ['src/auth/login.ts', 'src/auth/session.ts'] });
  add('G', 'Auth logout', { deps: ['F'], phase: 'Auth', files: ['src/auth/logout.ts', 'src/auth/session.ts'] });
  add('H', 'Invoice PDF', { deps: ['D'], phase: 'Billing', files: ['src/invoice.ts'] });
  add('I', 'Reports page', { deps: ['C'], phase: 'UI', files: ['src/reports.tsx'] });
  add('K', 'Search index', { phase: 'Ops', files: ['src/search.ts'] });
  add('L', 'Cart cache', { phase: 'Ops', files: ['src/cart-cache.ts'] });
  add('M', 'Email notifications', { phase: 'Ops', files: ['src/mail.ts'] });
  add('N', 'Docs site', { phase: 'Ops', files: ['docs/index.md'] });
  git('add', '-A'); git('commit', '-qm', 'Plan the shop');
  
  const commitFiles = (files) => {
    for (const [path, text] of Object.entries(files)) {
      put(path, text);
      git('add', path);
      git('commit', '-qm', `Add ${path}`);
    }
  };
  const logArgs = (key, r) => {
    const args = ['log', ids[key], '--outcome', r.outcome ?? 'success', '--summary', r.summary];
    for (const d of r.decisions ?? []) args.push('--decision', d);
    for (const b of r.bugs ?? []) args.push('--bug', b);
    for (const n of r.notes ?? []) args.push('--note', n);
    return args;
  };
  const complete = (key, files, r) => {
    baton('start', ids[key]);
    commitFiles(files);
    baton(...logArgs(key, r), '--done');
    baton('done', ids[key], '--merge');
  };
  
  complete('A', { 'src/money.ts': 'export function formatMoney(cents, currency) { return `${cents}`; }\n' }, {
    summary: 'Exported `formatMoney(cents, currency)` from src/money.ts; later tasks extend it rather than add another (SIG-COBALT).',
    decisions: ['Amounts are integer cents in a `Money` record, never floats (CENTS-QUARTZ).'],
    notes: [1, 2, 3, 4].map((i) => filler('Money', i)),
  });
  complete('B', { 'src/currency.ts': 'export const CURRENCIES = { EUR: 2, JPY: 0 };\n' }, {
    summary: 'A `CURRENCIES` map of ISO code to minor-unit digits in src/currency.ts (CUR-JADE).',
    notes: [1, 2, 3].map((i) => filler('Currency', i)),
  });
  complete('C', { 'src/price.tsx': 'export function PriceTag() { return null; }\n' }, {
    summary: 'A `<PriceTag cents currency>` component in src/price.tsx (PRICE-AMBER).',
    notes: [1, 2, 3, 4, 5].map((i) => filler('Price tag', i)),
  });
  // D: a failed attempt, then a success on the same branch.
  baton('start', ids.D);
  commitFiles({ 'src/tax.ts': 'export function applyTax() {}\n' });
  baton(...logArgs('D', { outcome: 'failure', summary: 'Rounding was off by one cent on EUR totals (D-FAIL-OPAL).' }));
  commitFiles({ 'src/tax-round.ts': 'export const round = Math.round;\n' });
  baton(...logArgs('D', {
    summary: 'Exported `applyTax(cents, rate)` from src/tax.ts, rounding half-even (TAX-GARNET).',
    bugs: ['Half-even rounding surprises people who expect half-up; refunds must round the same way (BANKER-TEAL).'],
    decisions: [1, 2, 3].map((i) => filler('Tax', i)),
  }), '--done');
  baton('done', ids.D, '--merge');
  complete('F', { 'src/auth/login.ts': 'export function login() {}\n', 'src/auth/session.ts': 'export const sessions = new Map();\n' }, {
    summary: 'Login stores sessions in Redis under `sess:<id>` (SESS-ONYX).',
    bugs: ['Login throttling counts failed attempts per IP, not per account.'],
  });
  complete('K', { 'src/search.ts': 'export function search() {}\n' }, {
    summary: 'Search uses a trigram index rebuilt nightly (TRIGRAM-SAGE).', notes: [1, 2, 3].map((i) => filler('Search', i)),
  });
  complete('L', { 'src/cart-cache.ts': 'export const cache = new Map();\n', 'src/checkout.ts': 'import { cache } from "./cart-cache";\n' }, {
    summary: 'Cart lookups go through a module-level cache.',
    bugs: ['The module keeps a global cache between requests; reset it in tests or totals leak across carts (CACHE-TOPAZ).'],
  });
  complete('M', { 'src/mail.ts': 'export function send() {}\n' }, {
    summary: 'Mails go out through nodemailer.',
    decisions: ['Use an SMTP pool of 4 connections (SMTP-IRIS).'],
    notes: ['Bounce handling is left for later (MAIL-LILAC).', ...[1, 2, 3, 4, 5, 6].map((i) => filler('Mail', i))],
  });
  complete('I', { 'src/reports.tsx': 'export function Reports() { return null; }\n' }, { summary: 'A reports page listing monthly totals.' });
  // H: one failed attempt; its branch keeps the commit.
  baton('start', ids.H);
  commitFiles({ 'src/invoice.ts': 'export function invoice() {}\n' });
  baton(...logArgs('H', {
    outcome: 'failure', summary: 'PDF generation crashes; nothing renders (PDF-FAIL-SLATE).',
    bugs: ['pdfkit throws on an empty text line; skip empty lines before layout (EMPTY-LINE-CORAL).'],
  }));
  git('switch', '-q', 'main');
  
  // The Central Agent's review, pasted back by hand.
  put('review-answer.json', JSON.stringify({
    summary: 'Core and UI are mostly done; invoices fail; the reports page shows wrong totals.',
    decisions: [
      `${ids.E} must not cache totals between requests (NOCACHE-PEARL).`,
      'All logs are JSON lines, one event per line (LOG-MINT).',
      'src/auth/session.ts must rotate session ids on every privilege change (ROTATE-PLUM).',
    ],
    plan_changes: [
      'Constraint lifted: display code may format with floats; stored amounts stay integer cents (FLOAT-LIFT-AZURE).',
      'src/price.tsx renders through Intl.NumberFormat (INTL-CORAL).',
    ],
    reopen: [{ id: ids.I, reason: 'Totals are wrong for EUR: the page sums floats (REOPEN-OCHRE).' }],
    follow_ups: [{
      key: 'refunds', title: 'Refunds', phase: 'Core', depends_on: [ids.D], follows: ids.D,
      reason: 'Refunds are missing; customers are refunded by hand (FOLLOW-VIOLET).', context: 'Refund part or all of an order.', requirements: ['Refund an order with tax.'], files: ['src/refund.ts'],
    }],
  }, null, 2));
  const review = JSON.parse(baton('review', '--import', 'review-answer.json', '--json'));
  rmSync(join(dir, 'review-answer.json'));
  git('add', '-A'); git('commit', '-qm', 'Review R-001');
  const filed = JSON.stringify(review).match(/"id":"(T-[0-9a-f]+)","title":"Refunds"/) ?? JSON.stringify(review).match(/(T-[0-9a-f]+)[^T]*Refunds/);
  ids.J = filed?.[1] ?? JSON.parse(baton('task', 'list', '--json')).find((t) => t.title === 'Refunds')?.id;
  if (!ids.J) throw new Error('the review did not file the follow-up');
}

const TITLES = { A: 'Money type', B: 'Currency table', C: 'Price display', D: 'Tax rules', E: 'Checkout total', F: 'Auth login', G: 'Auth logout', H: 'Invoice PDF', I: 'Reports page', J: 'Refunds', K: 'Search index', L: 'Cart cache', M: 'Email notifications', N: 'Docs site' };
if (REUSE) {
  const list = JSON.parse(baton('task', 'list', '--json'));
  for (const [k, title] of Object.entries(TITLES)) ids[k] = list.find((t) => t.title === title).id;
} else build();

// ---- Measure. ----
const rows = [];
const misses = [];
for (const budget of BUDGETS) {
  let must = 0, found = 0, dist = 0, leaked = 0, over = 0, maxRatio = 0, same = true, depKept = true;
  for (const key of TARGETS) {
    const one = JSON.parse(baton('prompt', ids[key], '--budget', String(budget), '--json'));
    const two = JSON.parse(baton('prompt', ids[key], '--budget', String(budget), '--json'));
    if (one.text !== two.text) same = false;
    if (one.tokens > budget) over++;
    maxRatio = Math.max(maxRatio, one.tokens / budget);
    for (const f of FACTS) {
      const has = one.text.includes(f.code);
      if (f.must.includes(key)) { must++; if (has) found++; else misses.push(`${budget} ${key} missing ${f.code} (${f.where})`); }
      if (f.distractor.includes(key)) { dist++; if (has) { leaked++; misses.push(`${budget} ${key} carries distractor ${f.code} (${f.where})`); } }
    }
    for (const code of DEP_RESULTS[key]) if (!one.text.includes(code)) depKept = false;
  }
  rows.push({ budget, recall: found / must, distractors: leaked / dist, maxRatio, over, same, depKept, found, must, leaked, dist });
}
const clean = git('status', '--porcelain').trim() === '';

const pct = (x) => `${(100 * x).toFixed(1)}%`;
console.log(`Context recall: ${TARGETS.length} target tasks of ${Object.keys(ids).length}, ${FACTS.length} labelled facts\n`);
console.log('| budget | recall | distractors | largest prompt / budget | over budget | every direct dependency\'s result | same bytes twice |');
console.log('| ---: | ---: | ---: | ---: | ---: | --- | --- |');
for (const r of rows) {
  console.log(`| ${r.budget} | ${pct(r.recall)} (${r.found}/${r.must}) | ${pct(r.distractors)} (${r.leaked}/${r.dist}) | ${pct(r.maxRatio)} | ${r.over} | ${r.depKept ? 'kept' : 'NOT kept'} | ${r.same ? 'yes' : 'NO'} |`);
}
console.log(`\nWorking tree after every prompt: ${clean ? 'clean' : 'NOT clean'}`);
if (VERBOSE && misses.length) console.log(`\n${misses.join('\n')}`);
if (KEEP || REUSE) console.log(`\nProject kept in ${dir}`);
else if (!REUSE) rmSync(dir, { recursive: true, force: true });
const targets = { 1000: 0.6, 2000: 0.85, 4000: 0.95, 8000: 0.95 };
const failed = rows.some((r) => r.recall < targets[r.budget] || r.distractors > 0.05 || r.over || !r.same || !r.depKept) || !clean;
process.exitCode = failed ? 1 : 0;
