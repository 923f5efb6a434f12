/** `baton init --mcp CLIENT` and `baton mcp --print-config CLIENT`; the SDK stays out of every other command. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, BIN, GIT_ENV, makeProject, makeRepo, ok, PROJECT_ROOT, read, tempDir, write } from './helpers/repo.js';
import { connect, data } from './mcp-util.js';

describe('MCP client configuration', () => {
  it('init --mcp writes each client\'s file, keeping servers already there, and print-config prints the same entry', () => {
    const dir = makeRepo();
    write(dir, '.mcp.json', JSON.stringify({ mcpServers: { other: { command: 'other-server' } } }, null, 2));
    write(dir, '.codex/config.toml', 'model = "o4"\n\n[mcp_servers.other]\ncommand = "other"\n');
    ok(dir, ['init', '--no-hooks', '--mcp', 'claude', '--mcp', 'cursor', '--mcp', 'codex', '--mcp', 'vscode']);
    const claude = JSON.parse(read(dir, '.mcp.json'));
    expect(claude.mcpServers.other).toEqual({ command: 'other-server' });
    expect(claude.mcpServers.baton).toEqual({ type: 'stdio', command: 'baton', args: ['mcp'] });
    const cursor = JSON.parse(read(dir, '.cursor/mcp.json'));
    expect(cursor.mcpServers.baton.args).toEqual(['mcp', '-C', '${workspaceFolder}']);
    const vscode = JSON.parse(read(dir, '.vscode/mcp.json'));
    expect(vscode.servers.baton).toMatchObject({ type: 'stdio', command: 'baton', args: ['mcp'] });
    const codex = read(dir, '.codex/config.toml');
    expect(codex).toContain('model = "o4"\n\n[mcp_servers.other]\ncommand = "other"\n');
    expect(codex).toContain('[mcp_servers.baton]\ncommand = "baton"\nargs = ["mcp"]\n');
    for (const [client, file] of [['claude', '.mcp.json'], ['cursor', '.cursor/mcp.json'], ['vscode', '.vscode/mcp.json']] as const) {
      const printed = JSON.parse(ok(dir, ['mcp', '--print-config', client]));
      const key = Object.keys(printed)[0]!;
      expect(printed[key].baton).toEqual(JSON.parse(read(dir, file))[key].baton);
    }
    expect(codex).toContain(ok(dir, ['mcp', '--print-config', 'codex']));
    // Again: the same files, baton's entry not doubled.
    const before = ['.mcp.json', '.cursor/mcp.json', '.codex/config.toml', '.vscode/mcp.json'].map((f) => read(dir, f));
    ok(dir, ['init', '--no-hooks', '--mcp', 'claude', '--mcp', 'cursor', '--mcp', 'codex', '--mcp', 'vscode']);
    expect(['.mcp.json', '.cursor/mcp.json', '.codex/config.toml', '.vscode/mcp.json'].map((f) => read(dir, f))).toEqual(before);
  });

  it('refuses a client file it cannot read, naming it, before init writes anything', () => {
    const dir = makeRepo();
    write(dir, '.cursor/mcp.json', '{\n  "mcpServers": {\n    // mine\n  }\n}\n');
    const r = baton(dir, ['init', '--mcp', 'cursor']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/\.cursor\/mcp\.json:3: .*not valid JSON/);
    expect(existsSync(join(dir, '.agents'))).toBe(false);
    expect(read(dir, '.cursor/mcp.json')).toContain('// mine');
  });

  it('rejects an unknown client', () => {
    const r = baton(makeRepo(), ['mcp', '--print-config', 'emacs']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown MCP client `emacs`[\s\S]*claude, cursor, codex, vscode/);
  });

  it('baton mcp outside a baton project says so before speaking MCP', () => {
    const r = baton(tempDir(), ['mcp']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not a git repository/);
    const noInit = baton(makeRepo(), ['mcp']);
    expect(noInit.code).not.toBe(0);
    expect(noInit.stderr).toMatch(/no \.agents\/ folder[\s\S]*baton init/);
  });

  it('serves a project from another folder with -C, as the Cursor entry starts it', async () => {
    const dir = makeProject();
    const c = await connect(tempDir(), ['-C', dir]);
    try {
      expect((await data(c.client, 'task_add', { title: 'From elsewhere' })).path).toMatch(/^\.agents\/tasks\/T-[0-9a-f]+-from-elsewhere\.md$/);
      expect(ok(dir, ['task', 'list'])).toContain('From elsewhere');
    } finally {
      await c.close();
    }
  });
});

describe('lazy loading', () => {
  const REGISTER = join(PROJECT_ROOT, 'test', 'fixtures', 'module-log', 'register.mjs');
  function packagesLoaded(cwd: string, args: string[]): Set<string> {
    const log = join(tempDir('baton-modules-'), 'log');
    const r = spawnSync(process.execPath, ['--import', REGISTER, BIN, ...args], { cwd, env: { ...process.env, ...GIT_ENV, BATON_MODULE_LOG: log }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return new Set(readFileSync(log, 'utf8').split('\n').flatMap((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)?.[1] ?? []));
  }

  it('no command but `baton mcp` loads the MCP SDK or zod, not even --help or init --mcp', () => {
    const dir = makeProject();
    for (const args of [['status'], ['--help'], ['init', '--no-hooks', '--mcp', 'claude'], ['mcp', '--print-config', 'codex']]) {
      const loaded = packagesLoaded(dir, args);
      expect(loaded.has('@modelcontextprotocol/sdk'), args.join(' ')).toBe(false);
      expect(loaded.has('zod'), args.join(' ')).toBe(false);
    }
  });
});
