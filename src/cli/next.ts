import { openProject } from '../project/context.js';
import { nextReport } from '../project/status.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out, table } from './output.js';

export default defineCommand({
  command: 'next',
  describe: 'The ready tasks, in the order to take them',
  options: {
    limit: { alias: 'n', type: 'number', min: 0, describe: 'Show at most N' },
  },
  examples: [
    ['$0 next', 'every ready task, first to take first'],
    ['$0 next -n 1 --json', 'the one task to take now, as JSON'],
  ],
  handler: async (argv) => {
    let ready = await nextReport(openProject(cwdOf(argv)));
    if (argv.limit !== undefined) ready = ready.slice(0, argv.limit);
    if (argv.json) return json({ tasks: ready });
    if (!ready.length) return out('Nothing is ready. `baton status` shows what the tasks wait on.');
    out(table(ready.map((t) => [t.id, t.phase ?? '', t.title])));
  },
});
