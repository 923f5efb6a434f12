#!/usr/bin/env node
/**
 * Context-recall benchmark for `baton prompt` (`npm run eval:context`, after `npm run build`).
 *
 * Builds scripted projects in temp folders with baton's own commands and git,
 * with planted facts, each labelled up front (in the project's FACTS, before
 * any of its prompts was looked at): a must-have for some tasks, a distractor
 * for others (unlabelled pairs are not counted). Two projects of different
 * shape, so that rules fitted to one do not pass for general:
 *   shop     a web shop (scripts/eval-context/shop.mjs): 14 tasks, short entries;
 *   station  a telemetry pipeline (scripts/eval-context/station.mjs): long plan
 *            prose, long entries, a chain five deep, a retried task whose
 *            first attempt's decision was the bug.
 * For each target task it asks for the prompt at 1k, 2k, 4k and 8k tokens and
 * prints recall, distractor rate, tokens against budget and determinism; then
 * the same figures for each category of facts a project labels (`category`:
 * `lesson`, a fact that reaches a prompt as a lesson from recurring problems,
 * found by `baton lessons --update` with no model), held to the same targets.
 *
 *   node scripts/eval-context.mjs [--project shop|station] [--verbose] [--keep] [--reuse DIR]
 *
 * BATON_EVAL_BIN=path/to/bin.js measures another build of baton on the same projects.
 * --keep leaves the projects in place; --reuse DIR measures a kept one again
 * without building it (with --project).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as shop from './eval-context/shop.mjs';
import * as station from './eval-context/station.mjs';

// BATON_EVAL_BIN: measure another build (the same projects against an older baton, for a before/after).
const BIN = process.env.BATON_EVAL_BIN ? resolve(process.env.BATON_EVAL_BIN) : resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');
const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const VERBOSE = process.argv.includes('--verbose');
const KEEP = process.argv.includes('--keep');
const REUSE = arg('--reuse');
const ONLY = arg('--project');
const BUDGETS = [1000, 2000, 4000, 8000];
const TARGETS_BY_BUDGET = { 1000: 0.6, 2000: 0.85, 4000: 0.95, 8000: 0.95 };
const PROJECTS = [shop, station].filter((p) => !ONLY || p.name === ONLY);
if (!PROJECTS.length) throw new Error(`unknown project ${ONLY}: shop or station`);

const ENV = {
  ...process.env, GIT_AUTHOR_NAME: 'Eval', GIT_AUTHOR_EMAIL: 'eval@example.com', GIT_COMMITTER_NAME: 'Eval',
  GIT_COMMITTER_EMAIL: 'eval@example.com', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', NO_COLOR: '1',
};

/** baton's commands and git in one folder, and the steps every scenario builds with. */
function context(dir, project) {
  const sh = (cmd, args) => {
    const r = spawnSync(cmd, args, { cwd: dir, env: ENV, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const git = (...args) => sh('git', args);
  const baton = (...args) => sh(process.execPath, [BIN, ...args]);
  const put = (path, text) => { mkdirSync(dirname(join(dir, path)), { recursive: true }); writeFileSync(join(dir, path), text); };
  const ids = {};
  // Plan-changing commands may commit what they wrote themselves: commit only what is left.
  const commitAll = (message) => {
    git('add', '-A');
    if (git('status', '--porcelain').trim()) git('commit', '-qm', message);
  };
  const add = (key, title, opts = {}) => {
    const args = ['task', 'add', title, '--json', '--phase', opts.phase ?? 'Core', '--context', opts.context ?? `${title} for the ${project.domain ?? 'shop'}.`];
    for (const d of opts.deps ?? []) args.push('-d', ids[d]);
    for (const f of opts.files ?? []) args.push('--file', f);
    for (const r of opts.reqs ?? ['Implement it with tests.']) args.push('--requirement', r);
    ids[key] = JSON.parse(baton(...args)).id;
  };
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
  return { dir, git, baton, put, ids, rmSync, join, commitAll, add, commitFiles, logArgs, complete };
}

function measure(project) {
  const dir = REUSE ? realpathSync(REUSE) : realpathSync(mkdtempSync(join(tmpdir(), `baton-eval-${project.name}-`)));
  const ctx = context(dir, project);
  const { ids, baton, git } = ctx;
  if (REUSE) {
    const list = JSON.parse(baton('task', 'list', '--json')).tasks;
    for (const [k, title] of Object.entries(project.TITLES)) ids[k] = list.find((t) => t.title === title)?.id;
  } else project.build(ctx);

  const rows = [];
  const misses = [];
  const categories = [...new Set(project.FACTS.map((f) => f.category).filter(Boolean))];
  const byCategory = Object.fromEntries(categories.map((c) => [c, []]));
  for (const budget of BUDGETS) {
    let must = 0, found = 0, dist = 0, leaked = 0, over = 0, maxRatio = 0, same = true, depKept = true;
    const cat = Object.fromEntries(categories.map((c) => [c, { must: 0, found: 0, dist: 0, leaked: 0 }]));
    for (const key of project.TARGETS) {
      const one = JSON.parse(baton('prompt', ids[key], '--budget', String(budget), '--json'));
      const two = JSON.parse(baton('prompt', ids[key], '--budget', String(budget), '--json'));
      if (one.text !== two.text) same = false;
      if (one.tokens > budget) over++;
      maxRatio = Math.max(maxRatio, one.tokens / budget);
      for (const f of project.FACTS) {
        const has = one.text.includes(f.code);
        const c = f.category ? cat[f.category] : { must: 0, found: 0, dist: 0, leaked: 0 };
        if (f.must.includes(key)) { must++; c.must++; if (has) { found++; c.found++; } else misses.push(`${budget} ${key} missing ${f.code} (${f.where})`); }
        if (f.distractor.includes(key)) { dist++; c.dist++; if (has) { leaked++; c.leaked++; misses.push(`${budget} ${key} carries distractor ${f.code} (${f.where})`); } }
      }
      for (const code of project.DEP_RESULTS[key]) if (!one.text.includes(code)) depKept = false;
    }
    rows.push({ budget, recall: found / must, distractors: leaked / dist, maxRatio, over, same, depKept, found, must, leaked, dist });
    for (const c of categories) byCategory[c].push({ budget, ...cat[c], recall: cat[c].found / (cat[c].must || 1), distractors: cat[c].leaked / (cat[c].dist || 1) });
  }
  const clean = git('status', '--porcelain').trim() === '';

  const pct = (x) => `${(100 * x).toFixed(1)}%`;
  console.log(`\n${project.name}: ${project.description}; ${project.TARGETS.length} target tasks of ${Object.keys(ids).length}, ${project.FACTS.length} labelled facts\n`);
  console.log('| budget | recall | distractors | largest prompt / budget | over budget | every direct dependency\'s result | same bytes twice |');
  console.log('| ---: | ---: | ---: | ---: | ---: | --- | --- |');
  for (const r of rows) {
    console.log(`| ${r.budget} | ${pct(r.recall)} (${r.found}/${r.must}) | ${pct(r.distractors)} (${r.leaked}/${r.dist}) | ${pct(r.maxRatio)} | ${r.over} | ${r.depKept ? 'kept' : 'NOT kept'} | ${r.same ? 'yes' : 'NO'} |`);
  }
  for (const c of categories) {
    console.log(`\n${project.name}, ${c} facts only (${project.FACTS.filter((f) => f.category === c).length} labelled)\n`);
    console.log('| budget | recall | distractors |');
    console.log('| ---: | ---: | ---: |');
    for (const r of byCategory[c]) console.log(`| ${r.budget} | ${pct(r.recall)} (${r.found}/${r.must}) | ${pct(r.distractors)} (${r.leaked}/${r.dist}) |`);
  }
  console.log(`\nWorking tree after every prompt: ${clean ? 'clean' : 'NOT clean'}`);
  if (VERBOSE && misses.length) console.log(`\n${misses.join('\n')}`);
  if (KEEP || REUSE) console.log(`\nProject kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  const short = (r) => r.recall < TARGETS_BY_BUDGET[r.budget] || r.distractors > 0.05;
  return rows.some((r) => short(r) || r.over || !r.same || !r.depKept) || Object.values(byCategory).some((list) => list.some(short)) || !clean;
}

let failed = false;
for (const project of PROJECTS) failed = measure(project) || failed;
process.exitCode = failed ? 1 : 0;
