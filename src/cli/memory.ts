import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import type { MemoryEntry } from '../core/memory.js';
import { openProject, type Project } from '../project/context.js';
import { readAllMemory, readMemory } from '../store/memory.js';
import { loadTasks } from '../store/tasks.js';
import { defineCommand, defineGroup } from './command.js';
import { cwdOf, json, out } from './output.js';
import { parseSince, SINCE_DESCRIBE } from './since.js';

/** `T-7f`, `7f3a` or `project` → the memory file's id. */
function memoryId(project: Project, ref: string): string {
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
  let since: string | undefined;
  if (filter.since) {
    const t = Date.parse(/^\d{4}-\d\d-\d\d$/.test(filter.since) ? `${filter.since}T00:00:00Z` : filter.since);
    if (Number.isNaN(t)) {
      throw new BatonError(`\`--since ${filter.since}\` is not a date`, { hint: 'Give a date (2026-11-22) or an ISO time (2026-11-22T10:00:00Z).' });
    }
    since = new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  let re: RegExp | undefined;
  if (filter.grep) {
    try {
      re = new RegExp(filter.grep, 'i');
    } catch (error) {
      throw new BatonError(`\`--grep ${filter.grep}\` is not a regular expression`, { hint: 'Escape special characters, e.g. `\\(`.', cause: error });
    }
  }
  const kinds = filter.kinds?.flatMap((k) => k.split(',')).map((k) => k.trim()).filter(Boolean);
  return entries
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => (!kinds?.length || kinds.includes(e.kind)) && (!since || e.time >= since) && (!re || re.test(`${e.kind} ${e.ref ?? ''}\n${e.body}`)))
    .sort((a, b) => (a.e.time < b.e.time ? -1 : a.e.time > b.e.time ? 1 : a.i - b.i))
    .map(({ e }) => e);
}

const show = defineCommand({
  command: '$0 [id]',
  describe: 'Memory entries, newest last, for one task (or `project`) or all',
  positionals: { id: { type: 'string', describe: 'Task id (a unique prefix is enough) or `project`' } },
  options: {
    kind: { type: 'array', string: true, describe: 'Only these kinds (commit, attempt, result, bug, decision, …)' },
    since: { type: 'string', describe: SINCE_DESCRIBE },
    grep: { type: 'string', describe: 'Only entries matching this regular expression (case-insensitive)' },
  },
  examples: [
    ['$0 memory 7f3a', 'everything one task has recorded'],
    ['$0 memory --kind decision,bug --since 2d', 'decisions and bugs of the last two days'],
  ],
  handler: (argv) => {
    const project = openProject(cwdOf(argv));
    // A relative time is turned into an ISO one here, where "now" is known.
    const since = argv.since === undefined ? undefined : parseSince(argv.since);
    const entries = argv.id ? readMemory(project.root, memoryId(project, argv.id)).entries : readAllMemory(project.root);
    const shown = filterEntries(entries, { kinds: argv.kind, since, grep: argv.grep });
    if (argv.json) return json({ entries: shown });
    if (!shown.length) return out('No memory entries match.');
    out(shown.map((e) => `## ${e.time} ${e.kind}${e.ref ? ` ${e.ref}` : ''}  (${e.task})\n${e.body}`.trimEnd()).join('\n\n'));
  },
});

const rebuild = defineCommand({
  command: 'rebuild [id]',
  describe: 'Make commit entries again from history (Task: trailers and the task branch), keeping every other entry',
  positionals: { id: { type: 'string', describe: 'Task id or `project`; all when left out' } },
  examples: [['$0 memory rebuild', 'repair every task\'s commit entries from git history']],
  handler: async (argv) => {
    const project = openProject(cwdOf(argv));
    const { rebuildMemory } = await import('../hook/rebuild.js');
    const results = await rebuildMemory(project.root, argv.id ? memoryId(project, argv.id) : undefined);
    if (argv.json) return json({ results: results.map(({ path: _path, ...r }) => r) });
    const changed = results.filter((r) => r.added + r.replaced + r.removed);
    if (!changed.length) return out('Memory already matches history; nothing changed.');
    for (const r of changed) out(`${r.id}: ${r.added} added, ${r.replaced} rewritten, ${r.removed} removed`);
  },
});

const command = defineGroup({
  command: 'memory',
  describe: 'Read memory (filter with --kind, --since, --grep); `memory rebuild` repairs commit entries from history',
  subcommands: [rebuild, show],
});
export default command;
