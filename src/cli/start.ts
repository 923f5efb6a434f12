import type { CommandModule } from 'yargs';
import { openProject } from '../project/context.js';
import { startTask } from '../project/start.js';
import { cwdOf, json, out, type GlobalArgs } from './output.js';

interface Args extends GlobalArgs {
  id: string;
  worktree: boolean;
  force: boolean;
  remote?: string;
}

const command: CommandModule<object, Args> = {
  command: 'start <id>',
  describe: "Take a task: its branch (or a worktree), status in-progress, an attempt entry in its memory",
  builder: (y) =>
    y
      .positional('id', { type: 'string', describe: 'Task id or unique prefix' })
      .option('worktree', { alias: 'w', type: 'boolean', default: false, describe: 'Work in a separate worktree (worktree_dir in config)' })
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Start it even if it is not ready' })
      .option('remote', { type: 'string', describe: 'Claim it on this git remote first (refs/baton/claims/<id>) and push its branch (config: remote.name)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as never,
  handler: async (argv) => {
    const project = openProject(cwdOf(argv));
    const { claimIfShared } = await import('../remote/manual.js');
    const claimed = claimIfShared(project, argv.remote, String(argv.id));
    let r;
    try {
      r = await startTask(project, String(argv.id), { worktree: argv.worktree, force: argv.force });
    } catch (error) {
      await claimed?.runner.release(claimed.task);
      throw error;
    }
    claimed?.runner.pushBranch(claimed.task);
    const claim = claimed?.runner.detach(claimed.task.id);
    if (argv.json) return json(claim ? { ...r, claim } : r);
    if (claim) out(`Claimed on ${claimed!.runner.settings.remote} as ${claim.runner} until ${claim.expires}; the branch is pushed there.`);
    const how = r.created ? 'created' : 'switched to';
    out(`${r.id}: ${how} ${r.branch}${r.worktree ? ` in the worktree ${r.dir}` : ''}; attempt ${r.attempt}, status in-progress.`);
    if (r.worktree) out(`Work there: cd ${r.dir}`);
    out(`Next: \`baton prompt ${r.id} --copy\` for the agent, then \`baton log ${r.id} --from REPORT.md\`.`);
  },
};
export default command;
