/**
 * Secrets of every shape (issue 21), through every path text leaves baton by:
 * memory (the sh hooks, `sync`, `log`, `rebuild`), prompts, pull requests,
 * branch names, the board, requests to models and error texts. One table
 * (hooks/secret-shapes.txt) feeds the hooks' awk and src/core/redact.ts.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addSecretValue, redact } from '../src/core/redact.js';
import { slugify } from '../src/core/task.js';
import { PROJECT_ROOT, addTask, baton, batonAsync, git, ok, read, tempDir, write } from './helpers/repo.js';
import { modelEnv, startChatServer, type ChatServer } from './helpers/chat-server.js';
import { GOOD_PLAN } from './helpers/model-answers.js';
import { commitFile, flush, taskRepo } from './hooks-util.js';
import { call, connect, textOf } from './mcp-util.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Each shape as a person would paste it, and the part that must never be seen again. */
const SHAPES: { text: string; secret: string }[] = [
  ...[
    'sk-proj-abcdefghijklmnopqrstuvwxyz012345',
    'sk-ant-api03-abcdefghijklmnopqrstu',
    'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
    'rk_live_51HabcdefghijklmnopqrstuV',
    'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    'github_pat_11ABCDEFG0abcdefghijklmnopqrstuv',
    'AKIAIOSFODNN7EXAMPLE',
    'xoxb-1234567890-abcdefghijkl',
    'xoxp-2234567890-abcdefghijkl',
    'AIzaSyA-abcdefghijklmnopqrstuvwxyz01234',
    'hf_abcdefghijklmnopqrstuvwxyz',
    'glpat-abcdefghijklmnopqrst',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  ].map((t) => ({ text: t, secret: t })),
  { text: 'postgres://admin:hunter2Secret@db.example.com:5432/app', secret: 'hunter2Secret' },
  { text: 'https://deploy:S3cretPassw0rd@git.example.com/repo.git', secret: 'S3cretPassw0rd' },
];
const ALL = SHAPES.map((s) => s.text).join(' ');

function expectClean(where: string, text: string): void {
  for (const { secret } of SHAPES) expect(text, `${where} shows ${secret}`).not.toContain(secret);
}

function filesUnder(dir: string): string {
  let all = '';
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    all += statSync(path).isDirectory() ? filesUnder(path) : readFileSync(path, 'utf8');
  }
  return all;
}

describe('one table of secret shapes', () => {
  it('src/core/secret-shapes.ts is what hooks/secret-shapes.txt makes', () => {
    const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts/secret-shapes.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  it('Node and the hooks\' awk redact every shape alike, and leave look-alikes', () => {
    const awk = (line: string) => {
      const record = `\x1e${'a'.repeat(40)}\x1f2026-01-01T00:00:00Z\x1f\x1f${line}\x1f\x1f\n`;
      const r = spawnSync('awk', ['-v', `shapes=${join(PROJECT_ROOT, 'hooks/secret-shapes.txt')}`, '-f', join(PROJECT_ROOT, 'hooks/format-entries.awk')], { input: record, encoding: 'utf8' });
      return r.stdout.split('\n')[1]!;
    };
    for (const { text, secret } of SHAPES) {
      const line = `Use ${text} here`;
      expect(redact(line)).not.toContain(secret);
      expect(awk(line)).toBe(redact(line));
    }
    expect(redact('see postgres://admin:hunter2Secret@db/x')).toBe('see postgres://admin:[REDACTED]@db/x');
    // A configured key is redacted by value; the words local servers take as keys are not keys.
    addSecretValue('Zq81mPlainKeyNoShape77');
    addSecretValue('lm-studio');
    addSecretValue('sk-no-key-required');
    expect(redact('echo: Zq81mPlainKeyNoShape77.')).toBe('echo: [REDACTED].');
    expect(redact('served by lm-studio (sk-no-key-required)')).toBe('served by lm-studio (sk-no-key-required)');
    for (const word of ['ssh://git@host:22/x', 'https://host:8080/a@b', 'task-sk_live-notes', 'eyJust.a.word', 'xAKIAIOSFODNN7EXAMPLE']) {
      expect(redact(word)).toBe(word);
      expect(awk(word)).toBe(word);
    }
  });
});

describe('every shape through every path', () => {
  it('memory: the sh hooks, the Node flush and `sync`, `log` and `rebuild` keep none of them', () => {
    const { dir, id } = taskRepo();
    const tokens = SHAPES.slice(0, 13).map((s) => s.text);
    commitFile(dir, `conf/${tokens[2]}.env`, 'x\n', `Rotate ${ALL}`, ['-m', `Body ${ALL}`]);
    commitFile(dir, 'b.txt', 'b\n', 'Second'); // the hook writes the first entry here
    git(dir, ['commit', '-q', '--amend', '-m', `Second, amended ${ALL}`]); // handed to the Node flush
    ok(dir, ['sync']);
    ok(dir, ['log', id, '--outcome', 'partial', '--summary', `Deployed with ${ALL}`, '--decision', `Keep ${ALL}`, '--bug', `Leaked ${ALL}`]);
    flush(dir);
    ok(dir, ['memory', 'rebuild']);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Memory']);
    expectClean('memory file', read(dir, `.agents/memory/${id}.md`));
    expectClean('memory history', git(dir, ['log', '-p', '--all', '--format=', '--', '.agents/memory']));
    expectClean('memory --json', ok(dir, ['memory', id, '--json']));
    expect(read(dir, `.agents/memory/${id}.md`)).toContain('Rotate [REDACTED]');
  });

  it('prompts, pull requests, branch names, the board and error texts keep none of them', () => {
    const { dir } = taskRepo();
    git(dir, ['checkout', '-q', 'main']);
    const id = addTask(dir, `Rotate ${SHAPES[7]!.text} token`, '--context', `Connect with ${ALL}`);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Add task']);
    expectClean('prompt', ok(dir, ['prompt', id]));
    expectClean('pr', ok(dir, ['pr', id]));
    expectClean('pr --json', ok(dir, ['pr', id, '--json']));
    ok(dir, ['start', id]);
    const branch = git(dir, ['branch', '--show-current']).trim();
    expect(branch).toMatch(/^task\/T-[0-9a-f]+-rotate-redacted-token$/);
    for (const { text, secret } of SHAPES) expect(slugify(`Rotate ${text}`, 200)).not.toContain(secret.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 12));
    const site = join(tempDir(), 'site');
    ok(dir, ['board', '--out', site]);
    expectClean('board', filesUnder(site));
    const wrong = baton(dir, ['task', 'show', SHAPES[0]!.text]);
    expect(wrong.code).not.toBe(0);
    expectClean('error', wrong.stderr);
    const wrongJson = baton(dir, ['task', 'show', SHAPES[0]!.text, '--json']);
    expectClean('--json error', wrongJson.stderr);
  });

  it('MCP tool errors keep none of them', async () => {
    const { dir } = taskRepo();
    const mcp = await connect(dir);
    try {
      for (const { text } of SHAPES) {
        const r = await call(mcp.client, 'task_show', { id: text });
        expect(r.isError).toBe(true);
        expectClean('MCP error', JSON.stringify(r));
      }
      expect(textOf(await call(mcp.client, 'task_show', { id: SHAPES[0]!.text }))).toContain('[REDACTED]');
    } finally {
      await mcp.close();
    }
  });

  it('requests to models keep none of them', async () => {
    server = await startChatServer([{ content: JSON.stringify(GOOD_PLAN) }]);
    const { dir } = taskRepo();
    git(dir, ['checkout', '-q', 'main']);
    write(dir, 'REQUIREMENTS.md', `# Deploy\n\nUse ${ALL} to connect.\n`);
    const r = await batonAsync(dir, ['plan', '--from', 'REQUIREMENTS.md', '--update'], { env: modelEnv(server) });
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests).toHaveLength(1);
    expectClean('request', JSON.stringify(server.requests[0]!.body));
  });
});
