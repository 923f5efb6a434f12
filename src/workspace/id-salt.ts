/**
 * This clone's salt for task ids drawn from an answer's text (core/ids.ts
 * `seededHex`): made once, kept in the git dir, never committed. Two clones
 * importing the same answer get different ids; one clone gets the same ids
 * from `--dry-run` and from the import that follows it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sharedStateDir } from './paths.js';

export function idSalt(root: string): string {
  const file = join(sharedStateDir(root), 'id-salt');
  try {
    const salt = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{16,}$/.test(salt)) return salt;
  } catch {
    // first use: made below
  }
  const salt = process.getBuiltinModule('node:crypto').randomBytes(16).toString('hex');
  mkdirSync(dirname(file), { recursive: true });
  // `wx`: two imports at once keep the first salt written.
  try {
    writeFileSync(file, `${salt}\n`, { flag: 'wx' });
  } catch {
    return readFileSync(file, 'utf8').trim();
  }
  return salt;
}
