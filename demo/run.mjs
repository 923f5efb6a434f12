#!/usr/bin/env node
/**
 * `baton demo` (and `npm run demo` in a clone): the whole product in a minute,
 * with no network and no key. Shipped in the package (`demo/`), run by the
 * installed `baton demo` as by a clone.
 *
 * Builds a small JavaScript project in a temp folder, has the Central Agent
 * plan it (`baton plan --from REQUIREMENTS.md`: four tasks with dependencies),
 * and runs `baton auto --parallel 2` on it. The implementation
 * agent is a scripted command (demo/agent.mjs) that edits files and
 * commits like a coding-agent CLI; the Central Agent's plan and reviews come
 * from a local server that speaks the Chat Completions API. One task's agent claims
 * success while its check fails; the review files a follow-up that fixes the
 * cause, and the task succeeds on its retry. Git hooks record every commit.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, '..', 'dist', 'bin.js');
const AGENT = join(HERE, 'agent.mjs');
const started = Date.now();

const root = realpathSync(mkdtempSync(join(tmpdir(), 'baton-demo-')));
const repo = join(root, 'shop');
const state = join(root, 'agent-state');
mkdirSync(repo);
mkdirSync(state);

const env = {
  ...process.env,
  // The demo must not depend on the machine's git identity or settings.
  GIT_AUTHOR_NAME: 'baton demo', GIT_AUTHOR_EMAIL: 'demo@example.com',
  GIT_COMMITTER_NAME: 'baton demo', GIT_COMMITTER_EMAIL: 'demo@example.com',
  GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
  AGENT_STATE: state, AGENT_SCRIPT: join(state, 'script.json'),
};
const git = (...args) => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' });
const baton = (...args) => execFileSync(process.execPath, [BIN, ...args], { cwd: repo, env, encoding: 'utf8' });
const write = (path, text) => {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
};
const say = (text) => process.stdout.write(`${text}\n`);

// 1. A small project and its plan.
say(`baton demo: a sample project in ${repo}\n`);
git('init', '-q', '-b', 'main');
write('package.json', '{ "name": "shop", "private": true, "type": "module" }\n');
write('README.md', '# shop\n\nA tiny cart library.\n');
git('add', '-A');
git('commit', '-q', '-m', 'Initial commit');
baton('init');
const config = join(repo, '.agents', 'config.yaml');
writeFileSync(config, readFileSync(config, 'utf8').replace('executor: api', 'executor: demo-agent') +
  `\nexecutors:\n  demo-agent:\n    command: "node ${AGENT}"\n    timeout_s: 60\n`);
write('REQUIREMENTS.md', '# shop\n\nA cart library: sum() of a list, median(), a cart total() of price × qty, and an API section in the README.\n');
git('add', '-A');
git('commit', '-q', '-m', 'baton init, requirements');

// The Central Agent: a local Chat Completions server. Its answers are scripted here; a real model writes them.
const answers = [{
  goal: 'A tiny cart library: list helpers and a cart total, documented.',
  constraints: ['Plain ES modules on Node 20, no dependencies', 'Each function has a test under test/'],
  architecture: ['One function per file under lib/'],
  phases: ['Core', 'Cart', 'Docs'],
  tasks: [
    { key: 'sum', title: 'Add sum()', phase: 'Core', depends_on: [], files: ['lib/sum.js'], checks: ['node test/sum.test.js'],
      requirements: ['sum(xs) adds a list of numbers'], success_criteria: ['sum([1, 2, 3]) === 6'] },
    { key: 'total', title: 'Add cart total()', phase: 'Cart', depends_on: ['sum'], files: ['lib/cart.js'], checks: ['node test/cart.test.js'],
      requirements: ['total(cart) sums price × qty'], success_criteria: ['total([]) === 0'] },
    { key: 'median', title: 'Add median()', phase: 'Core', depends_on: ['sum'], files: ['lib/median.js'], checks: ['node test/median.test.js'],
      requirements: ['median(xs) of odd and even lists'], success_criteria: ['median([4, 1, 2, 3]) === 2.5'] },
    { key: 'docs', title: 'Document the API', phase: 'Docs', depends_on: ['total', 'median'], checks: ['grep -q "total(" README.md'],
      requirements: ['An API section in the README'], success_criteria: ['README names every function'] },
  ],
}];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const answer = answers.shift() ?? { summary: 'The work since the last review is done and checked; nothing to file.' };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      id: 'demo', object: 'chat.completion', created: 0, model: JSON.parse(body).model,
      choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(answer) }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 2400, completion_tokens: 300, total_tokens: 2700 },
    }));
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/v1`;
const modelEnv = { ...env, OPENAI_BASE_URL: url, OPENAI_API_KEY: 'demo' };

say('$ baton plan --from REQUIREMENTS.md');
// Not execFileSync: this process must stay free to answer the planner's request.
const planned = await new Promise((resolve) => {
  const child = spawn(process.execPath, [BIN, 'plan', '--from', 'REQUIREMENTS.md'], { cwd: repo, env: modelEnv });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  child.on('close', (code) => resolve({ code, out }));
});
say(planned.out.trimEnd().replace(/^/gm, '  ') + '\n');
if (planned.code !== 0) {
  server.close();
  throw new Error(`baton plan exited ${planned.code}`);
}
const ids = new Map(JSON.parse(baton('task', 'list', '--json')).tasks.map((t) => [t.title, t.id]));
const [sum, total, median, docs] = ['Add sum()', 'Add cart total()', 'Add median()', 'Document the API'].map((t) => ids.get(t));
// `baton plan` committed the plan itself (commit_plan_changes).
say(baton('graph').trim().split('\n').filter((l) => l.includes('-->')).length + ' dependencies; `baton next` says:');
say(baton('next').trimEnd().replace(/^/gm, '  ') + '\n');

// 2. What the scripted agent does for each task (a real agent would write this code itself).
const report = (outcome, summary, more = '') => `## Outcome\n${outcome}\n\n## Summary\n${summary}\n${more}`;
const assert = "import assert from 'node:assert/strict';\n";
const script = {
  tasks: [
    { match: 'Make sum() of an empty list 0', attempts: [{ sleep_ms: 700,
      write: { 'lib/sum.js': 'export const sum = (xs) => xs.reduce((a, b) => a + b, 0);\n', 'test/sum-empty.test.js': `${assert}import { sum } from '../lib/sum.js';\nassert.equal(sum([]), 0);\n` },
      commit: 'Give reduce an initial value so sum([]) is 0', report: report('success', 'sum([]) is 0 now; test added.') }] },
    { match: sum, attempts: [{ sleep_ms: 900,
      // The bug: reduce without an initial value throws on an empty list. Its own test does not notice.
      write: { 'lib/sum.js': 'export const sum = (xs) => xs.reduce((a, b) => a + b);\n', 'test/sum.test.js': `${assert}import { sum } from '../lib/sum.js';\nassert.equal(sum([1, 2, 3]), 6);\n` },
      commit: 'Add sum()', report: report('success', 'sum() adds a list of numbers.', '\n## Decisions\n- Library functions are ES modules under lib/, one per file.\n') }] },
    { match: total, attempts: [
      { sleep_ms: 1200,
        write: { 'lib/cart.js': "import { sum } from './sum.js';\nexport const total = (cart) => sum(cart.map((i) => i.price * i.qty));\n",
          'test/cart.test.js': `${assert}import { total } from '../lib/cart.js';\nassert.equal(total([{ price: 2, qty: 3 }]), 6);\nassert.equal(total([]), 0);\n` },
        commit: 'Add cart total()', report: report('success', 'total() sums price × qty; all tests pass.') },
      { sleep_ms: 500, report: report('success', 'With sum([]) fixed, total([]) is 0; the check passes now.') },
    ] },
    { match: median, attempts: [{ sleep_ms: 1500,
      write: { 'lib/median.js': 'export const median = (xs) => {\n  const s = [...xs].sort((a, b) => a - b);\n  const m = s.length >> 1;\n  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;\n};\n',
        'test/median.test.js': `${assert}import { median } from '../lib/median.js';\nassert.equal(median([3, 1, 2]), 2);\nassert.equal(median([4, 1, 2, 3]), 2.5);\n` },
      commit: 'Add median()', report: report('success', 'median() of odd and even lists.') }] },
    { match: docs, attempts: [{ sleep_ms: 600,
      append: { 'README.md': '\n## API\n\n- `sum(xs)`: the sum of a list (0 when empty)\n- `total(cart)`: price × qty over the cart\n- `median(xs)`\n' },
      commit: 'Document the API', report: report('success', 'README lists the API.') }] },
  ],
};
writeFileSync(env.AGENT_SCRIPT, JSON.stringify(script));

// 3. The reviews the Central Agent will give (the same local server answers them).
answers.push(
  { summary: `${total} (Add cart total()) claimed success, but its check fails: sum([]) throws, so total([]) does too.`,
    conclusions: ['sum() must handle an empty list; total() is right once it does.'],
    follow_ups: [{ key: 'sum-empty', title: 'Make sum() of an empty list 0', follows: total, phase: 'Core',
      reason: 'total([]) throws because sum([]) has no initial value', context: 'lib/sum.js uses reduce without an initial value.',
      requirements: ['sum([]) returns 0'], success_criteria: ['sum([]) === 0'], checks: ['node test/sum-empty.test.js', 'node test/sum.test.js'], files: ['lib/sum.js'] }],
    decisions: ['Every list function returns a neutral value for an empty list.'] },
);

// 4. baton auto.
say('$ baton auto --parallel 2\n');
const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, [BIN, 'auto', '--parallel', '2'], {
    cwd: repo, stdio: 'inherit', env: modelEnv,
  });
  child.on('close', resolve);
});
server.close();

// 5. Where to look.
say('\n$ git log --graph --oneline --all | head -30');
say(git('log', '--graph', '--oneline', '--all').split('\n').slice(0, 30).join('\n'));
say(`$ baton memory ${total} (excerpt)`);
const memory = readFileSync(join(repo, '.agents', 'memory', `${total}.md`), 'utf8');
say(memory.split('\n').filter((l) => /^## \d{4}-/.test(l)).join('\n'));
say(`\nDone in ${Math.round((Date.now() - started) / 1000)}s (baton auto exited ${code}). Look around:`);
const look = [
  [`cd ${repo}`, ''],
  [`alias baton="node ${BIN}"`, 'if baton is not on your PATH'],
  ['baton status', 'progress, and the memory of recent work'],
  [`baton memory ${total}`, 'the task that failed, the review, the retry'],
  ['cat .agents/reviews/R-001.md', "the Central Agent's review and the follow-up it filed"],
  ['git log --graph --oneline', 'a branch per task, merged when its checks passed'],
];
const width = Math.max(...look.slice(2).map(([c]) => c.length));
for (const [c, why] of look) say(`  ${why ? `${c.padEnd(width)}   # ${why}` : c}`);
process.exitCode = code;

// `npm run bench` measures the bookkeeping of this run (issue 19, item 7) in the project it names here.
if (process.env.BATON_DEMO_REPO_FILE) writeFileSync(process.env.BATON_DEMO_REPO_FILE, repo);
