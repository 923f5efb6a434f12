/**
 * Conformance with the real agent CLIs from npm (pinned: the presets' `tested` versions, installed
 * by scripts/install-agent-clis.mjs, which .ci/run calls), each driven through a real edit by a
 * scripted model server speaking its protocol (test/fixtures/model-server.mjs). As root the CLI,
 * the server and baton run in a network namespace with only loopback; otherwise with every
 * telemetry switch off. Locally, with no cache and no `CI`, these tests are skipped (and say so);
 * in CI a missing CLI fails them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PRESETS } from '../../src/agents/executors/presets.js';
import { CLI_ENV as ENV_OF, CLI_HOME as HOME_OF, CLI_MODEL as MODEL_OF } from '../fixtures/agent-cli-env.mjs';
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

/** Per CLI: its variables, the files it reads from its HOME, the model it is told (shared with the bench). */
const CLI_ENV = ENV_OF as Record<string, Record<string, string>>;
const CLI_HOME = HOME_OF as Record<string, Record<string, string>>;

const CLI_MODEL = MODEL_OF as Record<string, string>;

export interface Request { url: string; about?: string }
export interface Run { code: number; stdout: string; stderr: string; wt: string; id: string; ids: string[]; dir: string; requests: Request[]; env: NodeJS.ProcessEnv }

export interface Plan {
  /** One task per file ("Create the file NAME"); `NAME@role` gives it that role (an executor's name). */
  files: string[];
  args: string[];
  /** Lines added to config.yaml. */
  config?: string;
}

/** `baton run` of a one-task plan whose implementer is the preset `name`, against the scripted server; with `auto`, `baton auto` of that plan. */
export function runWith(name: string, server: Record<string, string> = {}, auto?: Plan): Run {
  const s = setUp(name, server, auto);
  const r = spawnSync(s.argv[0]!, s.argv.slice(1), { cwd: s.dir, env: s.env, encoding: 'utf8' });
  return finish(s, r.status ?? 1, r.stdout, r.stderr);
}

/** The same, started: for a test that signals it mid-run. */
export interface Started { child: ChildProcess; ids: string[]; log: string; env: NodeJS.ProcessEnv; output: () => string; exited: () => boolean; done: Promise<Run> }

export function startWith(name: string, server: Record<string, string>, auto: Plan): Started {
  const s = setUp(name, server, auto);
  const child = spawn(s.argv[0]!, s.argv.slice(1), { cwd: s.dir, env: s.env });
  let exited = false;
  child.on('exit', () => (exited = true));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve(finish(s, code ?? (signal ? 128 : 1), stdout, stderr))));
  return { child, ids: s.ids, log: s.log, env: s.env, output: () => stdout + stderr, exited: () => exited, done };
}

interface SetUp { dir: string; ids: string[]; env: NodeJS.ProcessEnv; argv: string[]; log: string }

function setUp(name: string, server: Record<string, string>, auto?: Plan): SetUp {
  const dir = makeProject({ hooks: true });
  const config = join(dir, '.agents', 'config.yaml');
  // qwen's and codex's JSON have tokens and no cost: priced from the table (here, config's `prices:`).
  const model = CLI_MODEL[name];
  writeFileSync(config, `${readFileSync(config, 'utf8').replace('executor: api', `executor: ${name}`)
    .replace(/^( {2}implementer:\n {4}model: ).*$/m, `$1${model ?? 'gpt-5-mini'}`)
    .replace(/^worktree_dir: .*$/m, `worktree_dir: ../${dir.split('/').pop()}-worktrees`)}\nprices:\n  qwen3-coder-plus:\n    input: 1\n    output: 5\n  gpt-5.5:\n    input: 1\n    output: 5\n${auto?.config ?? ''}`);
  const ids = auto
    ? auto.files.map((spec) => {
      const [f, role] = spec.split('@');
      return addTask(dir, `Create the file ${f}`, '--check', `grep -q hello ${f}`, ...(role ? ['--role', role] : []));
    })
    : [addTask(dir, 'Add greeting', '--check', 'grep -q hello greeting.txt')];
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', `Plan, with ${name}`]);
  const home = tempDir('baton-cli-home-');
  for (const [path, text] of Object.entries(CLI_HOME[name] ?? {})) write(home, path, text);
  const log = join(home, 'requests.jsonl');
  const env = {
    ...process.env, ...GIT_ENV, ...CLI_ENV[name], ...server,
    HOME: home, MODEL_LOG: log, MODEL_FINAL_TEXT: server.MODEL_FINAL_TEXT ?? REPORT,
    PATH: `${binDir(name)}:${process.env.PATH}`,
    // Everything this run starts carries it: what `leftovers` looks for.
    [MARK_VAR]: randomBytes(8).toString('hex'),
  };
  const inner = [process.execPath, SERVER, '--', process.execPath, BIN, ...(auto ? ['auto', ...auto.args] : ['run', ids[0]!])];
  // `unshare` and the shell exec the server: signalling the child signals the server, which passes it on to baton.
  const argv = NETNS ? ['unshare', '-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...inner] : inner;
  return { dir, ids, env, argv, log };
}

function finish(s: SetUp, code: number, stdout: string, stderr: string): Run {
  const wt = /worktree (\S+)\.$/m.exec(stdout)?.[1] ?? join(`${s.dir}-worktrees`, readdirName(`${s.dir}-worktrees`));
  return { code, stdout, stderr, wt, id: s.ids[0]!, ids: s.ids, dir: s.dir, requests: requestsIn(s.log), env: s.env };
}

export function requestsIn(log: string): Request[] {
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Request) : [];
}

const MARK_VAR = 'BATON_TEST_RUN_MARK';

/**
 * Processes still alive whose environment or command line carries this run's mark (none, after a
 * clean end): `pid BATON_TASK=<its task, if any> command line`.
 */
export function leftovers(run: { env: NodeJS.ProcessEnv }): string[] {
  const mark = `${MARK_VAR}=${run.env[MARK_VAR]}`;
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (/^\S+ \(.*\) [ZX] /.test(stat)) continue; // a zombie runs nothing
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const vars = environ.split('\0');
      const task = vars.find((v) => v.startsWith('BATON_TASK=')) ?? '';
      if (vars.includes(mark) || cmdline.includes(mark)) found.push(`${pid} ${task} ${cmdline.replaceAll('\0', ' ').slice(0, 120)}`);
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

export function readdirName(parent: string): string {
  const r = spawnSync('ls', [parent], { encoding: 'utf8' });
  return r.stdout.trim().split('\n')[0] ?? '';
}

export function costJson(dir: string): { total: { promptTokens: number; completionTokens: number; costUsd: number; unpriced: number } } {
  const r = spawnSync(process.execPath, [BIN, 'cost', '--json'], { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
  return JSON.parse(r.stdout) as ReturnType<typeof costJson>;
}

