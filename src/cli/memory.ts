import { openProject } from '../workspace/context.js';
import { memoryId, searchMemory } from '../workflow/memory-query.js';
import { defineCommand, defineGroup } from './command.js';
import { cwdOf, json, out } from './output.js';
import { SINCE_DESCRIBE } from '../core/since.js';

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
    const shown = searchMemory(project, argv.id, { kinds: argv.kind, since: argv.since, grep: argv.grep });
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
    const { rebuildMemory } = await import('../memory/rebuild.js');
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
