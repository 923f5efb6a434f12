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
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../src/agents/executors/presets.js';
import { addTask, BIN, git, GIT_ENV, makeProject, read, tempDir, write } from './helpers/repo.js';

const SERVER = join(import.meta.dirname, 'fixtures', 'model-server.mjs');
const CACHE = process.env.BATON_AGENT_CLIS_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'baton-agent-clis');
const REPORT = '## Outcome\nsuccess\n\n## Summary\nWrote greeting.txt.';

function binDir(name: string): string {
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
};

/** Files each CLI reads from its HOME: gemini's choice of API-key auth, telemetry and usage statistics off. */
const CLI_HOME: Record<string, Record<string, string>> = {
  gemini: {
    '.gemini/settings.json': JSON.stringify({ security: { auth: { selectedType: 'gemini-api-key' } }, privacy: { usageStatisticsEnabled: false }, telemetry: { enabled: false } }),
  },
  qwen: { '.qwen/settings.json': JSON.stringify({ privacy: { usageStatisticsEnabled: false }, telemetry: { enabled: false } }) },
};

interface Run { code: number; stdout: string; stderr: string; wt: string; id: string; dir: string; requests: { url: string }[] }

/** `baton run` of a one-task plan whose implementer is the preset `name`, against the scripted server. */
function runWith(name: string, server: Record<string, string> = {}): Run {
  const dir = makeProject({ hooks: true });
  const config = join(dir, '.agents', 'config.yaml');
  // qwen's JSON has tokens and no cost: priced from the table (here, config's `prices:`).
  writeFileSync(config, `${readFileSync(config, 'utf8').replace('executor: api', `executor: ${name}`)
    .replace(/^worktree_dir: .*$/m, `worktree_dir: ../${dir.split('/').pop()}-worktrees`)}\nprices:\n  qwen3-coder-plus:\n    input: 1\n    output: 5\n`);
  const id = addTask(dir, 'Add greeting', '--check', 'grep -q hello greeting.txt');
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
  const inner = [process.execPath, SERVER, '--', process.execPath, BIN, 'run', id];
  const r = NETNS
    ? spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...inner], { cwd: dir, env, encoding: 'utf8' })
    : spawnSync(inner[0]!, inner.slice(1), { cwd: dir, env, encoding: 'utf8' });
  const wt = /worktree (\S+)\.$/m.exec(r.stdout)?.[1] ?? join(`${dir}-worktrees`, readdirName(`${dir}-worktrees`));
  const requests = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { url: string }) : [];
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr, wt, id, dir, requests };
}

function readdirName(parent: string): string {
  const r = spawnSync('ls', [parent], { encoding: 'utf8' });
  return r.stdout.trim().split('\n')[0] ?? '';
}

function costJson(dir: string): { total: { promptTokens: number; completionTokens: number; costUsd: number; unpriced: number } } {
  const r = spawnSync(process.execPath, [BIN, 'cost', '--json'], { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
  return JSON.parse(r.stdout) as ReturnType<typeof costJson>;
}

for (const name of ['claude', 'qwen', 'gemini']) {
  const installed = existsSync(binDir(name));
  if (!installed && !process.env.CI) console.warn(`agent-clis: ${name} is not in ${CACHE}; skipping (run \`node scripts/install-agent-clis.mjs\`)`);
  describe.skipIf(!installed && !process.env.CI)(`the real ${name} CLI (${PRESETS[name]!.package}@${PRESETS[name]!.tested[0]})`, () => {
    it('makes a real edit: committed on the task branch, recorded by the hooks, checked, its final text the report, its usage in `baton cost`', () => {
      expect(existsSync(binDir(name)), `${name} is not installed in ${CACHE}: run \`node scripts/install-agent-clis.mjs\``).toBe(true);
      const r = runWith(name);
      expect(r.stderr + r.stdout).toContain(`${r.id}: success`);
      expect(r.code).toBe(0);
      expect(r.requests.length).toBeGreaterThan(0);
      expect(read(r.wt, 'greeting.txt')).toBe('hello\n');
      // The edit is committed on the task branch (the CLI leaves it; baton commits it), and the hooks recorded it.
      expect(git(r.wt, ['log', '--name-only', '--format=', 'main..HEAD'])).toContain('greeting.txt');
      expect(git(r.wt, ['status', '--porcelain'])).toBe('');
      const memory = read(r.wt, `.agents/memory/${r.id}.md`);
      const sha = git(r.wt, ['log', '-1', '--format=%h', '--', 'greeting.txt']).trim();
      expect(memory).toMatch(new RegExp(`^## \\S+ commit ${sha.slice(0, 7)}`, 'm'));
      expect(memory).toMatch(/ check pass\n`grep -q hello greeting.txt` exited 0/);
      // Its final text, not its JSON, is the report.
      expect(memory).toContain(`The agent's report (${name}, claimed success)`);
      expect(memory).toMatch(/ result success\nWrote greeting.txt./);
      expect(memory).not.toContain('"session_id"');
      // Its tokens are a usage entry on the task, which `baton cost` counts.
      expect(memory).toMatch(new RegExp(`^## \\S+ usage implementer \\S+\\nprompt_tokens: [1-9]\\d*\\ncompletion_tokens: [1-9]\\d*`, 'm'));
      const cost = costJson(r.wt);
      expect(cost.total.promptTokens).toBeGreaterThanOrEqual(2000);
      expect(cost.total.completionTokens).toBeGreaterThanOrEqual(100);
      // claude says what it cost (by its own table); qwen gives tokens only, priced from config's table
      // (2000 × $1 + 100 × $5 per million); gemini's model has no price anywhere: counted as unpriced.
      if (name === 'claude') expect(cost.total.costUsd).toBeGreaterThan(0);
      if (name === 'qwen') expect(cost.total.costUsd).toBeCloseTo((cost.total.promptTokens * 1 + cost.total.completionTokens * 5) / 1e6, 9);
      if (name === 'gemini') expect(cost.total.unpriced).toBe(1);
    });

    it('stops on refused credentials (401) with the CLI\'s words and the variable to set, counting no attempt', () => {
      const r = runWith(name, { MODEL_FAIL: '401' });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`the agent (${name}) could not log in`);
      expect(r.stderr).toMatch(/invalid|401/i);
      expect(r.stderr).toContain(PRESETS[name]!.key_env!);
      expect(r.stderr).not.toContain('sk-');
      const wt = join(`${r.dir}-worktrees`, readdirName(`${r.dir}-worktrees`));
      const memory = read(wt, `.agents/memory/${r.id}.md`);
      expect(memory).not.toMatch(/ result /);
      expect(memory).toContain('No attempt counted.');
      expect(git(wt, ['status', '--porcelain'])).toBe('');
    });

    if (name === 'claude') {
      it('pauses on a rate or usage limit (429): no attempt counted, exit 3', () => {
        const r = runWith(name, { MODEL_FAIL: '429' });
        expect(r.stdout).toContain(`${r.id}: paused: the agent hit a rate or usage limit`);
        expect(r.code).toBe(3);
        const wt = join(`${r.dir}-worktrees`, readdirName(`${r.dir}-worktrees`));
        const memory = read(wt, `.agents/memory/${r.id}.md`);
        expect(memory).not.toMatch(/ result /);
        expect(memory).toContain('it hit a rate or usage limit');
      });

      it('fails an attempt that exits 0 with no change and no report, saying so', () => {
        const r = runWith(name, { MODEL_NO_TOOL: '1', MODEL_FINAL_TEXT: '' });
        expect(r.code).toBe(1);
        expect(r.stdout).toContain(`${r.id}: failure — the agent (claude) exited 0 without changing anything or writing a report`);
        expect(read(r.wt, `.agents/memory/${r.id}.md`)).toMatch(/ result failure\nThe agent \(claude\) exited 0 without changing anything/);
      });
    }
  });
}
