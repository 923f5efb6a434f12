/**
 * Any baton command repairs stale hooks before it runs: the package the stubs
 * ran has moved or gone (an npx cache cleared, a global install moved), the
 * stubs are from an older baton than this one, a stub was overwritten, or the
 * copy of the sh scripts in the git dir is out of date. When nothing is stale this costs a
 * few small reads: no git process, no simple-git.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commonGitDirOf, findRepoRoot } from '../git/gitdir.js';
import { HOOK_NAMES, packageRoot } from '../workspace/package.js';
import { stateDirIn } from '../workspace/paths.js';
import { HOOK_SCRIPTS, packageStub, stampOf } from './stamp.js';

interface ManifestLike {
  dir: string;
  pkg?: string;
  hooks: Partial<Record<string, { tracked?: boolean }>>;
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

const hasScripts = (pkg: string | undefined): pkg is string => !!pkg && existsSync(join(pkg, 'hooks', 'baton.sh'));

/** What a refresh installs: the package the stubs run, the stub's text, and why. */
export interface Stale {
  root: string;
  pkg: string;
  stub: string;
  reason: string;
}

/**
 * Why the hooks need reinstalling, or undefined when they are fine. Hooks
 * from an older baton (a lower stamp, stamp.ts) are replaced by ours; hooks
 * from a newer or equal one are kept, and only repaired (a stub overwritten,
 * a stale copy of the scripts) with their own stub and package, so worktrees
 * that run different builds of baton never take turns reinstalling them.
 */
export function staleHooks(cwd: string): Stale | undefined {
  const root = findRepoRoot(cwd);
  if (!root) return undefined;
  const home = stateDirIn(commonGitDirOf(root));
  const text = read(join(home, 'hooks.json'));
  if (!text) return undefined; // never installed, or uninstalled: not ours to add
  const manifest = JSON.parse(text) as ManifestLike;
  const ours = packageStub(packageRoot());
  const fresh = (reason: string): Stale => ({ root, pkg: packageRoot(), stub: ours.text, reason });
  if (!manifest.pkg) {
    // Stubs from before hooks.env, with their package path written in them: they work while it is there.
    const old = /^baton_pkg='(.*)'$/m.exec(read(join(manifest.dir, 'pre-commit')) ?? '')?.[1];
    return hasScripts(old) ? undefined : fresh('the package they ran is gone');
  }
  if (!hasScripts(manifest.pkg)) return fresh(`the package they ran is gone (${manifest.pkg})`);
  const installed = read(join(home, 'stub'));
  const stamp = stampOf(installed);
  if (ours.stamp > stamp) return fresh(`they were from an older baton: hook stamp ${stamp}, now ${ours.stamp}`);
  if (!installed || !existsSync(join(home, 'hooks.env'))) return fresh('their files in the git dir are missing');
  const keep = (reason: string): Stale => ({ root, pkg: manifest.pkg!, stub: installed, reason });
  for (const name of HOOK_NAMES) {
    if (manifest.hooks[name]?.tracked) continue;
    if (read(join(manifest.dir, name)) !== installed) return keep(`${name} was replaced`);
  }
  // Installed before memory had its merge driver (memory/merge.ts): register it.
  const config = read(join(commonGitDirOf(root), 'config'));
  if (!config?.includes('[merge "baton-memory"]')) return keep('the memory merge driver is not registered');
  // Installed before task files had theirs (tasks/merge-driver.ts): register it.
  if (!config.includes('[merge "baton-task"]')) return keep('the task files\' merge driver is not registered');
  for (const script of HOOK_SCRIPTS) {
    if (read(join(home, 'pkg', 'hooks', script)) !== read(join(manifest.pkg, 'hooks', script))) return keep('their copy of the scripts is out of date');
  }
  return undefined;
}

/** Reinstall stale hooks; one line on stderr says so. Never stops the command that called it. */
export async function refreshStaleHooks(cwd: string): Promise<void> {
  if (process.env.BATON_HOOKS === '0') return;
  try {
    const stale = staleHooks(cwd);
    if (!stale) return;
    const { installHooks } = await import('./install.js');
    await installHooks(stale.root, { pkg: stale.pkg, stub: stale.stub });
    process.stderr.write(`baton: reinstalled the git hooks (${stale.reason})\n`);
  } catch {
    // `baton doctor` reports hooks that are missing or stale; a command is never stopped for them.
  }
}
