/** Printing: plain text for people, JSON for programs (shapes in docs/json.md). */
import { resolve } from 'node:path';
import { forTerminal, jsonForTerminal } from '../core/terminal.js';
import { BatonError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { colourOn } from './render/colour.js';
import { camelKeys } from '../core/json-keys.js';

export interface GlobalArgs {
  C?: string;
  json?: boolean;
}

/** Bumped when a JSON shape changes in a way a reader must know about (docs/json.md). */
export const SCHEMA_VERSION = 1;

export function cwdOf(argv: GlobalArgs): string {
  return resolve(process.cwd(), argv.C ?? '.');
}

// Titles, memory and check output come from files anyone can edit: their control characters are shown, never run.
export function out(text: string): void {
  const safe = forTerminal(text, { keepColour: colourOn(process.stdout) });
  process.stdout.write(safe.endsWith('\n') ? safe : `${safe}\n`);
}

export function err(text: string): void {
  const safe = forTerminal(text, { keepColour: colourOn(process.stderr) });
  process.stderr.write(safe.endsWith('\n') ? safe : `${safe}\n`);
}

/**
 * Every JSON answer is one object: `schemaVersion` first, then the data with camelCase keys
 * (task files say `depends_on`; programs reading baton get `dependsOn`, like every other key).
 * Lists are wrapped under a name (`tasks`, `entries`) so the version has a place to live.
 */
export function json<T extends object>(data: T extends readonly unknown[] ? never : T): void {
  if (Array.isArray(data)) throw new TypeError('json() takes an object: wrap a list under a name, e.g. { tasks }');
  process.stdout.write(`${jsonForTerminal(JSON.stringify({ schemaVersion: SCHEMA_VERSION, ...(camelKeys(data) as object) }, null, 2))}\n`);
}

/** Under `--json`, errors are JSON too, on stderr, so a program never parses prose. */
export function jsonError(error: unknown, exitCode: number): void {
  const e = error instanceof BatonError
    ? { message: redact(error.message), file: error.file, line: error.line, hint: error.hint === undefined ? undefined : redact(error.hint), exitCode }
    : { message: redact(error instanceof Error ? error.message : String(error)), exitCode };
  process.stderr.write(`${JSON.stringify({ schemaVersion: SCHEMA_VERSION, error: e }, null, 2)}\n`);
}

export { camelKeys };

/**
 * A closed pipe (`baton status | head -1`) ends the process quietly, as it would for any Unix
 * tool: without this, Node throws an unhandled EPIPE with a stack trace.
 */
export function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    });
  }
}

/** Left-aligned columns, for lists of tasks; `paint` colours a cell after it is padded. */
export function table(rows: string[][], paint?: (column: number, cell: string, padded: string) => string): string {
  const widths: number[] = [];
  rows = rows.map((r) => r.map((c) => forTerminal(c)));
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows
    .map((r) => r.map((c, i) => {
      const padded = i === r.length - 1 ? c : c.padEnd(widths[i]!);
      return paint ? paint(i, c, padded) : padded;
    }).join('  ').trimEnd())
    .join('\n');
}

