/**
 * Conformance with the real agent CLIs from npm (pinned: the presets' `tested` versions, installed
 * by scripts/install-agent-clis.mjs, which .ci/run calls), each driven through a real edit by a
 * scripted model server speaking its protocol (test/fixtures/model-server.mjs). As root the CLI,
 * the server and baton run in a network namespace with only loopback; otherwise with every
 * telemetry switch off. Locally, with no cache and no `CI`, these tests are skipped (and say so);
 * in CI a missing CLI fails them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PRESETS } from '../../src/agents/executors/presets.js';
import { addTask, BIN, git, GIT_ENV, makeProject, tempDir, write } from './repo.js';

const SERVER = join(import.meta.dirname, '..', 'fixtures', 'model-server.mjs');
export const CACHE = process.env.BATON_AGENT_CLIS_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'baton-agent-clis');
export const REPORT = '## Outcome\nsuccess\n\n## Summary\nWrote greeting.txt.';

export function binDir(name: string): string {
  const p = PRESETS[name]!;
  return join(CACHE, `${p.package!.replace('/', '+')}@${p.tested[0]}`, 'node_modules', '.bin');
}

/** A network namespace with only loopback, where we may make one (root, `unshare` present). */
const NETNS = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8' }).status === 0;
if (!NETNS) console.warn('agent-clis: no network namespace here (not root, or no unshare); running with telemetry off instead');

/** Per CLI: a fake key, its model, and every switch that stops it calling home or retrying. */
const CLI_ENV: Record<string, Record<string, string>> = {
  claude: {
    ANTHROPIC_API_KEY: 'sk-ant-test', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1', DISABLE_AUTOUPDATER: '1', CLAUDE_CODE_MAX_RETRIES: '0',
  },
  qwen: { OPENAI_API_KEY: 'sk-test', OPENAI_MODEL: 'qwen3-coder-plus' },
  gemini: { GEMINI_API_KEY: 'test-key', GEMINI_CLI_TRUST_WORKSPACE: 'true' },
  // baton writes codex's provider (CODEX_HOME) from OPENAI_BASE_URL, which the server sets.
  codex: { OPENAI_API_KEY: 'sk-test' },
  // The same for opencode (its config, inline); the server answers its title request too.
  opencode: { OPENAI_API_KEY: 'sk-test' },
  // And copilot (its BYOK variables, offline).
  copilot: { OPENAI_API_KEY: 'sk-test' },
};

/** The model the role names, where the CLI is told it by baton (codex offers its edit tool only for models it knows). */
const CLI_MODEL: Record<string, string> = { codex: 'gpt-5.5', opencode: 'qwen3-coder-plus', copilot: 'qwen3-coder-plus' };

/** Files each CLI reads from its HOME: gemini's choice of API-key auth, telemetry and usage statistics off. */
const CLI_HOME: Record<string, Record<string, string>> = {
  gemini: {
    '.gemini/settings.json': JSON.stringify({ security: { auth: { selectedType: 'gemini-api-key' } }, privacy: { usageStatisticsEnabled: false }, telemetry: { enabled: false } }),
  },
  qwen: { '.qwen/settings.json': JSON.stringify({ privacy: { usageStatisticsEnabled: false }, telemetry: { enabled: false } }) },
};

export interface Run { code: number; stdout: string; stderr: string; wt: string; id: string; dir: string; requests: { url: string }[] }

/** `baton run` of a one-task plan whose implementer is the preset `name`, against the scripted server. */
export function runWith(name: string, server: Record<string, string> = {}, auto?: { files: string[]; args: string[] }): Run {
  const dir = makeProject({ hooks: true });
  const config = join(dir, '.agents', 'config.yaml');
  // qwen's and codex's JSON have tokens and no cost: priced from the table (here, config's `prices:`).
  const model = CLI_MODEL[name];
  writeFileSync(config, `${readFileSync(config, 'utf8').replace('executor: api', `executor: ${name}`)
    .replace(/^( {2}implementer:\n {4}model: ).*$/m, `$1${model ?? 'gpt-5-mini'}`)
    .replace(/^worktree_dir: .*$/m, `worktree_dir: ../${dir.split('/').pop()}-worktrees`)}\nprices:\n  qwen3-coder-plus:\n    input: 1\n    output: 5\n  gpt-5.5:\n    input: 1\n    output: 5\n`);
  const ids = auto ? auto.files.map((f) => addTask(dir, `Create the file ${f}`, '--check', `grep -q hello ${f}`)) : [addTask(dir, 'Add greeting', '--check', 'grep -q hello greeting.txt')];
  const id = ids[0]!;
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', `Plan, with ${name}`]);
  const home = tempDir('baton-cli-home-');
  for (const [path, text] of Object.entries(CLI_HOME[name] ?? {})) write(home, path, text);
  const log = join(home, 'requests.jsonl');
  const env = {
    ...process.env, ...GIT_ENV, ...CLI_ENV[name], ...server,
    HOME: home, MODEL_LOG: log, MODEL_FINAL_TEXT: server.MODEL_FINAL_TEXT ?? REPORT,
    PATH: `${binDir(name)}:${process.env.PATH}`,
  };
  const inner = [process.execPath, SERVER, '--', process.execPath, BIN, ...(auto ? ['auto', ...auto.args] : ['run', id])];
  const r = NETNS
    ? spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...inner], { cwd: dir, env, encoding: 'utf8' })
    : spawnSync(inner[0]!, inner.slice(1), { cwd: dir, env, encoding: 'utf8' });
  const wt = /worktree (\S+)\.$/m.exec(r.stdout)?.[1] ?? join(`${dir}-worktrees`, readdirName(`${dir}-worktrees`));
  const requests = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { url: string }) : [];
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr, wt, id, dir, requests };
}

export function readdirName(parent: string): string {
  const r = spawnSync('ls', [parent], { encoding: 'utf8' });
  return r.stdout.trim().split('\n')[0] ?? '';
}

export function costJson(dir: string): { total: { promptTokens: number; completionTokens: number; costUsd: number; unpriced: number } } {
  const r = spawnSync(process.execPath, [BIN, 'cost', '--json'], { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
  return JSON.parse(r.stdout) as ReturnType<typeof costJson>;
}

