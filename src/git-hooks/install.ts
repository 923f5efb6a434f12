/**
 * `baton hooks install|uninstall|status`. The stubs go where git looks for
 * hooks (`.git/hooks`, or `core.hooksPath`: husky, lefthook, a team folder),
 * shared by every worktree. A hook already there is moved into the git dir
 * and run by the stub, and `uninstall` moves it back byte for byte; a hook
 * tracked by git is never moved nor given a machine path (install-tracked.ts).
 *
 * Every stub is the same file (hooks/stub) and holds no path of this machine:
 * what it needs is kept in the git dir, `<common>/baton/`: `hooks.env` (the
 * package and node it was installed from), `pkg/hooks/` (a copy of the sh
 * scripts, used when the package cannot be found at all), `hooks-orig/` (the
 * hooks that were there before) and `hooks.json` (this manifest).
 */
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, rmdirSync, readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { gitRun } from '../git/task-branch.js';
import { commonGitDir, gitPath } from '../git/history.js';
import { withLock, writeFileAtomic } from '../workspace/atomic.js';
import { rel, stateDirIn } from '../workspace/paths.js';
import { addTrackedLine, isTracked, removeTrackedLine, trackedLine, TRACKED_MARKER } from './install-tracked.js';
import { installMergeDriver, uninstallMergeDriver } from './merge-driver.js';
import { HOOK_NAMES, packageRoot, type HookName } from '../workspace/package.js';
import { HOOK_SCRIPTS, packageStub, stampOf } from './stamp.js';

const MARKER = '# baton-hook';

export interface Manifest {
  dir: string;
  /** Installed into a `core.hooksPath` outside the repository, as asked (`--global`). */
  global?: boolean;
  /**
   * `core.hooksPath` pointed outside the repository (a folder every repository of the
   * user shares): baton's hooks went into the git dir instead, through a `core.hooksPath`
   * of this repository (`local`: the value it had before, null for none); `from` is the
   * outside folder, whose hooks baton's run.
   */
  redirect?: { from: string; local: string | null };
  /** The package the hooks were installed from (also in hooks.env, for the stubs). */
  pkg?: string;
  hooks: Partial<Record<HookName, { backup: string | null; tracked?: boolean; file?: string; created?: boolean }>>;
}

interface Places {
  dir: string;
  common: string;
  backups: string;
  manifest: string;
}

async function places(root: string): Promise<Places> {
  const common = await commonGitDir(root);
  return {
    dir: resolve(root, await gitPath(root, 'hooks')),
    common,
    backups: join(stateDirIn(common), 'hooks-orig'),
    manifest: join(stateDirIn(common), 'hooks.json'),
  };
}

export function readManifest(path: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

function isOurs(path: string): boolean {
  try {
    return readFileSync(path, 'utf8').includes(MARKER) && !readFileSync(path, 'utf8').includes(TRACKED_MARKER);
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** What the stubs read when they run: kept in the git dir, never in a tracked file. */
export function hooksEnvText(pkg: string, node: string): string {
  return `# Written by \`baton hooks install\` (and by any baton command when it is stale); read by the hook stubs.\nbaton_pkg=${shellQuote(pkg)}\nbaton_node=${shellQuote(node)}\n`;
}

/** hooks.env and the copy of the sh scripts, from the package at `pkg`. */
export function writeHooksHome(common: string, pkg: string): void {
  const home = stateDirIn(common);
  mkdirSync(join(home, 'pkg', 'hooks'), { recursive: true });
  for (const script of HOOK_SCRIPTS) {
    if (!existsSync(join(pkg, 'hooks', script))) continue; // a build from before that script
    const text = readFileSync(join(pkg, 'hooks', script), 'utf8');
    const copy = join(home, 'pkg', 'hooks', script);
    if (!existsSync(copy) || readFileSync(copy, 'utf8') !== text) writeFileAtomic(copy, text);
  }
  const env = hooksEnvText(pkg, process.execPath);
  const envPath = join(home, 'hooks.env');
  if (!existsSync(envPath) || readFileSync(envPath, 'utf8') !== env) writeFileAtomic(envPath, env);
}

function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    copyFileSync(from, to);
    chmodSync(to, lstatSync(from).mode);
    rmSync(from);
  }
}

/**
 * `pkg`: the package the hooks run, `stub`: the stub's text (a refresh keeps the ones
 * installed where they are still good). By default this package's, except over hooks
 * from a newer baton whose package is still there: those are kept, and a line says so.
 */
export async function installHooks(root: string, options: { pkg?: string; stub?: string; global?: boolean } = {}): Promise<string[]> {
  const p = await places(root);
  // Parallel commands (auto --parallel) may all find the hooks stale at once: one installs, the
  // others then find ours in place. Without the lock a second one could move our stub into the
  // backups, and the stub would then chain to itself.
  mkdirSync(stateDirIn(p.common), { recursive: true });
  return withLock(join(stateDirIn(p.common), 'hooks-install.lock'), () => {
    if (options.pkg && options.stub) return install(root, p, options.pkg, options.stub, [], options.global);
    const ours = packageStub(packageRoot());
    const kept = newerInstalled(p, ours.stamp);
    if (!kept) return install(root, p, options.pkg ?? packageRoot(), options.stub ?? ours.text, [], options.global);
    const note = `kept the hooks of a newer baton (hook stamp ${stampOf(kept.stub)}, this one's is ${ours.stamp}) from ${kept.pkg}; \`baton hooks uninstall\` first to install this one's`;
    return install(root, p, kept.pkg, kept.stub, [note], options.global);
  });
}

/** The hooks installed by a newer baton whose package is still there: never replaced by an older one unasked. */
function newerInstalled(p: Places, stamp: number): { pkg: string; stub: string } | undefined {
  const pkg = readManifest(p.manifest)?.pkg;
  const stub = existsSync(join(stateDirIn(p.common), 'stub')) ? readFileSync(join(stateDirIn(p.common), 'stub'), 'utf8') : undefined;
  if (!pkg || !stub || stampOf(stub) <= stamp || !existsSync(join(pkg, 'hooks', 'baton.sh'))) return undefined;
  return { pkg, stub };
}

/** A folder outside the worktree and the git dir: shared with other repositories (a global `core.hooksPath`). */
function outsideRepository(dir: string, root: string, common: string): boolean {
  const under = (base: string) => {
    const r = relative(resolve(base), dir);
    return r === '' || (!r.startsWith('..') && !isAbsolute(r));
  };
  return !under(root) && !under(common);
}

/**
 * A `core.hooksPath` outside the repository is never written to unasked: this
 * repository gets its own (`<git dir>/baton/hooks`), whose stubs run the outside
 * folder's hooks after baton's part, so the user's hooks still run here.
 */
function redirectOutside(root: string, p: Places, manifest: Manifest, lines: string[]): Places {
  const own = join(stateDirIn(p.common), 'hooks');
  const local = gitRun(root, ['config', '--local', '--get', 'core.hooksPath']);
  manifest.redirect = { from: p.dir, local: local.code === 0 ? local.stdout.trim() : null };
  mkdirSync(own, { recursive: true });
  mkdirSync(p.backups, { recursive: true });
  for (const name of HOOK_NAMES) {
    const theirs = join(p.dir, name);
    if (!existsSync(theirs)) continue;
    const chain = join(p.backups, name);
    writeFileAtomic(chain, `#!/bin/sh\n# baton-chain: the hook in core.hooksPath outside this repository\nexec ${shellQuote(theirs)} "$@"\n`);
    chmodSync(chain, 0o755);
    manifest.hooks[name] = { backup: chain };
  }
  gitRun(root, ['config', '--local', 'core.hooksPath', own]);
  lines.push(`core.hooksPath is ${p.dir}, outside this repository: baton's hooks went into ${own} (this repository's core.hooksPath), and run the hooks there too. \`--global\` installs into ${p.dir} instead.`);
  return { ...p, dir: own };
}

function install(root: string, p: Places, pkg: string, text: string, lines: string[], global = false): string[] {
  const manifest: Manifest = readManifest(p.manifest) ?? { dir: p.dir, hooks: {} };
  if (global) manifest.global = true;
  if (!manifest.global && !manifest.redirect && outsideRepository(p.dir, root, p.common)) {
    manifest.hooks = {};
    p = redirectOutside(root, p, manifest, lines);
    manifest.dir = p.dir;
  }
  if (manifest.dir !== p.dir) manifest.hooks = {};
  manifest.dir = p.dir;
  manifest.pkg = pkg;
  mkdirSync(p.dir, { recursive: true });
  writeHooksHome(p.common, pkg);
  const stub = join(stateDirIn(p.common), 'stub');
  if (!existsSync(stub) || readFileSync(stub, 'utf8') !== text) {
    writeFileAtomic(stub, text);
    chmodSync(stub, 0o755);
  }
  const husky = huskyScripts(p.dir);
  for (const name of HOOK_NAMES) {
    if (husky) {
      installInHusky(root, p, husky, name, manifest, lines);
      continue;
    }
    const target = join(p.dir, name);
    let chain = manifest.hooks[name]?.backup ?? null;
    let note = '';
    if (exists(target) && !isOurs(target) && isTracked(root, target)) {
      // A teammate's clone has this file too: leave it where it is, add one line that runs baton's stub from the git dir.
      if (addTrackedLine(target, name)) lines.push(`${name.padEnd(12)} ${rel(root, target)} (tracked: one line added that runs baton's hook from the git dir; commit it)`);
      manifest.hooks[name] = { backup: null, tracked: true };
      continue;
    }
    if (exists(target) && !isOurs(target)) {
      // Someone's hook (or husky's regenerated stub): keep it, and run it from ours.
      mkdirSync(p.backups, { recursive: true });
      chain = join(p.backups, name);
      moveFile(target, chain);
      note = ' (runs the hook that was there too)';
    } else if (chain && !exists(chain)) {
      chain = null;
    }
    const before = exists(target) ? readFileSync(target, 'utf8') : undefined;
    if (before !== text) {
      writeFileAtomic(target, text);
      chmodSync(target, 0o755);
    }
    manifest.hooks[name] = { backup: chain };
    if (before !== text) lines.push(`${name.padEnd(12)} ${rel(root, target)}${note || (chain ? ' (runs the hook that was there too)' : '')}`);
  }
  writeFileAtomic(p.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  lines.push(...installMergeDriver(root, pkg));
  return lines;
}

/**
 * Husky 9 points `core.hooksPath` at `.husky/_`, which it writes anew on
 * every `npm install` (a stub per hook that runs `h`, which runs the tracked
 * `.husky/<hook>`): a hook of baton's put there is gone on the next install.
 * The folder husky runs, `.husky`, is what lasts: the hooks folder's parent
 * when the folder holds husky's runner `h`. Undefined for any other folder.
 */
export function huskyScripts(hooksDir: string): string | undefined {
  if (basename(hooksDir) !== '_' || !existsSync(join(hooksDir, 'h'))) return undefined;
  return dirname(hooksDir);
}

/** What husky writes in `.husky/_/<hook>`: put back where an older baton had put its stub. */
const HUSKY_STUB = '#!/usr/bin/env sh\n. "$(dirname "$0")/h"';
const HUSKY_STUB_RE = /^#!\/usr\/bin\/env sh\n\. "\$\(dirname "\$0"\)\/h"\s*$/;

/**
 * Under husky 9: baton's line in the tracked `.husky/<hook>` (created when
 * missing, the user's lines kept), which husky runs and never rewrites. The line
 * holds no path of this machine. A stub of an older baton in `.husky/_` goes,
 * so the hook does not run twice.
 */
function installInHusky(root: string, p: Places, scripts: string, name: HookName, manifest: Manifest, lines: string[]): void {
  const generated = join(p.dir, name);
  // Where the stub looks for the hook to run after baton's (hooks/stub: `baton_chain`).
  const backup = manifest.hooks[name]?.backup ?? join(p.backups, name);
  if (exists(generated) && isOurs(generated)) {
    if (exists(backup)) moveFile(backup, generated);
    else {
      writeFileAtomic(generated, HUSKY_STUB);
      chmodSync(generated, 0o755);
    }
  } else if (exists(backup) && HUSKY_STUB_RE.test(readFileSync(backup, 'utf8'))) {
    // husky wrote its stub anew over baton's: the copy baton kept would run from the git dir, where it cannot find `h`.
    rmSync(backup);
  }
  const file = join(scripts, name);
  const created = !exists(file);
  if (created) writeFileAtomic(file, trackedLine(name));
  const added = created || addTrackedLine(file, name);
  manifest.hooks[name] = { backup: null, tracked: true, file, created: created || manifest.hooks[name]?.created };
  if (added) lines.push(`${name.padEnd(12)} ${rel(root, file)} (${created ? 'created' : 'one line added'}: husky runs it; the line runs baton's hook from the git dir; commit it)`);
}

/**
 * The tracked files baton's hooks live in (husky 9's `.husky/<hook>`), relative
 * to the root: a command that commits what it wrote (`init`) commits these too,
 * so teammates' clones run baton's hooks and the checkout stays clean.
 */
export async function trackedHookPaths(root: string): Promise<string[]> {
  const manifest = readManifest((await places(root)).manifest);
  return Object.values(manifest?.hooks ?? {}).flatMap((h) => (h?.file && exists(h.file) ? [rel(root, h.file)] : []));
}

export async function uninstallHooks(root: string): Promise<string[]> {
  const p = await places(root);
  const manifest: Manifest = readManifest(p.manifest) ?? { dir: p.dir, hooks: Object.fromEntries(HOOK_NAMES.map((n) => [n, { backup: null }])) };
  const lines: string[] = [];
  for (const name of HOOK_NAMES) {
    const entry = manifest.hooks[name];
    if (entry?.file) {
      // Under husky: baton's line out of `.husky/<hook>`, and the file gone when baton created it and nothing else is left.
      if (!exists(entry.file) || !removeTrackedLine(entry.file)) continue;
      const left = readFileSync(entry.file, 'utf8');
      if (entry.created && !left.replace(/^#!.*\n?/, '').trim()) {
        rmSync(entry.file);
        lines.push(`${name.padEnd(12)} ${rel(root, entry.file)} removed (baton had created it)`);
      } else lines.push(`${name.padEnd(12)} ${rel(root, entry.file)}: baton's line removed`);
      continue;
    }
    const target = join(manifest.dir, name);
    const backup = entry?.backup ?? null;
    if (manifest.redirect) {
      // baton's own folder: its stubs and the lines that ran the outside hooks go; those hooks stay where they are.
      if (backup) rmSync(backup, { force: true });
      if (exists(target) && isOurs(target)) rmSync(target);
      continue;
    }
    if (exists(target) && removeTrackedLine(target)) {
      lines.push(`${name.padEnd(12)} ${rel(root, target)}: baton's line removed`);
      continue;
    }
    if (exists(target) && !isOurs(target)) {
      lines.push(`${name.padEnd(12)} ${rel(root, target)} is not baton's; left alone${backup && exists(backup) ? ` (the hook baton had kept is in ${backup})` : ''}`);
      continue;
    }
    if (!exists(target)) continue;
    if (backup && exists(backup)) {
      moveFile(backup, target);
      lines.push(`${name.padEnd(12)} ${rel(root, target)} restored to the hook that was there before`);
    } else {
      rmSync(target);
      lines.push(`${name.padEnd(12)} ${rel(root, target)} removed`);
    }
  }
  if (manifest.redirect) {
    const { local } = manifest.redirect;
    gitRun(root, local === null ? ['config', '--local', '--unset', 'core.hooksPath'] : ['config', '--local', 'core.hooksPath', local]);
    if (existsSync(manifest.dir) && !readdirSync(manifest.dir).length) rmdirSync(manifest.dir);
    lines.push(`core.hooksPath of this repository ${local === null ? 'removed' : `back to ${local}`}: the hooks in ${manifest.redirect.from} run here as before`);
  }
  rmSync(p.manifest, { force: true });
  for (const f of ['hooks.env', 'stub']) rmSync(join(stateDirIn(p.common), f), { force: true });
  rmSync(join(stateDirIn(p.common), 'pkg'), { recursive: true, force: true });
  lines.push(...uninstallMergeDriver(root));
  if (existsSync(p.backups) && !readdirSync(p.backups).length) rmdirSync(p.backups);
  return lines;
}

export interface HookStatus {
  hook: HookName;
  path: string;
  /** installed: baton's stub; other: someone else's hook; missing: nothing there. */
  state: 'installed' | 'other' | 'missing';
  /** A hook tracked by git that runs baton's stub through one added line. */
  tracked?: boolean;
  /** The hook baton's stub runs after its own part. */
  chains?: string;
  /** The package the stub points to is there. */
  packageFound?: boolean;
  /** The stub is from an older baton than this one (a lower hook stamp): any command but doctor replaces it. */
  older?: boolean;
}

export interface HooksStatus {
  dir: string;
  skipped: boolean;
  hooks: HookStatus[];
  /** Husky 9's folder of tracked hook scripts (`.husky`) when the hooks folder is its generated `.husky/_`. */
  husky?: string;
  /** `baton hooks install` ran in this clone (and no uninstall since): hooks that are not there went missing. */
  wasInstalled: boolean;
  /** Every commit is recorded: each of baton's hooks is where git (or husky) runs it, and its package is there. */
  inEffect: boolean;
  /** When not in effect: what is wrong and the command that fixes it. */
  fix?: string;
}

export async function hooksStatus(root: string): Promise<HooksStatus> {
  const p = await places(root);
  const manifest = readManifest(p.manifest);
  const ours = packageStub(packageRoot()).stamp;
  const husky = huskyScripts(p.dir);
  const pkgOf = (path: string) => manifest?.pkg ?? /^baton_pkg='(.*)'$/m.exec(readFileSync(path, 'utf8'))?.[1] ?? '';
  const hooks = HOOK_NAMES.map((hook): HookStatus => {
    const path = join(p.dir, hook);
    if (husky && !(exists(path) && isOurs(path))) {
      // Husky runs `.husky/<hook>` from its stub in `.husky/_`: baton's line must be in the first, the second there.
      const file = join(husky, hook);
      if (!exists(path) || !exists(file) || !readFileSync(file, 'utf8').includes(TRACKED_MARKER)) return { hook, path: file, state: 'missing' };
      return { hook, path: file, state: 'installed', tracked: true, packageFound: existsSync(join(pkgOf(file), 'hooks', 'baton.sh')) };
    }
    if (!exists(path)) return { hook, path, state: 'missing' };
    const tracked = readFileSync(path, 'utf8').includes(TRACKED_MARKER);
    if (!isOurs(path) && !tracked) return { hook, path, state: 'other' };
    const chains = manifest?.hooks[hook]?.backup ?? undefined;
    const older = !tracked && stampOf(readFileSync(path, 'utf8')) < ours || undefined;
    return { hook, path, state: 'installed', tracked: tracked || undefined, chains, packageFound: existsSync(join(pkgOf(path), 'hooks', 'baton.sh')), older };
  });
  const skipped = process.env.BATON_HOOKS === '0';
  return { dir: p.dir, skipped, hooks, husky, wasInstalled: !!manifest, ...effect(root, hooks, skipped, husky, p.dir) };
}

/** Whether every commit is recorded, and if not, why and the fix. */
function effect(root: string, hooks: HookStatus[], skipped: boolean, husky: string | undefined, dir: string): { inEffect: boolean; fix?: string } {
  const off = hooks.filter((h) => h.state !== 'installed' || h.packageFound === false);
  // An older baton's stub left in husky's folder: gone with the next `npm install`.
  const fragile = husky ? hooks.filter((h) => h.state === 'installed' && !h.tracked) : [];
  if (skipped) return { inEffect: false, fix: 'BATON_HOOKS=0 is set in this environment: commits are not recorded. Unset it.' };
  if (!off.length && !fragile.length) return { inEffect: true };
  const names = [...off, ...fragile].map((h) => `\`${h.hook}\``).join(', ');
  const what = `baton's ${names} hook${off.length + fragile.length === 1 ? ' is' : 's are'} not in effect: commits are not recorded`;
  if (!husky) return { inEffect: false, fix: `${what}. Run \`baton hooks install\` (it keeps any hook that is there and runs it too).` };
  return {
    inEffect: false,
    fix: `${what} (husky rewrites \`${rel(root, dir)}\` on every \`npm install\`). Run \`baton hooks install\`: it puts baton's line in the tracked \`${rel(root, husky)}/<hook>\` files husky runs; commit them.`,
  };
}
