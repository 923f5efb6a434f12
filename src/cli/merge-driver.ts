import type { CommandModule } from 'yargs';
import { runPlanDriver } from '../hook/merge-plan.js';

interface Args {
  kind: string;
  base: string;
  ours: string;
  theirs: string;
}

/** Called by git (`merge.baton-plan.driver`), not by people: hidden from help. */
const command: CommandModule<object, Args> = {
  command: 'merge-driver <kind> <base> <ours> <theirs>',
  describe: false as unknown as string,
  builder: (y) => y.positional('kind', { type: 'string', choices: ['plan'] }) as never,
  handler: (argv) => {
    process.exitCode = runPlanDriver(String(argv.base), String(argv.ours), String(argv.theirs));
  },
};
export default command;
