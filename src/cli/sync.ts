import type { CommandModule } from 'yargs';
import { requireRepo } from '../project/context.js';
import { cwdOf, json, out, type GlobalArgs } from './output.js';

/**
 * A commit cannot hold its own SHA, so the hooks queue each commit and write it
 * into memory with the next one. `sync` writes the queue now, e.g. before
 * reading memory or handing the branch to someone else.
 */
const command: CommandModule<object, GlobalArgs> = {
  command: 'sync',
  describe: 'Write the commits the hooks have queued into memory now (they otherwise land with the next commit)',
  builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as never,
  handler: async (argv) => {
    const { flushQueue } = await import('../hook/flush.js');
    const n = await flushQueue(requireRepo(cwdOf(argv)));
    if (argv.json) return json({ changed: n });
    out(n ? `${n} memory entr${n === 1 ? 'y' : 'ies'} written (not committed)` : 'Memory is up to date with history.');
  },
};
export default command;
