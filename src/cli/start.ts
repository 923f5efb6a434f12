import type { CommandModule } from 'yargs';
import { openProject } from '../project/context.js';
import { startTask } from '../project/start.js';
import { cwdOf, json, out, type GlobalArgs } from './output.js';

interface Args extends GlobalArgs {
  id: string;
  worktree: boolean;
  force: boolean;
}

const command: CommandModule<object, Args> = {
  command: 'start <id>',
  describe: "Take a task: its branch (or a worktree), status in-progress, an attempt entry in its memory",
  builder: (y) =>
    y
      .positional('id', { type: 'string', describe: 'Task id or unique prefix' })
      .option('worktree', { alias: 'w', type: 'boolean', default: false, describe: 'Work in a separate worktree (worktree_dir in config)' })
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Start it even if it is not ready' })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as never,
  handler: async (argv) => {
    const r = await startTask(openProject(cwdOf(argv)), String(argv.id), { worktree: argv.worktree, force: argv.force });
    if (argv.json) return json(r);
    const how = r.created ? 'created' : 'switched to';
    out(`${r.id}: ${how} ${r.branch}${r.worktree ? ` in the worktree ${r.dir}` : ''}; attempt ${r.attempt}, status in-progress.`);
    if (r.worktree) out(`Work there: cd ${r.dir}`);
    out(`Next: \`baton prompt ${r.id} --copy\` for the agent, then \`baton log ${r.id} --from REPORT.md\`.`);
  },
};
export default command;
