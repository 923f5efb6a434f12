import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addTask, batonAsync, git, read } from './helpers/repo.js';
import { modelEnv, startChatServer, type ChatServer } from './helpers/chat-server.js';
import { agentEvents, makeAgentProject, report } from './fixtures/agent-project.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('baton auto with reviews', () => {
  it('reviews after a failure, runs the follow-up it files, then retries the failed task on top of the fix', async () => {
    const p = makeAgentProject();
    const lib = addTask(p.dir, 'Add lib', '--check', 'test -f lib.txt');
    const app = addTask(p.dir, 'Add app', '-d', lib, '--check', 'test -f app.txt && grep -q v2 lib.txt');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    p.setScript({
      tasks: [
        { match: 'Upgrade lib to v2', attempts: [{ write: { 'lib.txt': 'v2\n' }, commit: 'lib v2', report: report('success', 'lib is v2.') }] },
        { match: lib, attempts: [{ write: { 'lib.txt': 'v1\n' }, commit: 'lib v1', report: report('success', 'lib v1.') }] },
        { match: app, attempts: [
          { write: { 'app.txt': 'app\n' }, commit: 'app', report: report('success', 'App works.') },
          { report: report('success', 'Nothing to change: lib is v2 now.') },
        ] },
      ],
    });
    const followUp = {
      summary: 'Add app failed its check: it needs lib v2.',
      follow_ups: [{ key: 'lib-v2', title: 'Upgrade lib to v2', follows: app, reason: 'Add app checks for v2', checks: ['grep -q v2 lib.txt'], context: 'lib.txt must say v2.' }],
      decisions: ['lib.txt carries its version.'],
    };
    server = await startChatServer([{ content: JSON.stringify(followUp) }, { content: JSON.stringify({ summary: 'All good.' }) }]);

    const r = await batonAsync(p.dir, ['auto'], { env: { ...p.env, ...modelEnv(server) } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('The plan is done.');
    expect(r.stdout).toMatch(/review R-001: filed (T-[0-9a-f]+) \(Upgrade lib to v2\)/);
    const fix = /filed (T-[0-9a-f]+) \(Upgrade/.exec(r.stdout)![1]!;
    expect(r.stdout).toMatch(new RegExp(`${app} failed +Add app — 1 of 1 check failed`));
    expect(r.stdout).toContain('4 attempts: 3 success (3 merged), 0 partial, 1 failure; reviews R-001');

    // The reviewer saw the failure, which is recorded on the (then unmerged) task branch.
    const asked = server.requests[0]!.body.messages[1]!.content;
    expect(asked).toMatch(new RegExp(`${app} result failure\\n1 of 1 check failed`));
    expect(asked).toMatch(new RegExp(`${app} bug\\nThe agent \\(scripted\\) reported success`));

    // The retry of Add app started only after the follow-up was done, and saw its fix.
    const events = agentEvents(p.state);
    const at = (task: string, attempt: number, event: string) => events.find((e) => e.task === task && e.attempt === attempt && e.event === event)!.t;
    expect(at(fix, 1, 'start')).toBeGreaterThan(at(app, 1, 'end'));
    expect(at(app, 2, 'start')).toBeGreaterThan(at(fix, 1, 'end'));
    expect(read(p.dir, 'lib.txt')).toBe('v2\n');

    const memory = read(p.dir, `.agents/memory/${app}.md`);
    expect(memory).toMatch(/ result failure\n/);
    expect(memory).toMatch(/ review R-001\n/);
    expect(memory).toMatch(/ result success\nNothing to change: lib is v2 now./);
    expect(read(p.dir, '.agents/memory/project.md')).toContain('lib.txt carries its version.');
    expect(existsSync(join(p.dir, '.agents/reviews/R-001.md'))).toBe(true);
    expect(readdirSync(join(p.dir, '.agents/reviews')).filter((n) => n.startsWith('R-'))).toEqual(['R-001.md']);
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');
    expect(git(p.dir, ['log', '--format=%s'])).toContain('Review R-001');
  });
});
