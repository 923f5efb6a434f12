import { openProject, type Project } from '../workspace/context.js';
import { nextReport, type TaskSummary } from '../workflow/status.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out, table } from './output.js';

export default defineCommand({
  command: 'next',
  describe: 'The ready tasks, in the order to take them',
  options: {
    limit: { alias: 'n', type: 'number', min: 0, describe: 'Show at most N' },
    remote: { type: 'string', describe: 'Also read the claims and task branches on this git remote (config: remote.name)' },
  },
  examples: [
    ['$0 next', 'every ready task, first to take first'],
    ['$0 next -n 1 --json', 'the one task to take now, as JSON'],
  ],
  handler: async (argv) => {
    const project = openProject(cwdOf(argv));
    let ready: (TaskSummary & { claimed_by?: string; claim_expires?: string })[] = await nextReport(project);
    if (argv.remote || project.config.raw.remote !== undefined) {
      const { remoteName } = await import('../remote/settings.js');
      const remote = remoteName(project.config, argv.remote);
      if (remote) ready = await withClaims(project, remote, ready);
    }
    if (argv.limit !== undefined) ready = ready.slice(0, argv.limit);
    if (argv.json) return json({ tasks: ready });
    if (!ready.length) return out('Nothing is ready. `baton status` shows what the tasks wait on.');
    out(table(ready.map((t) => [t.id, t.phase ?? '', t.title + (t.claimed_by ? `  (claimed by ${t.claimed_by} until ${t.claim_expires})` : '')])));
  },
});

/** Ready tasks as the remote sees them: those finished on a remote branch left out, live claims named. */
async function withClaims(project: Project, remote: string, ready: TaskSummary[]) {
  const { remoteBoard, liveClaim, finishedOnRemote } = await import('../remote/board.js');
  const board = await remoteBoard(project, remote, loadTasksStrict(project.root));
  return ready
    .filter((t) => !finishedOnRemote(board, t.id))
    .map((t) => {
      const c = liveClaim(board, t.id);
      return c ? { ...t, claimed_by: c.runner, claim_expires: c.expires } : t;
    });
}
