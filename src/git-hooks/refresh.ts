/**
 * Any baton command repairs stale hooks before it runs: the package the stubs
 * ran has moved or gone (an npx cache cleared, a global install moved), a
 * stub was overwritten or is from another version, or the copy of the sh
 * scripts in the git dir is out of date. When nothing is stale this costs a
 * few small reads: no git process, no simple-git.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commonGitDirOf, findRepoRoot, gitDirOf } from '../git/gitdir.js';
import { HOOK_NAMES, packageRoot } from '../workspace/package.js';
import { stateDirIn } from '../workspace/paths.js';

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

/** Why the hooks need reinstalling, or undefined when they are fine; `pkg` is the package to point them at. */
export function staleHooks(cwd: string): { root: string; pkg: string; reason: string } | undefined {
  const root = findRepoRoot(cwd);
  if (!root) return undefined;
  const common = commonGitDirOf(root);
  const text = read(join(stateDirIn(common), 'hooks.json'));
  if (!text) return undefined; // never installed, or uninstalled: not ours to add
  const manifest = JSON.parse(text) as ManifestLike;
  if (!manifest.pkg) {
    // Stubs from before hooks.env, with their package path written in them: they work while it is there.
    const old = /^baton_pkg='(.*)'$/m.exec(read(join(manifest.dir, 'pre-commit')) ?? '')?.[1];
    return hasScripts(old) ? undefined : { root, pkg: packageRoot(), reason: 'the package they ran is gone' };
  }
  if (!hasScripts(manifest.pkg)) return { root, pkg: packageRoot(), reason: `the package they ran is gone (${manifest.pkg})` };
  const stub = read(join(packageRoot(), 'hooks', 'stub'));
  const pkg = manifest.pkg;
  if (read(join(stateDirIn(common), 'stub')) !== stub || !existsSync(join(stateDirIn(common), 'hooks.env'))) return { root, pkg, reason: 'their files in the git dir are out of date' };
  for (const name of HOOK_NAMES) {
    if (manifest.hooks[name]?.tracked) continue;
    if (read(join(manifest.dir, name)) !== stub) return { root, pkg, reason: `${name} was replaced or is from another version` };
  }
  // Installed before memory had its merge driver (memory/merge.ts): register it.
  if (!read(join(common, 'config'))?.includes('[merge "baton-memory"]')) return { root, pkg, reason: 'the memory merge driver is not registered' };
  for (const script of ['baton.sh', 'format-entries.awk']) {
    if (read(join(stateDirIn(common), 'pkg', 'hooks', script)) !== read(join(pkg, 'hooks', script))) return { root, pkg, reason: 'their copy of the scripts is out of date' };
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
    await installHooks(stale.root, { pkg: stale.pkg });
    process.stderr.write(`baton: reinstalled the git hooks (${stale.reason})\n`);
  } catch {
    // `baton doctor` reports hooks that are missing or stale; a command is never stopped for them.
  }
}
