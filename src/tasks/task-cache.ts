/**
 * The task cache's format, in the git dir (workspace/stat-cache.ts). Two files:
 * the tasks' fields (what `status`, `next` and the graph read) and their bodies
 * with key lines (what a prompt or `task show --json` reads). The fields file
 * holds one entry per line, so `task show` reads one task without parsing the
 * rest. Internal and versioned: another version is read as no cache.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import type { Problem } from '../core/errors.js';
import type { Status, TaskHead } from '../core/task.js';
import { cacheFile, fresh } from '../workspace/stat-cache.js';

export type CachedHead = Omit<TaskHead, 'path'>;
/**
 * A task file's entry: its stat (size, mtime, ctime, inode) then the task's
 * fields, as one array: a quarter less JSON than an object with named keys,
 * and one object for the GC instead of three (5,000 of them are parsed on every `status`).
 * A file that is not a task keeps its stat and problems under names.
 */
export type HeadRow = [number, number, number, number, string, string, Status, string[], string | null, string | null, string[], string[], string | null, string | null];
export type HeadEntry = HeadRow | { stat: number[]; problems: Problem[] };

export function headRow(stat: number[], f: CachedHead): HeadRow {
  return [stat[0]!, stat[1]!, stat[2]!, stat[3]!, f.id, f.title, f.status, f.depends_on, f.phase ?? null, f.branch ?? null, f.files, f.checks, f.role ?? null, f.created ?? null];
}

/**
 * The TaskHead of a row, every field in one order: objects of one shape, where
 * objects from JSON.parse came as many hidden classes and sorting 5,000 of them
 * ran ~7x slower. null in the JSON is an absent field.
 */
export function rowHead(r: HeadRow, path: string): TaskHead {
  return { id: r[4], title: r[5], status: r[6], depends_on: r[7], phase: r[8] ?? undefined, branch: r[9] ?? undefined, files: r[10], checks: r[11], role: r[12] ?? undefined, created: r[13] ?? undefined, path };
}

/**
 * By file name: the entry (above);
 * `dir`: the tasks folder's stat when it was listed (a file added, removed or renamed changes it).
 * Written one entry per line (headsText), so one task can be read without parsing the rest.
 */
export interface HeadCache { version: number; dir?: number[]; entries: Record<string, HeadEntry> }
export interface DetailCache { version: number; entries: Record<string, { stat: number[]; body: string; lines: Record<string, number> }> }
export const CACHE_VERSION = 6;
export const HEADS = 'task-cache.json';
export const DETAILS = 'task-details.json';

/** The heads cache as JSON with one entry per line (JSON.stringify escapes every newline inside a value). */
export function headsText(cache: HeadCache): string {
  const lines = Object.entries(cache.entries).map(([name, entry]) => `${JSON.stringify(name)}:${JSON.stringify(entry)}`);
  return `{"version":${cache.version},"dir":${JSON.stringify(cache.dir)},"entries":{\n${lines.join(',\n')}\n}}\n`;
}

/**
 * From the heads cache, without parsing all of it: the names of task files
 * starting with `prefix` (only while the tasks folder is as it was when the
 * cache listed it) and a reader of one entry.
 */
export function headsLookup(root: string, dir: string): { names: (prefix: string) => string[]; entry: (name: string) => HeadEntry | undefined; racyFromMs: number } | undefined {
  const file = cacheFile(root, HEADS);
  if (!file) return undefined;
  // Bytes, not text: decoding 1.6 MB (5,000 tasks) as UTF-8 cost more than the rest of `task show`.
  let bytes: Buffer;
  let racyFromMs: number;
  let dirStat: Stats;
  try {
    racyFromMs = Math.floor(statSync(file).mtimeMs / 1000) * 1000;
    bytes = readFileSync(file);
    dirStat = statSync(dir);
  } catch {
    return undefined;
  }
  const head = /^\{"version":(\d+),"dir":(\[[^\]]*\])/.exec(bytes.toString('utf8', 0, 200));
  if (!head || Number(head[1]) !== CACHE_VERSION || !fresh(dirStat, JSON.parse(head[2]!) as number[], racyFromMs)) return undefined;
  const lineEnd = (from: number) => {
    const end = bytes.indexOf(10, from);
    return end === -1 ? bytes.length : end;
  };
  return {
    racyFromMs,
    names: (prefix) => {
      const found: string[] = [];
      for (let at = bytes.indexOf(`\n"${prefix}`); at !== -1; at = bytes.indexOf(`\n"${prefix}`, at + 1)) {
        const line = bytes.toString('utf8', at + 1, lineEnd(at + 1));
        found.push(JSON.parse(line.slice(0, line.indexOf('":') + 1)) as string);
      }
      return found;
    },
    entry: (name) => {
      const key = `\n${JSON.stringify(name)}:`;
      const at = bytes.indexOf(key);
      if (at === -1) return undefined;
      const line = bytes.toString('utf8', at + Buffer.byteLength(key), lineEnd(at + 1));
      return JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line) as HeadEntry;
    },
  };
}

