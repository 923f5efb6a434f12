/** A PATH with every command of this one except some (git and node share /usr/bin on most machines). */
import { existsSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './repo.js';

export function pathWithout(...names: string[]): string {
  const bin = tempDir('baton-path-');
  for (const d of (process.env.PATH ?? '').split(':').reverse()) {
    if (!d || !existsSync(d)) continue;
    for (const f of readdirSync(d)) {
      if (names.includes(f)) continue;
      rmSync(join(bin, f), { force: true });
      symlinkSync(join(d, f), join(bin, f));
    }
  }
  return bin;
}
