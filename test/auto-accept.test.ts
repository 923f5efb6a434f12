import { afterEach, describe, expect, it } from 'vitest';
import { addTask, batonAsync, git, read } from './helpers/repo.js';
import { modelEnv, startChatServer, type ChatServer } from './helpers/chat-server.js';
import { makeAgentProject, report } from './fixtures/agent-project.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a task with no checks', () => {
  it('is logged partial, and merged by baton auto once the reviewer accepts it', async () => {
    const p = makeAgentProject();
    const docs = addTask(p.dir, 'Write the docs');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    p.setScript({ tasks: [{ match: docs, attempts: [{ write: { 'DOCS.md': '# Docs\n' }, commit: 'Write docs', report: report('success', 'Docs written.') }] }] });
    server = await startChatServer([
      { content: JSON.stringify({ summary: 'The docs are there.', accept: [{ id: docs, reason: 'DOCS.md covers the API; nothing to check automatically.' }] }) },
    ]);

    const r = await batonAsync(p.dir, ['auto'], { env: { ...p.env, ...modelEnv(server) } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`${docs} partial`));
    expect(r.stdout).toMatch(/review R-001: no follow-ups; accepted T-[0-9a-f]+/);
    expect(r.stdout).toMatch(new RegExp(`${docs} merged`));
    expect(r.stdout).toContain('The plan is done.');

    // The merge brought the work into main, and the memory says why it was accepted.
    expect(read(p.dir, 'DOCS.md')).toBe('# Docs\n');
    const memory = read(p.dir, `.agents/memory/${docs}.md`);
    expect(memory).toMatch(/ result partial\n/);
    expect(memory).toContain('Accepted by R-001: DOCS.md covers the API');
    expect(read(p.dir, '.agents/reviews/R-001.md')).toMatch(new RegExp(`## Accepted\\n\\n- ${docs} Write the docs: DOCS.md covers the API`));
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');
  });
});
