import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTask, batonAsync, git, makeProject, ok, read, taskFile } from './helpers/repo.js';
import { fakeGh, startGitHubServer, type GitHubServer } from './helpers/github-server.js';

let server: GitHubServer;
beforeAll(async () => {
  server = await startGitHubServer('acme', 'app');
});
afterAll(async () => server?.close());

const linkOf = (dir: string, id: string) => Number(/github: \{issue: (\d+)/.exec(read(dir, taskFile(dir, id)))?.[1]);

describe('baton sync github: tasks and GitHub issues, both ways, through gh', () => {
  // Not a time limit: room for a dozen CLI runs and their `gh` calls on a loaded 2-core machine.
  it('creates, imports, merges field by field, reports conflicts, writes nothing when nothing changed, links the PR', { timeout: 300_000 }, async () => {
    const dir = makeProject();
    git(dir, ['remote', 'add', 'origin', 'git@github.com:acme/app.git']);
    const a = addTask(dir, 'Add login endpoint', '--criterion', 'POST /login returns a cookie');
    const b = addTask(dir, 'Add logout endpoint', '--depends-on', a);
    const outside = server.open({ title: 'Crash on empty password', body: 'Steps: submit the form empty.', labels: ['baton', 'bug'] });
    const gh = fakeGh();
    const env = { PATH: `${gh.dir}:${process.env.PATH}`, FAKE_GH_URL: server.url };
    const sync = (...args: string[]) => batonAsync(dir, ['sync', 'github', ...args], { env });
    const head = () => git(dir, ['rev-parse', 'HEAD']).trim();

    // 1. A dry run says what would happen and writes nothing, on either side.
    const before = head();
    const dry = await sync('--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('GitHub acme/app (dry run): 2 issues would be created, 1 task would be added from issues');
    expect(server.writes).toBe(0);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    expect(head()).toBe(before);

    // 2. The first sync: an issue per task (dependencies first, as a "Blocked by" list), a task for the labelled issue, one commit.
    const first = await sync();
    expect(first.code, first.stderr + first.stdout).toBe(0);
    const na = linkOf(dir, a);
    const nb = linkOf(dir, b);
    expect(na).toBeLessThan(nb);
    expect(server.issues.get(na)!.labels).toEqual(['baton']);
    expect(server.issues.get(na)!.body).toContain('- [ ] POST /login returns a cookie');
    expect(server.issues.get(nb)!.body).toMatch(new RegExp(`### Blocked by\\n- \\[ \\] #${na}\\n\\n<!-- baton:${b} -->\\n$`));
    const imported = JSON.parse(ok(dir, ['task', 'list', '--json'])).tasks.find((t: { title: string }) => t.title === outside.title);
    expect(imported).toBeDefined();
    expect(read(dir, taskFile(dir, imported.id))).toContain('Steps: submit the form empty.');
    expect(git(dir, ['log', '-1', '--format=%s']).trim()).toBe('Sync GitHub acme/app: 2 issues created, 1 task from issues');
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    expect(readFileSync(gh.log, 'utf8').split('\n').filter(Boolean).every((l) => JSON.parse(l)[0] === 'api')).toBe(true);

    // 3. Nothing edited: no API write, no commit.
    const writes = server.writes;
    const again = await sync();
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('0 conflicts, 0 API writes');
    expect(server.writes).toBe(writes);
    expect(git(dir, ['status', '--porcelain'])).toBe('');

    // 4. Edits on both sides: different fields merge, the same field edited on both is a conflict (both values shown, exit 1).
    ok(dir, ['task', 'set', a, '--status', 'in-progress', '--title', 'Add login endpoint (v2)']);
    server.edit(na, { title: 'Login endpoint, GitHub wording' });
    server.edit(nb, { state: 'closed' });
    const mixed = await sync();
    expect(mixed.code).toBe(1);
    expect(mixed.stdout).toContain(`CONFLICT ${a} #${na} title: edited on both sides\n    baton:  "Add login endpoint (v2)"\n    github: "Login endpoint, GitHub wording"`);
    expect(server.issues.get(na)!.labels).toEqual(['baton', 'in-progress']);
    expect(server.issues.get(na)!.title).toBe('Login endpoint, GitHub wording');
    expect(read(dir, taskFile(dir, b))).toMatch(/^status: done$/m);
    expect(read(dir, taskFile(dir, a))).toMatch(/^title: Add login endpoint \(v2\)$/m);
    // 5. The pull request closes the issue it came from.
    expect(JSON.parse(ok(dir, ['pr', a, '--json'])).body).toContain(`Closes #${na}`);

    // 6. gh failing (no auth) is one clear line and a non-zero exit.
    const denied = await batonAsync(dir, ['sync', 'github'], { env: { ...env, FAKE_GH_URL: 'http://127.0.0.1:9' } });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/gh api --method GET repos\/acme\/app\/labels.*failed/);

    expect(server.violations).toEqual([]);
  });
});
