#!/usr/bin/env node
/**
 * hooks/secret-shapes.txt (the one table of secret shapes, which the sh hooks
 * read at each commit) → src/core/secret-shapes.ts (what redact.ts uses), so the
 * hooks and Node redact the same shapes. Run by `npm run build` before tsc;
 * `--check` exits 1 when the TS file is not what the table makes (a test runs it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TABLE = join(ROOT, 'hooks', 'secret-shapes.txt');
const OUT = join(ROOT, 'src', 'core', 'secret-shapes.ts');

/** Pure: the table's text → its rows. */
export function parseShapes(text) {
  const rows = [];
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [name, secret, ...rest] = line.split('\t');
    if (!name || !secret) throw new Error(`hooks/secret-shapes.txt:${i + 1}: expected "name<TAB>pattern", got ${JSON.stringify(line)}`);
    const row = { name, secret };
    for (const field of rest) {
      if (field === 'word') row.word = true;
      else if (field.startsWith('before=')) row.before = field.slice(7);
      else if (field.startsWith('after=')) row.after = field.slice(6);
      else throw new Error(`hooks/secret-shapes.txt:${i + 1}: unknown field ${JSON.stringify(field)}`);
    }
    rows.push(row);
  }
  return rows;
}

/** Pure: the rows → the TS module's text. */
export function renderShapes(rows) {
  const body = rows.map((r) => `  { ${Object.entries(r).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')} },`).join('\n');
  return `// Generated from hooks/secret-shapes.txt by scripts/secret-shapes.mjs (npm run build): edit the table, not this file.
export interface SecretShape {
  name: string;
  /** The secret, a POSIX ERE (also a valid JS pattern). */
  secret: string;
  /** Kept text that must come before it. */
  before?: string;
  /** Kept text that must follow it. */
  after?: string;
  /** The secret must end a word. */
  word?: boolean;
}

export const SECRET_SHAPES: readonly SecretShape[] = [
${body}
];
`;
}

const made = renderShapes(parseShapes(readFileSync(TABLE, 'utf8')));
if (process.argv.includes('--check')) {
  let now = '';
  try {
    now = readFileSync(OUT, 'utf8');
  } catch {}
  if (now !== made) {
    console.error('src/core/secret-shapes.ts is not what hooks/secret-shapes.txt makes: run `node scripts/secret-shapes.mjs`.');
    process.exit(1);
  }
} else {
  let now = '';
  try {
    now = readFileSync(OUT, 'utf8');
  } catch {}
  if (now !== made) writeFileSync(OUT, made);
}
