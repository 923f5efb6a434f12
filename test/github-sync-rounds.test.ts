/**
 * `baton sync github` under random edits on both sides: the sync use case run
 * in-process against the OpenAPI-checked GitHub server (a process per call
 * would take minutes), 100 seeded rounds. After every round: no duplicate on
 * either side, every edit made on one side is on both, every field edited on
 * both sides is reported as a conflict with both sides left as they were, and
 * a second sync writes nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUSES, type Status } from '../src/core/task.js';
import type { GitHubApi } from '../src/remote/github-api.js';
import { issueFields, normalText, statusOfIssue } from '../src/remote/github-issue.js';
import { syncGithub, type GithubSyncReport } from '../src/remote/github-sync.js';
import { githubLinkOf } from '../src/tasks/github-link.js';
import { loadTasksStrict } from '../src/tasks/task-files.js';
import { addTasks, replaceTaskText, setTask } from '../src/tasks/write.js';
import { openProject, type Project } from '../src/workspace/context.js';
import { parseFrontMatter, splitFrontMatter } from '../src/workspace/frontmatter.js';
import { httpApi, startGitHubServer, type GitHubServer } from './helpers/github-server.js';
import { makeProject, ok } from './helpers/repo.js';

let server: GitHubServer;
beforeAll(async () => {
  server = await startGitHubServer('acme', 'app');
});
afterAll(async () => server?.close());

/** mulberry32: a small seeded generator, so a failing round can be replayed. */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

type Field = 'title' | 'body' | 'status' | 'deps';
const FIELDS: Field[] = ['title', 'body', 'status', 'deps'];
interface Values {
  title: string;
  body: string;
  status: Status;
  deps: string;
}

const WORDS = ['login', 'cache', 'retry', 'index', 'queue', 'token', 'export', 'schema', 'render', 'parse', 'merge', 'audit'];

/** What a person writes in an issue: the text, the "Blocked by" list, and baton's hidden marker if it was there. */
function issueBody(text: string, blockedBy: readonly number[], marker?: string): string {
  const parts = [text];
  if (blockedBy.length) parts.push(`### Blocked by\n${blockedBy.map((n) => `- [ ] #${n}`).join('\n')}`);
  if (marker) parts.push(`<!-- baton:${marker} -->`);
  return parts.join('\n\n');
}

function stateOf(status: Status): { state: 'open' | 'closed'; state_reason: string | null; labels: string[] } {
  if (status === 'done') return { state: 'closed', state_reason: 'completed', labels: ['baton'] };
  if (status === 'cancelled') return { state: 'closed', state_reason: 'not_planned', labels: ['baton'] };
  return { state: 'open', state_reason: null, labels: status === 'todo' ? ['baton'] : ['baton', status] };
}

describe('baton sync github: 100 rounds of random edits on both sides', () => {
  // Not a time limit: room for 100 rounds on a loaded 2-core machine (about 9 s of CPU).
  it('ends every round with no duplicate, no lost edit, every conflict reported, and a second sync that writes nothing', { timeout: 300_000 }, async () => {
    const dir = makeProject();
    const project: Project = openProject(dir);
    const r = rng(Number(process.env.SEED ?? 2026)); // SEED=n replays another sequence
    const pick = <T>(xs: readonly T[]): T => xs[r(xs.length)]!;
    const text = () => Array.from({ length: 1 + r(3) }, () => `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}.`).join('\n\n');
    const title = () => `${pick(WORDS)} the ${pick(WORDS)} ${r(1000)}`;
    const transport = httpApi(server.url);
    const figures = { rounds: 0, edits: 0, conflicts: 0, created: 0, imported: 0, adopted: 0, syncs: 0, writes: 0, crashes: 0 };
    const sync = async (extra: { prefer?: 'baton' | 'github'; api?: GitHubApi } = {}): Promise<GithubSyncReport> => {
      figures.syncs++;
      const report = await syncGithub(project, { api: extra.api ?? transport, repo: 'acme/app', commit: false, perPage: 20, prefer: extra.prefer });
      figures.writes += report.writes;
      return report;
    };

    /** Both sides as they are: every task with its issue number, every issue, read back. */
    const look = () => {
      const tasks = loadTasksStrict(dir);
      const numberOf = new Map<string, number>();
      for (const t of tasks) {
        const link = githubLinkOf(parseFrontMatter(readFileSync(join(dir, t.path), 'utf8'), t.path).data);
        if (link) numberOf.set(t.id, link.issue);
      }
      const idOf = new Map([...numberOf].map(([id, n]) => [n, id]));
      const local = new Map<string, Values>(tasks.map((t) => [t.id, { title: t.title, body: normalText(t.body), status: t.status, deps: [...t.depends_on].sort().join(',') }]));
      const remote = new Map<string, Values>();
      for (const [n, issue] of server.issues) {
        const f = issueFields({ ...issue, labels: issue.labels });
        const id = idOf.get(n);
        if (id) remote.set(id, { title: f.title, body: f.text, status: statusOfIssue(issue), deps: f.blockedBy.map((b) => idOf.get(b) ?? `#${b}`).sort().join(',') });
      }
      return { tasks, numberOf, idOf, local, remote };
    };

    // The plan starts with four tasks, the tracker with two issues.
    addTasks(project, [{ title: 'Set up the schema', context: 'Tables for users.' }, { title: 'Add login', context: 'POST /login.' }, { title: 'Add logout' }, { title: 'Audit log' }]);
    server.open({ title: 'Retry the export', body: 'Exports fail on timeouts.', labels: ['baton'] });
    server.open({ title: 'Cache the index', body: 'Slow index page.', labels: ['baton', 'blocked'] });
    const firstRun = await sync();
    expect(firstRun.created).toHaveLength(4);
    expect(firstRun.imported).toHaveLength(2);
    let state = look();
    const order = [...state.tasks].sort((a, b) => state.numberOf.get(a.id)! - state.numberOf.get(b.id)!).map((t) => t.id);

    for (let round = 1; round <= 100; round++) {
      figures.rounds++;
      const pre = new Map(state.local);
      const localNow = new Map([...pre].map(([id, v]) => [id, { ...v }]));
      const remoteNow = new Map([...pre].map(([id, v]) => [id, { ...v }]));
      const newLocal: string[] = [];
      const newRemote: { number: number; values: Omit<Values, 'deps'> & { deps: number[] } }[] = [];
      const older = (id: string) => order.slice(0, order.indexOf(id)).filter(() => r(3) === 0);
      // Most edits of a round land on one task, so both sides often touch the same field.
      const hot = [pick(order)];
      const edits = 1 + r(6);
      for (let e = 0; e < edits; e++) {
        figures.edits++;
        const side = r(2) === 0 ? 'local' : 'remote';
        const kind = r(12);
        if (kind === 0 && side === 'local') {
          const deps = order.filter(() => r(4) === 0);
          const [made] = addTasks(project, [{ title: title(), context: text(), dependsOn: deps }]);
          newLocal.push(made!.id);
          continue;
        }
        if (kind === 0) {
          const deps = order.filter(() => r(4) === 0).map((id) => state.numberOf.get(id)!);
          const status = pick(STATUSES);
          const values = { title: title(), body: text(), status, deps };
          const made = server.open({ title: values.title, body: issueBody(values.body, deps), labels: stateOf(status).labels });
          if (stateOf(status).state === 'closed') server.edit(made.number, stateOf(status));
          newRemote.push({ number: made.number, values });
          continue;
        }
        const id = r(4) ? pick(hot) : pick(order);
        const field = FIELDS[r(4)]!;
        const now = (side === 'local' ? localNow : remoteNow).get(id)!;
        let value: string;
        do {
          value = field === 'title' ? title() : field === 'body' ? text() : field === 'status' ? pick(STATUSES) : older(id).sort().join(',');
        } while (value === now[field] && field !== 'deps');
        if (value === now[field]) continue; // no older task to depend on, or the same set drawn: no edit
        (now as unknown as Record<Field, string>)[field] = value;
        if (side === 'local') {
          if (field === 'body') {
            const task = loadTasksStrict(dir).find((t) => t.id === id)!;
            replaceTaskText(project, loadTasksStrict(dir), task, (t) => `${t.slice(0, splitFrontMatter(t)!.bodyStart)}${value}\n`);
          } else if (field === 'deps') setTask(project, id, { dependsOn: value ? value.split(',') : [] });
          else setTask(project, id, { [field]: value });
        } else {
          const n = state.numberOf.get(id)!;
          if (field === 'title') server.edit(n, { title: value });
          else if (field === 'status') server.edit(n, stateOf(value as Status));
          else {
            const marked = server.issues.get(n)!.body?.includes(`<!-- baton:${id} -->`) ? id : undefined;
            server.edit(n, { body: issueBody(now.body, now.deps ? now.deps.split(',').map((d) => state.numberOf.get(d)!) : [], marked) });
          }
        }
      }

      // Some syncs stop half-way: right after GitHub created an issue (every third round that added a task),
      // or after it took an issue's update (every seventh), before the task file is written. The next sync finishes the job.
      const crashOn = round % 3 === 0 && newLocal.length ? /^POST .*\/issues$/ : round % 7 === 0 ? /^PATCH / : undefined;
      let report: GithubSyncReport;
      let crashed = false as boolean;
      if (crashOn) {
        const crashing: GitHubApi = {
          call: async (method, path, body) => {
            const answer = await transport.call(method, path, body);
            if (crashOn.test(`${method} ${path}`)) {
              crashed = true;
              throw new Error('simulated crash');
            }
            return answer;
          },
        };
        const stopped = await sync({ api: crashing }).then(() => 'finished', (e: Error) => e.message);
        expect(stopped, `round ${round}`).toBe(crashed ? 'simulated crash' : 'finished');
        if (crashed) figures.crashes++;
      }
      report = await sync();
      if (crashed && crashOn!.source.startsWith('^POST')) expect(report.adopted.length, `round ${round}: the issue made before the stop is linked, not made again`).toBe(1);
      figures.adopted += report.adopted.length;
      figures.created += report.created.length;
      figures.imported += report.imported.length;
      expect(report.problems, `round ${round}`).toEqual([]);

      state = look();
      // No duplicates: one issue per task, one task per issue, nothing left unlinked.
      expect(state.numberOf.size, `round ${round}`).toBe(state.tasks.length);
      expect(new Set(state.numberOf.values()).size, `round ${round}`).toBe(state.tasks.length);
      expect(server.issues.size, `round ${round}`).toBe(state.tasks.length);

      // Conflicts: exactly the fields edited on both sides to different values.
      const expected = new Set<string>();
      for (const [id, before] of pre) {
        for (const f of FIELDS) {
          const l = localNow.get(id)![f];
          const g = remoteNow.get(id)![f];
          if (l !== before[f] && g !== before[f] && l !== g) expected.add(`${id} ${f}`);
        }
      }
      expect(new Set(report.conflicts.map((c) => `${c.id} ${c.field}`)), `round ${round}`).toEqual(expected);
      figures.conflicts += expected.size;

      // No lost edit: each field holds the edited side's value on both sides; a conflict leaves each side its own.
      for (const [id, before] of pre) {
        for (const f of FIELDS) {
          const l = localNow.get(id)![f];
          const g = remoteNow.get(id)![f];
          if (expected.has(`${id} ${f}`)) {
            expect([state.local.get(id)![f], state.remote.get(id)![f]], `round ${round} ${id} ${f}`).toEqual([l, g]);
          } else {
            const want = l !== before[f] ? l : g;
            expect([state.local.get(id)![f], state.remote.get(id)![f]], `round ${round} ${id} ${f}`).toEqual([want, want]);
          }
        }
      }
      for (const id of newLocal) expect(state.remote.get(id), `round ${round} new task ${id}`).toEqual(state.local.get(id));
      for (const { number, values } of newRemote) {
        const id = state.idOf.get(number)!;
        expect(state.local.get(id), `round ${round} issue #${number}`).toEqual({ ...values, deps: values.deps.map((n) => state.idOf.get(n)!).sort().join(',') });
        expect(state.remote.get(id)).toEqual(state.local.get(id));
      }
      for (const id of [...newLocal, ...newRemote.map((x) => state.idOf.get(x.number)!)]) order.push(id);

      // Conflicts are settled by preferring one side, in turn; then a second sync changes nothing anywhere.
      if (expected.size) {
        const side = round % 2 ? 'baton' : 'github';
        const settled = await sync({ prefer: side });
        expect(settled.conflicts).toEqual([]);
        const after = look();
        for (const key of expected) {
          const [id, f] = key.split(' ') as [string, Field];
          const want = (side === 'baton' ? localNow : remoteNow).get(id)![f];
          expect([after.local.get(id)![f], after.remote.get(id)![f]], `round ${round} settled ${key}`).toEqual([want, want]);
        }
        state = after;
      }
      if (round % 2 && !expected.size) continue; // the second sync is checked every other round, and after every conflict
      const files = state.tasks.map((t) => readFileSync(join(dir, t.path), 'utf8')).join('\0');
      const quiet = await sync();
      expect(quiet.writes, `round ${round}: a second sync wrote to GitHub`).toBe(0);
      expect(quiet.changes.length + quiet.conflicts.length + quiet.created.length + quiet.imported.length).toBe(0);
      expect(loadTasksStrict(dir).map((t) => readFileSync(join(dir, t.path), 'utf8')).join('\0'), `round ${round}: a second sync changed a task file`).toBe(files);
      for (const [id, v] of state.local) expect(state.remote.get(id), `round ${round} ${id}`).toEqual(v);
    }

    expect(server.violations).toEqual([]);
    console.log(`github sync rounds: ${JSON.stringify({ ...figures, writes: server.writes, tasks: state.tasks.length, issues: server.issues.size, duplicates: 0, lostEdits: 0 })}`);
    expect(ok(dir, ['doctor']).length).toBeGreaterThan(0);
  });

  it('posts the memory summary on the closed issue once, and brings in an issue without the label only when named', async () => {
    const other = await startGitHubServer('acme', 'other');
    const dir = makeProject();
    const project = openProject(dir);
    const [task] = addTasks(project, [{ title: 'Ship the export' }]);
    const plain = other.open({ title: 'Someone else\'s bug', body: 'Not planned here.' });
    const named = other.open({ title: 'Bring me in', body: 'Asked for by name.' });
    const run = (opts: { issues?: number[] } = {}) => syncGithub(project, { api: httpApi(other.url), repo: 'acme/other', commit: false, ...opts });

    const first = await run({ issues: [named.number] });
    expect(first.imported.map((i) => i.issue)).toEqual([named.number]);
    expect(loadTasksStrict(dir).map((t) => t.title).sort()).toEqual(['Bring me in', 'Ship the export']);
    expect(plain.labels).toEqual([]);

    ok(dir, ['log', task!.id, '--outcome', 'success', '--summary', 'Exports stream in pages of 500.', '--decision', 'CSV only for now.']);
    setTask(project, task!.id, { status: 'done' });
    const closing = await run();
    const n = closing.created.length ? closing.created[0]!.issue : githubLinkOf(parseFrontMatter(readFileSync(join(dir, task!.path), 'utf8'), task!.path).data)!.issue;
    expect(other.issues.get(n)).toMatchObject({ state: 'closed', state_reason: 'completed' });
    const comments = () => other.comments.filter((c) => c.issue === n);
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.body).toContain('Exports stream in pages of 500.');
    expect(comments()[0]!.body).toContain('CSV only for now.');

    // A run that stopped after posting, before recording it, finds its comment instead of posting another.
    const path = loadTasksStrict(dir).find((t) => t.id === task!.id)!.path;
    const file = readFileSync(join(dir, path), 'utf8');
    writeFileSync(join(dir, path), file.replace(/, comment: \d+\}/, '}'));
    expect(readFileSync(join(dir, path), 'utf8')).not.toContain('comment:');
    const again = await run();
    expect(again.writes).toBe(0);
    expect(comments()).toHaveLength(1);
    expect(readFileSync(join(dir, path), 'utf8')).toBe(file);
    expect(other.violations).toEqual([]);
    await other.close();
  });
});
