// A plan with planted file overlaps that no task names (so scheduling cannot see
// them; the merge queue must), run by the scripted agent (demo/agent.mjs), and
// the invariants the merge queue promises, checked from git alone. Used by
// `npm run bench` (scripts/bench-queue.mjs, 20 tasks) and test/merge-queue.test.ts.
//
// Each overlap is two tasks. Attempt 1 does the task's own work; attempt 2 (only
// when the queue sends it back) merges the base in and resolves the way an agent
// would, to the content both tasks' checks accept.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const OK = '## Outcome\nsuccess\n\n## Summary\nDone.\n';
/** attempt 2's resolution: bring the base in (it may conflict), write what both want, commit whatever is left. */
const resolve = (path, content) => [
  'git merge --no-edit -q main >/dev/null 2>&1 || true',
  `mkdir -p "$(dirname ${path})" && printf '%s' ${shq(content)} > ${path}`,
  'git add -A',
  "git commit -q -m 'Resolve with the base' >/dev/null 2>&1 || true",
];

function shq(s) {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The overlap kinds: base files, and two tasks each with a check, its own edit, and the resolution. */
export const OVERLAPS = {
  // Two tasks edit the same function's body: a textual conflict.
  'same-function': {
    base: { 'src/greet.js': "export function greet(name) {\n  return 'Hello ' + name;\n}\n" },
    tasks: [
      { title: 'Greet politely', check: "grep -q 'dear' src/greet.js", write: { 'src/greet.js': "export function greet(name) {\n  return 'Hello, dear ' + name;\n}\n" } },
      { title: 'Greet loudly', check: "grep -q 'toUpperCase' src/greet.js", write: { 'src/greet.js': "export function greet(name) {\n  return 'Hello ' + name.toUpperCase();\n}\n" } },
    ],
    resolved: { 'src/greet.js': "export function greet(name) {\n  return 'Hello, dear ' + name.toUpperCase();\n}\n" },
  },
  // One task renames a function, the other adds a caller of the old name: merges cleanly, a check fails after.
  rename: {
    base: { 'src/util.js': 'export function oldName() {\n  return 1;\n}\n', 'src/app.js': "import { oldName } from './util.js';\nconsole.log(oldName());\n" },
    tasks: [
      { title: 'Rename the helper', check: '! grep -rq oldName src', write: { 'src/util.js': 'export function newName() {\n  return 1;\n}\n', 'src/app.js': "import { newName } from './util.js';\nconsole.log(newName());\n" } },
      { title: 'Add the report', check: 'node src/report.js', write: { 'src/report.js': "import { oldName } from './util.js';\nconsole.log('report', oldName());\n" } },
    ],
    // Both sides: the caller uses the new name.
    fix: ["git merge --no-edit -q main >/dev/null 2>&1 || true", "sed -i 's/oldName/newName/g' src/report.js", "git commit -qam 'Use the renamed helper' >/dev/null 2>&1 || true"],
  },
  // Both add a dependency at the end of the lock file: a textual conflict.
  'lock-file': {
    base: { 'deps.lock': '# lock\nalpha 1.0\n' },
    tasks: [
      { title: 'Depend on beta', check: 'grep -q beta deps.lock', append: { 'deps.lock': 'beta 2.0\n' } },
      { title: 'Depend on gamma', check: 'grep -q gamma deps.lock', append: { 'deps.lock': 'gamma 3.0\n' } },
    ],
    resolved: { 'deps.lock': '# lock\nalpha 1.0\nbeta 2.0\ngamma 3.0\n' },
  },
  // Adjacent keys of one config file: a textual conflict.
  'config-keys': {
    base: { 'config.json': '{\n  "retries": 1,\n  "timeout": 10\n}\n' },
    tasks: [
      { title: 'Retry three times', check: 'grep -q \'"retries": 3\' config.json', write: { 'config.json': '{\n  "retries": 3,\n  "timeout": 10\n}\n' } },
      { title: 'Wait a minute', check: 'grep -q \'"timeout": 60\' config.json', write: { 'config.json': '{\n  "retries": 1,\n  "timeout": 60\n}\n' } },
    ],
    resolved: { 'config.json': '{\n  "retries": 3,\n  "timeout": 60\n}\n' },
  },
  // Both create the same new file: an add/add conflict.
  'same-new-file': {
    base: {},
    tasks: [
      { title: 'Route for users', check: 'grep -q users src/routes.js', write: { 'src/routes.js': "export const routes = ['users'];\n" } },
      { title: 'Route for orders', check: 'grep -q orders src/routes.js', write: { 'src/routes.js': "export const routes = ['orders'];\n" } },
    ],
    resolved: { 'src/routes.js': "export const routes = ['users', 'orders'];\n" },
  },
  // Both add an entry at the top of the changelog: a textual conflict.
  changelog: {
    base: { 'CHANGELOG.md': '# Changes\n\n- first release\n' },
    tasks: [
      { title: 'Note the fix', check: 'grep -q fix CHANGELOG.md', write: { 'CHANGELOG.md': '# Changes\n\n- a fix\n- first release\n' } },
      { title: 'Note the feature', check: 'grep -q feature CHANGELOG.md', write: { 'CHANGELOG.md': '# Changes\n\n- a feature\n- first release\n' } },
    ],
    resolved: { 'CHANGELOG.md': '# Changes\n\n- a feature\n- a fix\n- first release\n' },
  },
};

function run(cmd, args, cwd, env) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/**
 * Write the plan into `dir` (a baton project whose implementer is the scripted
 * agent): the base files, one pair of tasks per overlap kind, then `solo` tasks
 * that touch nothing shared. `rendezvous`: a pair's agents wait for each other
 * before committing (a test that must see every overlap collide); else they sleep.
 * Returns the agent script and what to check afterwards.
 */
export function writeOverlapPlan(dir, { bin, kinds = Object.keys(OVERLAPS), solo = 0, sleepMs = 0, rendezvous = false, env = process.env }) {
  const files = { 'package.json': '{ "type": "module", "private": true }\n' };
  for (const k of kinds) Object.assign(files, OVERLAPS[k].base);
  for (const [path, content] of Object.entries(files)) {
    run('sh', ['-c', `mkdir -p "$(dirname "$1")" && printf '%s' "$2" > "$1"`, 'sh', path, content], dir, env);
  }
  run('git', ['add', '-A'], dir, env);
  run('git', ['commit', '-q', '-m', 'Base files of the overlap plan'], dir, env);
  const add = (title, check) => JSON.parse(run(process.execPath, [bin, 'task', 'add', title, '--json', '--check', check], dir, env)).id;
  const script = [];
  const pairs = [];
  for (const k of kinds) {
    const o = OVERLAPS[k];
    const ids = o.tasks.map((t) => add(t.title, t.check));
    pairs.push({ kind: k, ids });
    o.tasks.forEach((t, i) => {
      const wait = rendezvous ? [`touch "$AGENT_STATE/go-${ids[i]}"`, `while [ ! -f "$AGENT_STATE/go-${ids[1 - i]}" ]; do sleep 0.05; done`] : [];
      const first = { sleep_ms: sleepMs, ...(t.write ? { write: t.write } : {}), ...(t.append ? { append: t.append } : {}), sh: wait, commit: t.title, report: OK };
      const fix = o.fix ?? Object.entries(o.resolved).flatMap(([p, c]) => resolve(p, c));
      script.push({ match: ids[i], attempts: [first, { sleep_ms: Math.min(sleepMs, 500), sh: fix, report: OK }] });
    });
  }
  const solos = [];
  for (let i = 0; i < solo; i++) {
    const id = add(`Solo piece ${i}`, `test -f solo/piece-${i}.txt`);
    solos.push(id);
    script.push({ match: id, attempts: [{ sleep_ms: sleepMs, write: { [`solo/piece-${i}.txt`]: `piece ${i}\n` }, commit: `Add piece ${i}`, report: OK }] });
  }
  // `task add` commits the plan itself in some setups; whatever is left goes in one commit.
  if (run('git', ['status', '--porcelain'], dir, env).trim()) {
    run('git', ['add', '-A'], dir, env);
    run('git', ['commit', '-q', '-m', 'Plan: the overlap plan'], dir, env);
  }
  return { script: { tasks: script }, pairs, solos };
}

/**
 * What the merge queue promises, read from `repo`'s base branch: every task
 * merged exactly once, and every first-parent merge's task checks pass when
 * replayed on that merge commit (so the base never held a merge whose checks failed).
 */
export function checkInvariants(repo, { base = 'main', ids, env = process.env }) {
  const log = run('git', ['log', '--first-parent', '--merges', '--format=%H%x00%(trailers:key=Task,valueonly,separator=%x20)', base], repo, env);
  const merges = log.split('\n').filter(Boolean).map((l) => {
    const [sha, task] = l.split('\0');
    return { sha, task: task.trim() };
  }).filter((m) => /^T-[0-9a-f]+$/.test(m.task));
  const count = new Map();
  for (const m of merges) count.set(m.task, (count.get(m.task) ?? 0) + 1);
  const notOnce = ids.filter((id) => count.get(id) !== 1).map((id) => `${id} merged ${count.get(id) ?? 0} times`);
  const failed = [];
  const scratch = mkdtempSync(join(tmpdir(), 'baton-replay-'));
  try {
    run('git', ['worktree', 'add', '--detach', '-q', join(scratch, 'w'), base], repo, env);
    const w = join(scratch, 'w');
    for (const m of merges) {
      run('git', ['checkout', '-q', '--detach', m.sha], w, env);
      const file = run('git', ['ls-files', `.agents/tasks/${m.task}-*.md`], w, env).trim();
      const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(w, file), 'utf8'))?.[1] ?? '';
      for (const check of parse(front)?.checks ?? []) {
        if (spawnSync('sh', ['-c', check], { cwd: w, env }).status !== 0) failed.push(`${m.task} at ${m.sha.slice(0, 7)}: \`${check}\``);
      }
    }
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', join(scratch, 'w')], { cwd: repo, env });
    rmSync(scratch, { recursive: true, force: true });
  }
  return { merges: merges.length, notOnce, failed };
}
