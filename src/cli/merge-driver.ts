import { runPlanDriver, runTaskDriver } from '../tasks/merge-driver.js';
import { defineCommand } from './command.js';

/** Called by git (`merge.baton-plan.driver`, `merge.baton-memory.driver`, `merge.baton-task.driver`), not by people: hidden from help. */
export default defineCommand({
  command: 'merge-driver <kind> <base> <ours> <theirs> [path]',
  describe: false,
  positionals: {
    kind: { type: 'string', choices: ['plan', 'memory', 'task'], describe: 'Which file: `plan`, `memory` or `task`' },
    base: { type: 'string', describe: 'The common ancestor\'s version (%O)' },
    ours: { type: 'string', describe: 'Our version, rewritten with the result (%A)' },
    theirs: { type: 'string', describe: 'Their version (%B)' },
    path: { type: 'string', describe: 'The file\'s path in the repository (%P)' },
  },
  handler: async (argv) => {
    if (argv.kind === 'memory') {
      const { runMemoryDriver } = await import('../memory/merge.js');
      process.exitCode = runMemoryDriver(String(argv.base), String(argv.ours), String(argv.theirs), String(argv.path ?? ''));
      return;
    }
    const run = argv.kind === 'task' ? runTaskDriver : runPlanDriver;
    process.exitCode = run(String(argv.base), String(argv.ours), String(argv.theirs));
  },
});
