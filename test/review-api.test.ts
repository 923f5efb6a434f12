/**
 * `baton review`: memory since the last review → R-<n>.md, follow-ups,
 * reopened tasks, decisions, and claims the evidence does not support; by
 * API (real client, local server) and by `--import`, with the same files.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addTask, baton, batonAsync, git, makeProject, ok, read, snapshotFiles, write } from './helpers/repo.js';
import { modelEnv, startChatServer, type ChatServer } from './helpers/chat-server.js';
import { GOOD_PLAN, normalizeSnapshot } from './helpers/model-answers.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A planned project where `db` is done with a commit, and `login` claims success with no commit and a failing check. */
function reviewedProject(): { dir: string; db: string; login: string; todos: string } {
  const dir = makeProject();
  write(dir, 'plan.json', JSON.stringify(GOOD_PLAN));
  const plan = JSON.parse(ok(dir, ['plan', '--import', 'plan.json', '--json'])) as { created: { key: string; id: string }[] };
  const id = (key: string) => plan.created.find((c) => c.key === key)!.id;
  const [db, login, todos] = [id('db'), id('login'), id('todos')];
  ok(dir, ['task', 'set', db, '--status', 'done']);
  ok(dir, ['task', 'set', login, '--status', 'done']);
  write(dir, `.agents/memory/${db}.md`, `# Memory: ${db}\n\n## 2026-11-22T10:31:05Z commit 3f2a91c\nAdd users table migration\n\n- db/schema.sql +40 -0\n\n## 2026-11-22T10:40:00Z result success\nTables created; run \`npm run migrate\`.\n\n## 2026-11-22T10:41:00Z bug\nThe todos table has no index on user_id.\n`);
  write(dir, `.agents/memory/${login}.md`, `# Memory: ${login}\n\n## 2026-11-22T11:00:00Z check fail\n\`npm test -- login\` exited 1 in 2.0s\n\n## 2026-11-22T11:02:40Z result success\nLogin works and is tested.\n`);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'work']);
  return { dir, db, login, todos };
}

function reviewAnswer(ids: { db: string; login: string }) {
  return {
    summary: 'The schema is in; login is claimed done but nothing backs it.',
    conclusions: ['db is done', 'login is not done'],
    follow_ups: [{
      key: 'index', title: 'Index todos by user', phase: 'Data', depends_on: [ids.db], follows: ids.db,
      reason: 'bug reported on db', success_criteria: ['todos.user_id has an index'], checks: ['npm run migrate'],
    }],
    reopen: [{ id: ids.login, reason: 'no commit and its check fails' }],
    decisions: ['Passwords are hashed with bcrypt'],
    unsupported_claims: [{ task: ids.login, claim: 'Login works and is tested', evidence: 'npm test -- login failed' }],
    plan_changes: ['Every table that is read by user has an index on user_id'],
  };
}

describe('baton review by API', () => {
  it('files follow-ups, reopens, records decisions and flags an unsupported claim', async () => {
    const p = reviewedProject();
    server = await startChatServer([{ content: JSON.stringify(reviewAnswer(p)), usage: { prompt_tokens: 3000, completion_tokens: 400 } }]);
    const r = await batonAsync(p.dir, ['review', '--json'], { env: modelEnv(server) });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { id: string; filed: { id: string }[]; unsupportedClaims: { task: string; by: string }[] };
    expect(out.id).toBe('R-001');
    const filed = out.filed[0]!.id;
    expect(out.unsupportedClaims.filter((f) => f.task === p.login).map((f) => f.by).sort()).toEqual(['baton', 'baton', 'reviewer']);

    // What the reviewer read: the memory, the tasks, and baton's own cross-check.
    const user = server.requests[0]!.body.messages[1]!.content;
    expect(server.requests[0]!.body.response_format?.json_schema?.name).toBe('review');
    expect(user).toContain('Login works and is tested');
    expect(user).toContain('The todos table has no index');
    expect(user).toContain(`- ${p.login}: claimed "success: Login works and is tested."; no commit is recorded in the memory of ${p.login}`);
    expect(user).toContain('check `npm test -- login` failed at 2026-11-22T11:00:00Z');

    const review = read(p.dir, '.agents/reviews/R-001.md');
    expect(review).toMatch(/^---\nid: R-001\ntime: \S+\nsince: null\nprevious: null\nfiled: \[T-[0-9a-f]+\]\nreopened: \[T-[0-9a-f]+\]\nflagged: \[T-[0-9a-f]+\]\n---\n# Review R-001/);
    expect(review).toContain('- 5 memory entries since the start: 1 commit, 2 result, 1 bug, 1 check');
    expect(review).toContain(`- new entries by task: ${p.db} (3), ${p.login} (2)`);
    expect(review).toContain(`- ${filed} Index todos by user (follows ${p.db}): bug reported on db`);
    expect(review).toContain(`- ${p.login}: claimed "Login works and is tested"; npm test -- login failed (raised by the reviewer)`);
    expect(review).toContain('(found by baton from memory)');

    const tasks = (JSON.parse(ok(p.dir, ['task', 'list', '--json'])) as { tasks: { id: string; status: string; dependsOn: string[]; checks: string[] }[] }).tasks;
    expect(tasks.find((t) => t.id === filed)).toMatchObject({ status: 'todo', dependsOn: [p.db], checks: ['npm run migrate'] });
    expect(tasks.find((t) => t.id === p.login)!.status).toBe('todo');

    const projectMemory = read(p.dir, '.agents/memory/project.md');
    expect(projectMemory).toMatch(/## \S+ review R-001\nThe schema is in/);
    expect(projectMemory).toMatch(/## \S+ decision\nPasswords are hashed with bcrypt\n\n\(R-001\)/);
    expect(projectMemory).toMatch(/## \S+ usage reviewer gpt-5\nprompt_tokens: 3000\ncompletion_tokens: 400/);
    expect(read(p.dir, `.agents/memory/${p.login}.md`)).toMatch(/## \S+ review R-001\nReopened by R-001: no commit and its check fails/);
    expect(read(p.dir, '.agents/plan.md')).toContain('## Review notes\n\n- R-001: Every table that is read by user has an index on user_id');
  });

  it('the next review reads only what happened since, and is numbered R-002', async () => {
    const p = reviewedProject();
    write(p.dir, 'answer.json', JSON.stringify({ summary: 'First look.' }));
    ok(p.dir, ['review', '--import', 'answer.json']);
    const first = read(p.dir, '.agents/reviews/R-001.md');
    const time = /^time: (\S+)$/m.exec(first)![1]!.replace(/"/g, '');
    write(p.dir, `.agents/memory/${p.todos}.md`, `# Memory\n\n## 2099-01-01T00:00:00Z blocker\nNo API key for the mail service.\n`);
    const prompt = ok(p.dir, ['review', '--prompt']);
    expect(prompt).toContain('# Review R-002');
    expect(prompt).toContain(`since R-001 (${time})`);
    expect(prompt).toContain('No API key for the mail service');
    expect(prompt).not.toContain('Login works and is tested');
    ok(p.dir, ['review', '--import', 'answer.json']);
    expect(read(p.dir, '.agents/reviews/R-002.md')).toContain(`since: ${time}`);
  });

  it('--dry-run shows the changes and writes nothing', async () => {
    const p = reviewedProject();
    server = await startChatServer([{ content: JSON.stringify(reviewAnswer(p)) }]);
    const before = snapshotFiles(p.dir);
    const r = await batonAsync(p.dir, ['review', '--dry-run'], { env: modelEnv(server) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Would write .agents/reviews/R-001.md');
    expect(r.stdout).toMatch(/\+ T-[0-9a-f]+ {2}Index todos by user {2}\(follows /);
    expect(r.stdout).toContain(`↺ ${p.login}  reopened: no commit and its check fails`);
    expect(r.stdout).toContain('Dry run: nothing was written.');
    expect(snapshotFiles(p.dir)).toEqual(before);
  });
});

describe('baton review by copy and paste', () => {
  it('an imported answer writes the same files as the API path', async () => {
    const viaApi = reviewedProject();
    server = await startChatServer([{ content: JSON.stringify(reviewAnswer(viaApi)) }]);
    const r = await batonAsync(viaApi.dir, ['review'], { env: modelEnv(server) });
    expect(r.code, r.stderr).toBe(0);

    const viaPaste = reviewedProject();
    const answer = JSON.stringify(reviewAnswer(viaPaste), null, 2);
    write(viaPaste.dir, 'answer.md', `My review follows.\n\n\`\`\`json\n${answer}\n\`\`\`\n`);
    const prompt = ok(viaPaste.dir, ['review', '--prompt']);
    expect(prompt).toContain('"unsupported_claims"');
    ok(viaPaste.dir, ['review', '--import', 'answer.md']);
    const strip = (files: Record<string, string>) => normalizeSnapshot(Object.fromEntries(Object.entries(files).filter(([k]) => !k.endsWith('answer.md'))));
    expect(strip(snapshotFiles(viaPaste.dir))).toEqual(strip(snapshotFiles(viaApi.dir)));
  });

  it('splits a task not yet started: it is cancelled and its dependents wait on the parts', () => {
    const p = reviewedProject();
    const docs = addTask(p.dir, 'Document the todo endpoints', '--depends-on', p.todos);
    write(p.dir, 'answer.json', JSON.stringify({
      summary: 'The todo endpoints are two jobs.',
      split: [{ id: p.todos, reason: 'too big', into: [
        { key: 'read', title: 'Add GET /todos' },
        { key: 'write', title: 'Add POST /todos', depends_on: ['read'] },
      ] }],
    }));
    const out = JSON.parse(ok(p.dir, ['review', '--import', 'answer.json', '--json'])) as { split: { id: string; into: string[] }[] };
    const [read1, write1] = out.split[0]!.into;
    const tasks = (JSON.parse(ok(p.dir, ['task', 'list', '--json'])) as { tasks: { id: string; status: string; dependsOn: string[] }[] }).tasks;
    const byId = Object.fromEntries(tasks.map((t) => [t.id, t]));
    expect(byId[p.todos]!.status).toBe('cancelled');
    expect(byId[read1!]!.dependsOn).toEqual([p.db, p.login]); // inherited from the split task
    expect(byId[write1!]!.dependsOn).toEqual([read1]);
    expect(byId[docs]!.dependsOn).toEqual([read1, write1]);
    expect(read(p.dir, `.agents/memory/${p.todos}.md`)).toContain(`Split by R-001 into ${read1}, ${write1}; this task is cancelled.`);
  });

  it('is refused on a task branch, where reviews would collide on merge', () => {
    const p = reviewedProject();
    git(p.dir, ['checkout', '-q', '-b', `task/${p.todos}-todos`]);
    write(p.dir, 'answer.json', JSON.stringify({ summary: 'x' }));
    const r = baton(p.dir, ['review', '--import', 'answer.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('reviews are written on the base branch');
  });

  it('refuses an answer that reopens a task that does not exist, and writes nothing', () => {
    const p = reviewedProject();
    write(p.dir, 'answer.json', JSON.stringify({ summary: 'x', reopen: [{ id: 'T-ffff0', reason: 'y' }] }));
    const before = snapshotFiles(p.dir);
    const r = baton(p.dir, ['review', '--import', 'answer.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('reopen names `T-ffff0`, which is not a task');
    expect(snapshotFiles(p.dir)).toEqual(before);
  });
});
