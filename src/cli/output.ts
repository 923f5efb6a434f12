/** Printing: plain text for people, JSON for programs. */
import { resolve } from 'node:path';
import { forTerminal, jsonForTerminal } from '../core/terminal.js';

export interface GlobalArgs {
  C?: string;
  json?: boolean;
}

export function cwdOf(argv: GlobalArgs): string {
  return resolve(process.cwd(), argv.C ?? '.');
}

// Titles, memory and check output come from files anyone can edit: their control characters are shown, never run.
export function out(text: string): void {
  const safe = forTerminal(text);
  process.stdout.write(safe.endsWith('\n') ? safe : `${safe}\n`);
}

export function err(text: string): void {
  const safe = forTerminal(text);
  process.stderr.write(safe.endsWith('\n') ? safe : `${safe}\n`);
}

export function json(data: unknown): void {
  process.stdout.write(`${jsonForTerminal(JSON.stringify(data, null, 2))}\n`);
}

export const jsonOption = { json: { type: 'boolean', describe: 'Print JSON', default: false } } as const;

/** Left-aligned columns, for lists of tasks. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  rows = rows.map((r) => r.map(forTerminal));
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}
