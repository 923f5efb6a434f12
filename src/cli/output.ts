/** Printing: plain text for people, JSON for programs. */
import { resolve } from 'node:path';

export interface GlobalArgs {
  C?: string;
  json?: boolean;
}

export function cwdOf(argv: GlobalArgs): string {
  return resolve(process.cwd(), argv.C ?? '.');
}

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function json(data: unknown): void {
  process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
}

export const jsonOption = { json: { type: 'boolean', describe: 'Print JSON', default: false } } as const;

/** Left-aligned columns, for lists of tasks. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}
