/**
 * Keys from a `.env` file at the repository root, for the commands that call
 * models. Node's own loader (`process.loadEnvFile`) never overrides a variable
 * already in the environment, so an exported key always wins. The file stays
 * the user's: baton only reads it (keep it out of git; keys never go in files
 * baton writes).
 */
import { join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { findRepoRoot } from '../git/gitdir.js';

export function loadDotEnv(cwd: string): string | undefined {
  const root = findRepoRoot(cwd);
  if (!root) return undefined;
  const path = join(root, '.env');
  try {
    process.loadEnvFile(path);
    return path;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BatonError(`cannot read ${path}: ${(error as Error).message}`, { file: '.env', hint: 'Fix the file (`KEY=value` lines) or remove it.' });
  }
}
