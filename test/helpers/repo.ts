/**
 * Real temp git repositories and the built CLI run as a subprocess, as a user would.
 * Run `npm run build` first (`npm test` does).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync, readdirSync, existsSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(PROJECT_ROOT, 'dist', 'bin.js');

/** A fixed identity and no user config, so tests behave the same on every machine. */
export const GIT_ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  NO_COLOR: '1',
};

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function tempDir(prefix = 'baton-test-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

export function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV, ...env }, encoding: 'utf8' });
  // Tests written before baton committed its own plan changes commit the plan by hand after
  // `task add`/`set`: with nothing left to commit, the plan is already in git, as they meant.
  if (r.status === 1 && args[0] === 'commit' && /^nothing (added )?to commit/m.test(r.stdout)) return r.stdout;
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** A new repository on `main` with one commit. */
export function makeRepo(opts: { commit?: boolean } = {}): string {
  const dir = tempDir();
  git(dir, ['init', '-q', '-b', 'main']);
  if (opts.commit !== false) {
    writeFileSync(join(dir, 'README.md'), '# sample\n');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Initial commit']);
  }
  return dir;
}

/** Run the built CLI synchronously. */
export function baton(cwd: string, args: string[], opts: { env?: Record<string, string>; input?: string } = {}): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, ...GIT_ENV, ...opts.env },
    input: opts.input,
    encoding: 'utf8',
  });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Run the built CLI without blocking the test process (for tests that also serve HTTP). */
export function batonAsync(
  cwd: string,
  args: string[],
  opts: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...GIT_ENV, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ code: code ?? 1, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** `baton …` that must succeed; returns stdout. */
export function ok(cwd: string, args: string[], opts: { env?: Record<string, string>; input?: string } = {}): string {
  const r = baton(cwd, args, opts);
  if (r.code !== 0) throw new Error(`baton ${args.join(' ')} exited ${r.code}\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** A repo with `baton init` done (hooks off unless asked) and committed (init commits its own files). */
export function makeProject(opts: { hooks?: boolean } = {}): string {
  const template = projectTemplate(opts.hooks === true);
  if (template) return copyProject(template);
  const dir = makeRepo();
  ok(dir, ['init', ...(opts.hooks ? [] : ['--no-hooks'])]);
  return dir;
}

/**
 * The first `makeProject` of a run (per built CLI and hooks choice) runs `baton init` as before
 * and keeps a copy; later ones copy it, which is what `init` would write again byte for byte
 * (same files, same commit: fixed identity, no path of the repository in them) at the cost of a
 * file copy instead of a CLI run. The only path a copy must change is the repository's own, which
 * the hooks' manifest in the git dir names (`.git/baton/hooks.json`): see `copyProject`.
 */
function projectTemplate(hooks: boolean): string | undefined {
  const root = templatesRoot();
  if (!root) return undefined;
  const bin = statSync(BIN);
  const path = join(root, `${hooks ? 'hooks' : 'no-hooks'}-${bin.size}-${Math.round(bin.mtimeMs)}`);
  if (existsSync(path)) return path;
  const built = makeRepo();
  ok(built, ['init', ...(hooks ? [] : ['--no-hooks'])]);
  const staging = mkdtempSync(`${path}.tmp-`);
  cpSync(built, join(staging, 'repo'), { recursive: true, preserveTimestamps: true });
  writeFileSync(join(staging, 'built-at'), built);
  // Workers that build one at the same time: the first rename wins, the others use it.
  try {
    renameSync(staging, path);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
  return path;
}

function templatesRoot(): string | undefined {
  try {
    return inject('batonTemplates');
  } catch {
    return undefined; // not under vitest's run (no global setup): every project runs `baton init`
  }
}

function copyProject(template: string): string {
  return copyRepo(join(template, 'repo'), readFileSync(join(template, 'built-at'), 'utf8'));
}

/**
 * A copy of the repository `src` in a new temp folder, as git and baton would see the original:
 * `builtAt` (the folder it was made in, if `src` is a copy itself) becomes the new folder in the
 * files of the git dir that name it (the hooks' manifest). Worktrees name their folders in many
 * places; a repository with one is refused.
 */
function copyRepo(src: string, builtAt = src): string {
  if (existsSync(join(src, '.git', 'worktrees'))) throw new Error(`copyRepo: ${src} has worktrees; set them up in each test`);
  const dir = tempDir();
  cpSync(src, dir, { recursive: true, preserveTimestamps: true });
  const baton = join(dir, '.git', 'baton');
  const files = ['.git/config', ...(existsSync(baton) ? readdirSync(baton).map((n) => `.git/baton/${n}`) : [])];
  for (const file of files) {
    const abs = join(dir, file);
    if (!statSync(abs).isFile()) continue;
    const text = readFileSync(abs, 'utf8');
    // Temp paths need no escaping in JSON or git's config (tempDir: letters, digits, `-`, `/`).
    if (text.includes(builtAt)) writeFileSync(abs, text.split(builtAt).join(dir));
  }
  // The index keeps each file's inode and ctime, which a copy changes: refreshed, it is as it was.
  git(dir, ['update-index', '-q', '--refresh']);
  return dir;
}

/**
 * A set-up that several tests start from and then change: `build` runs once per test file (and
 * per arguments), and each call returns its result with `dir` a fresh copy of the repository it
 * made (see `copyRepo`). Only for set-ups whose other values do not name the folder.
 */
export function copied<T extends { dir: string }, A extends unknown[] = []>(build: (...args: A) => T): (...args: A) => T {
  const made = new Map<string, T>();
  return (...args) => {
    const key = JSON.stringify(args);
    if (!made.has(key)) made.set(key, build(...args));
    const it = made.get(key)!;
    return { ...it, dir: copyRepo(it.dir) };
  };
}

/** Add a task and return its id. */
export function addTask(dir: string, title: string, ...args: string[]): string {
  const out = ok(dir, ['task', 'add', title, '--json', ...args]);
  return (JSON.parse(out) as { id: string }).id;
}

export function read(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}

export function write(dir: string, path: string, content: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

/** Every file under `.agents/` with its content: to assert that nothing changed. */
export function snapshotFiles(dir: string, sub = '.agents'): Record<string, string> {
  const outMap: Record<string, string> = {};
  const walk = (rel: string) => {
    const abs = join(dir, rel);
    if (!existsSync(abs)) return;
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const r = join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else outMap[r] = readFileSync(join(dir, r), 'utf8');
    }
  };
  walk(sub);
  return outMap;
}

export function taskFile(dir: string, id: string): string {
  const name = readdirSync(join(dir, '.agents', 'tasks')).find((n) => n.startsWith(`${id}-`));
  if (!name) throw new Error(`no task file for ${id}`);
  return `.agents/tasks/${name}`;
}

/** What a refused command must leave alone: the files under `.agents/`, the branch, every ref, the status. */
export function repoState(dir: string) {
  return {
    files: snapshotFiles(dir),
    branch: git(dir, ['branch', '--show-current']),
    refs: git(dir, ['for-each-ref', '--format=%(refname) %(objectname)']),
    status: git(dir, ['status', '--porcelain']),
  };
}
