import type { CommandModule } from 'yargs';
import { openProject } from '../project/context.js';
import { nextReport } from '../project/status.js';
import { cwdOf, json, out, table, type GlobalArgs } from './output.js';

const command: CommandModule<object, GlobalArgs & { limit?: number }> = {
  command: 'next',
  describe: 'The ready tasks, in the order to take them',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' })
      .option('limit', { alias: 'n', type: 'number', describe: 'Show at most N' }) as never,
  handler: async (argv) => {
    let ready = await nextReport(openProject(cwdOf(argv)));
    if (argv.limit !== undefined) ready = ready.slice(0, argv.limit);
    if (argv.json) return json(ready);
    if (!ready.length) return out('Nothing is ready. `baton status` shows what the tasks wait on.');
    out(table(ready.map((t) => [t.id, t.phase ?? '', t.title])));
  },
};
export default command;
