import { openProject } from '../workspace/context.js';
import { startTask } from '../workflow/start.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out } from './output.js';

export default defineCommand({
  command: 'start <id>',
  describe: "Take a task: its branch (or a worktree), status in-progress, an attempt entry in its memory",
  positionals: { id: { type: 'string', describe: 'Task id or unique prefix' } },
  options: {
    worktree: { alias: 'w', type: 'boolean', default: false, describe: 'Work in a separate worktree (worktree_dir in config)' },
    force: { alias: 'f', type: 'boolean', default: false, describe: 'Start it even if it is not ready' },
    remote: { type: 'string', describe: 'Claim it on this git remote first (refs/baton/claims/<id>) and push its branch (config: remote.name)' },
  },
  examples: [
    ['$0 start 7f3a', 'switch this checkout to the task\'s branch'],
    ['$0 start 7f3a --worktree', 'work on it in a worktree of its own'],
  ],
  handler: async (argv) => {
    const project = openProject(cwdOf(argv));
    const { startClaimed } = await import('../remote/manual.js');
    const id = String(argv.id);
    const { result: r, claim, remote, notes } = await startClaimed(project, argv.remote, id, () => startTask(project, id, { worktree: argv.worktree, force: argv.force }));
    if (argv.json) return json(claim ? { ...r, claim, ...(notes.length ? { notes } : {}) } : r);
    for (const n of notes) out(n);
    if (claim) out(`Claimed on ${remote} as ${claim.runner} until ${claim.expires}; the branch is pushed there (\`baton done\` gives the claim back).`);
    const how = r.created ? 'created' : 'switched to';
    out(`${r.id}: ${how} ${r.branch}${r.worktree ? ` in the worktree ${r.dir}` : ''}; attempt ${r.attempt}, status in-progress.`);
    if (r.baseBroughtIn) out(`An earlier attempt's branch was closed: brought the base into it (${r.baseBroughtIn}), so it starts from the current plan.`);
    if (r.worktree) out(`Work there: cd ${r.dir}`);
    out(`Next: \`baton prompt ${r.id} --copy\` for the agent, then \`baton log ${r.id}\` (it reads the report the prompt asks the agent to save in the git dir).`);
  },
});
