/**
 * What a person at a terminal sees: the spinner while a model call runs and
 * the live `baton auto` display. Run under script(1), which gives the process
 * a real pseudo-terminal; skipped where script(1) is missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, GIT_ENV, addTask, git, makeProject, write } from './helpers/repo.js';
import { modelEnv, startChatServer, type ChatServer } from './helpers/chat-server.js';
import { GOOD_PLAN, REQUIREMENTS } from './helpers/model-answers.js';
import { makeAgentProject, report } from './fixtures/agent-project.js';

const hasScript = spawnSync('sh', ['-c', 'command -v script'], { encoding: 'utf8' }).status === 0;

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Run baton with a pseudo-terminal as stdin, stdout and stderr; resolve with everything it drew. */
function inTerminal(cwd: string, args: string[], env: Record<string, string>): Promise<{ code: number; screen: string }> {
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  return new Promise((resolve) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd, env: { ...process.env, ...GIT_ENV, ...env, TERM: 'xterm' } });
    let screen = '';
    child.stdout.on('data', (d) => (screen += d));
    child.stderr.on('data', (d) => (screen += d));
    child.on('close', (code) => resolve({ code: code ?? 1, screen }));
    child.stdin.end();
  });
}

describe.skipIf(!hasScript)('at a terminal', () => {
  it('a model call shows a spinner that is cleared when the answer comes; --json shows none', async () => {
    server = await startChatServer([
      { content: JSON.stringify(GOOD_PLAN), delayMs: 700 },
      { content: JSON.stringify(GOOD_PLAN), delayMs: 700 },
    ]);
    const dir = makeProject();
    write(dir, 'REQUIREMENTS.md', REQUIREMENTS);
    const plain = await inTerminal(dir, ['plan', '--from', 'REQUIREMENTS.md', '--dry-run'], modelEnv(server));
    expect(plain.code, plain.screen).toBe(0);
    expect(plain.screen).toMatch(/\r\x1b\[K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] waiting for [^\r\n]* · 0s/);
    expect(plain.screen).toContain('Plan: 3 new');
    // The spinner line is cleared before the result is printed.
    expect(plain.screen.lastIndexOf('waiting for')).toBeLessThan(plain.screen.indexOf('Plan: 3 new'));

    const quiet = await inTerminal(dir, ['plan', '--from', 'REQUIREMENTS.md', '--dry-run', '--json'], modelEnv(server));
    expect(quiet.code, quiet.screen).toBe(0);
    expect(quiet.screen).not.toContain('waiting for');
  });

  it('baton auto redraws one line per task in place', async () => {
    const p = makeAgentProject();
    const a = addTask(p.dir, 'First', '--check', 'test -f a.txt');
    const b = addTask(p.dir, 'Second', '-d', a, '--check', 'test -f b.txt');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    p.setScript({ tasks: [
      { match: a, attempts: [{ sleep_ms: 300, write: { 'a.txt': 'a\n' }, commit: 'a', report: report('success', 'a') }] },
      { match: b, attempts: [{ sleep_ms: 300, write: { 'b.txt': 'b\n' }, commit: 'b', report: report('success', 'b') }] },
    ] });
    // NO_COLOR (set for every test) also turns the live display off; a person's terminal usually has neither.
    const r = await inTerminal(p.dir, ['auto', '--no-review'], { ...p.env, NO_COLOR: '' });
    expect(r.code, r.screen).toBe(0);
    // Redrawn in place: the cursor moves up over the task lines instead of printing new ones.
    expect(r.screen).toMatch(/\x1b\[\d+A/);
    expect(r.screen).toMatch(new RegExp(`${a} running`));
    expect(r.screen).toMatch(new RegExp(`${b} merged`));
    expect(r.screen).toContain('The plan is done.');
    // Timestamped plain lines are for pipes, not terminals.
    expect(r.screen).not.toMatch(new RegExp(`\\d\\d:\\d\\d:\\d\\d ${a} starting`));
  });
});
