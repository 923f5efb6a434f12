import { requireRepo } from '../workspace/context.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out } from './output.js';

/**
 * A commit cannot hold its own SHA, so the hooks queue each commit and write it
 * into memory with the next one. `sync` writes the queue now, e.g. before
 * reading memory or handing the branch to someone else.
 */
export default defineCommand({
  command: 'sync',
  describe: 'Write the commits the hooks have queued into memory now (they otherwise land with the next commit)',
  examples: [['$0 sync && $0 memory', 'read memory with the last commit in it']],
  handler: async (argv) => {
    const { flushQueue } = await import('../memory/flush.js');
    const n = await flushQueue(requireRepo(cwdOf(argv)));
    if (argv.json) return json({ changed: n });
    out(n ? `${n} memory entr${n === 1 ? 'y' : 'ies'} written (not committed)` : 'Memory is up to date with history.');
  },
});
