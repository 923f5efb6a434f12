/**
 * Reading memory with filters: what `baton memory` prints and the MCP tool
 * `memory_search` returns, from one function.
 */
import { unsafePattern } from '../core/safe-pattern.js';
import { BatonError, USAGE_EXIT } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { resolveTask } from '../core/ids.js';
import { parseSince } from '../core/since.js';
import { ENTRY_KINDS, type MemoryEntry } from '../memory/entry.js';
import { readAllMemory, readMemory } from '../memory/file.js';
import { loadTasks } from '../tasks/task-files.js';
import type { Project } from '../workspace/context.js';

/** `T-7f`, `7f3a` or `project` → the memory file's id. */
export function memoryId(project: Project, ref: string): string {
  if (ref === 'project') return ref;
  return resolveTask(loadTasks(project.root).tasks, ref).id;
}

export interface MemoryFilter {
  kinds?: string[];
  since?: string;
  grep?: string;
}

/** Pure: entries matching the filter, oldest first (stable within a time). */
export function filterEntries(entries: MemoryEntry[], filter: MemoryFilter): MemoryEntry[] {
  // A relative time (`2d`) is counted back from now, here, where the caller's clock is.
  const since = filter.since ? parseSince(filter.since) : undefined;
  let re: RegExp | undefined;
  if (filter.grep) {
    const unsafe = unsafePattern(filter.grep);
    if (unsafe) {
      throw new BatonError(`\`--grep\` pattern refused: ${unsafe}; it could take minutes to run`, {
        hint: 'Search for plain words, or a simpler pattern (`timeout|retry`, `fail.*login`).',
      });
    }
    try {
      re = new RegExp(filter.grep, 'i');
    } catch (error) {
      throw new BatonError(`\`--grep ${filter.grep}\` is not a regular expression`, { hint: 'Escape special characters, e.g. `\\(`.', cause: error });
    }
  }
  const kinds = filter.kinds?.flatMap((k) => k.split(',')).map((k) => k.trim()).filter(Boolean);
  for (const k of kinds ?? []) {
    if ((ENTRY_KINDS as readonly string[]).includes(k)) continue;
    throw new BatonError(`\`--kind ${k}\` is not a kind of memory entry.${didYouMean(k, ENTRY_KINDS)}`, {
      hint: `Kinds: ${ENTRY_KINDS.join(', ')}.`, exitCode: USAGE_EXIT,
    });
  }
  return entries
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => (!kinds?.length || kinds.includes(e.kind)) && (!since || e.time >= since) && (!re || re.test(`${e.kind} ${e.ref ?? ''}\n${e.body}`)))
    .sort((a, b) => (a.e.time < b.e.time ? -1 : a.e.time > b.e.time ? 1 : a.i - b.i))
    .map(({ e }) => e);
}

/** One task's memory (or `project`), or all of it, filtered. */
export function searchMemory(project: Project, ref: string | undefined, filter: MemoryFilter): MemoryEntry[] {
  const entries = ref ? readMemory(project.root, memoryId(project, ref)).entries : readAllMemory(project.root);
  return filterEntries(entries, filter);
}
