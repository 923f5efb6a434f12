import type { Argv, CommandModule } from 'yargs';
import { openProject } from '../project/context.js';
import { memoryId, searchMemory } from '../project/memory-query.js';
import { cwdOf, json, out, type GlobalArgs } from './output.js';

// Kept importable from here: tests and older callers use it.
export { filterEntries, type MemoryFilter } from '../project/memory-query.js';

type Args = GlobalArgs & { id?: string; kind?: string[]; since?: string; grep?: string };

const show: CommandModule<object, Args> = {
  command: '$0 [id]',
  describe: 'Memory entries, newest last, for one task (or `project`) or all',
  builder: (y) =>
    y
      .positional('id', { type: 'string', describe: 'Task id (a unique prefix is enough) or `project`' })
      .option('kind', { type: 'array', string: true, describe: 'Only these kinds (commit, attempt, result, bug, decision, …)' })
      .option('since', { type: 'string', describe: 'Only entries at or after this date or ISO time' })
      .option('grep', { type: 'string', describe: 'Only entries matching this regular expression (case-insensitive)' })
      .option('json', { type: 'boolean', default: false }) as never,
  handler: (argv) => {
    const project = openProject(cwdOf(argv));
    const shown = searchMemory(project, argv.id, { kinds: argv.kind, since: argv.since, grep: argv.grep });
    if (argv.json) return json(shown);
    if (!shown.length) return out('No memory entries match.');
    out(shown.map((e) => `## ${e.time} ${e.kind}${e.ref ? ` ${e.ref}` : ''}  (${e.task})\n${e.body}`.trimEnd()).join('\n\n'));
  },
};

const rebuild: CommandModule<object, Args> = {
  command: 'rebuild [id]',
  describe: 'Make commit entries again from history (Task: trailers and the task branch), keeping every other entry',
  builder: (y) =>
    y.positional('id', { type: 'string', describe: 'Task id or `project`; all when left out' }).option('json', { type: 'boolean', default: false }) as never,
  handler: async (argv) => {
    const project = openProject(cwdOf(argv));
    const { rebuildMemory } = await import('../hook/rebuild.js');
    const results = await rebuildMemory(project.root, argv.id ? memoryId(project, argv.id) : undefined);
    if (argv.json) return json(results.map(({ path: _path, ...r }) => r));
    const changed = results.filter((r) => r.added + r.replaced + r.removed);
    if (!changed.length) return out('Memory already matches history; nothing changed.');
    for (const r of changed) out(`${r.id}: ${r.added} added, ${r.replaced} rewritten, ${r.removed} removed`);
  },
};

const command: CommandModule<object, GlobalArgs> = {
  command: 'memory',
  describe: 'Read memory (filter with --kind, --since, --grep); `memory rebuild` repairs commit entries from history',
  builder: (y: Argv) => y.command(rebuild).command(show) as never,
  handler: () => {},
};
export default command;
