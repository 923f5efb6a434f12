/**
 * `baton hooks install|uninstall|status`. The stubs go where git looks for
 * hooks (`.git/hooks`, or `core.hooksPath`: husky, lefthook, a team folder),
 * shared by every worktree. A hook already there is moved into the git dir
 * and run by the stub, and `uninstall` moves it back byte for byte.
 */
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, rmdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { commonGitDir, gitPath } from '../git/history.js';
import { writeFileAtomic } from '../store/atomic.js';
import { rel } from '../store/paths.js';
import { installMergeDriver, uninstallMergeDriver } from './merge-plan.js';
import { HOOK_NAMES, packageRoot, type HookName } from './package.js';

const MARKER = '# baton-hook ';

interface Manifest {
  dir: string;
  hooks: Partial<Record<HookName, { backup: string | null }>>;
}

interface Places {
  dir: string;
  backups: string;
  manifest: string;
}

async function places(root: string): Promise<Places> {
  const common = await commonGitDir(root);
  return {
    dir: await gitPath(root, 'hooks'),
    backups: join(common, 'baton', 'hooks-orig'),
    manifest: join(common, 'baton', 'hooks.json'),
  };
}

function readManifest(path: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

function isOurs(path: string): boolean {
  try {
    return readFileSync(path, 'utf8').includes(MARKER);
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

/** The package's stub for `name` with the paths it needs filled in. */
export function stubText(name: HookName, chain: string | null): string {
  const pkg = packageRoot();
  return readFileSync(join(pkg, 'hooks', name), 'utf8')
    .replace(/^baton_pkg=''$/m, `baton_pkg=${shellQuote(pkg)}`)
    .replace(/^baton_node=''$/m, `baton_node=${shellQuote(process.execPath)}`)
    .replace(/^baton_chain=''$/m, `baton_chain=${shellQuote(chain ?? '')}`);
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

export async function installHooks(root: string): Promise<string[]> {
  const p = await places(root);
  const manifest: Manifest = readManifest(p.manifest) ?? { dir: p.dir, hooks: {} };
  if (manifest.dir !== p.dir) manifest.hooks = {};
  manifest.dir = p.dir;
  mkdirSync(p.dir, { recursive: true });
  const lines: string[] = [];
  for (const name of HOOK_NAMES) {
    const target = join(p.dir, name);
    let chain = manifest.hooks[name]?.backup ?? null;
    let note = '';
    if (exists(target) && !isOurs(target)) {
      // Someone's hook (or husky's regenerated stub): keep it, and run it from ours.
      mkdirSync(p.backups, { recursive: true });
      chain = join(p.backups, name);
      moveFile(target, chain);
      note = ' (runs the hook that was there too)';
    } else if (chain && !exists(chain)) {
      chain = null;
    }
    const text = stubText(name, chain);
    const before = exists(target) ? readFileSync(target, 'utf8') : undefined;
    if (before !== text) {
      writeFileAtomic(target, text);
      chmodSync(target, 0o755);
    }
    manifest.hooks[name] = { backup: chain };
    if (before !== text) lines.push(`${name.padEnd(12)} ${rel(root, target)}${note || (chain ? ' (runs the hook that was there too)' : '')}`);
  }
  writeFileAtomic(p.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  lines.push(...installMergeDriver(root));
  return lines;
}

export async function uninstallHooks(root: string): Promise<string[]> {
  const p = await places(root);
  const manifest = readManifest(p.manifest) ?? { dir: p.dir, hooks: Object.fromEntries(HOOK_NAMES.map((n) => [n, { backup: null }])) };
  const lines: string[] = [];
  for (const name of HOOK_NAMES) {
    const target = join(manifest.dir, name);
    const backup = manifest.hooks[name]?.backup ?? null;
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
  rmSync(p.manifest, { force: true });
  lines.push(...uninstallMergeDriver(root));
  if (existsSync(p.backups) && !readdirSync(p.backups).length) rmdirSync(p.backups);
  return lines;
}

export interface HookStatus {
  hook: HookName;
  path: string;
  /** installed: baton's stub; other: someone else's hook; missing: nothing there. */
  state: 'installed' | 'other' | 'missing';
  /** The hook baton's stub runs after its own part. */
  chains?: string;
  /** The package the stub points to is there. */
  packageFound?: boolean;
}

export async function hooksStatus(root: string): Promise<{ dir: string; skipped: boolean; hooks: HookStatus[] }> {
  const p = await places(root);
  const manifest = readManifest(p.manifest);
  const hooks = HOOK_NAMES.map((hook): HookStatus => {
    const path = join(p.dir, hook);
    if (!exists(path)) return { hook, path, state: 'missing' };
    if (!isOurs(path)) return { hook, path, state: 'other' };
    const pkg = /^baton_pkg='(.*)'$/m.exec(readFileSync(path, 'utf8'))?.[1] ?? '';
    const chains = manifest?.hooks[hook]?.backup ?? undefined;
    return { hook, path, state: 'installed', chains, packageFound: existsSync(join(pkg, 'hooks', 'baton.sh')) };
  });
  return { dir: p.dir, skipped: process.env.BATON_HOOKS === '0', hooks };
}
