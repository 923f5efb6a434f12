/** Where the package's hooks/ folder is at run time: beside dist/, in the package root. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HOOK_NAMES = ['pre-commit', 'commit-msg', 'post-commit', 'post-merge', 'post-rewrite'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** dist/hook/package.js → the package root (the parent of dist/). */
export function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function packageHooksDir(): string {
  return join(packageRoot(), 'hooks');
}

/** Memory entries name commits by their first 12 hex digits: fixed, so a rebuild writes the same text. */
export const SHORT_SHA = 12;
export const shortSha = (sha: string): string => sha.slice(0, SHORT_SHA);
