import { runPlanDriver } from '../tasks/merge-driver.js';
import { defineCommand } from './command.js';

/** Called by git (`merge.baton-plan.driver`), not by people: hidden from help. */
export default defineCommand({
  command: 'merge-driver <kind> <base> <ours> <theirs>',
  describe: false,
  positionals: {
    kind: { type: 'string', choices: ['plan'], describe: 'Which file: `plan`' },
    base: { type: 'string', describe: 'The common ancestor\'s version (%O)' },
    ours: { type: 'string', describe: 'Our version, rewritten with the result (%A)' },
    theirs: { type: 'string', describe: 'Their version (%B)' },
  },
  handler: (argv) => {
    process.exitCode = runPlanDriver(String(argv.base), String(argv.ours), String(argv.theirs));
  },
});
