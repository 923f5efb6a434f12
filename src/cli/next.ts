import { openProject, type Project } from '../workspace/context.js';
import { nextReport, type TaskSummary } from '../workflow/status.js';
import { defineCommand } from './command.js';
import { EXIT } from './exit-codes.js';
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
    let ready: (TaskSummary & { claimed_by?: string; claim_expires?: string })[] | undefined;
    if (argv.remote || project.config.raw.remote !== undefined) {
      const { remoteName } = await import('../remote/settings.js');
      const remote = remoteName(project.config, argv.remote);
      if (remote) ready = await (await import('../remote/board.js')).remoteNext(project, remote);
    }
    ready ??= await nextReport(project);
    if (argv.limit !== undefined) ready = ready.slice(0, argv.limit);
    // Nothing ready is a failure to a script (`baton next && …`), as the README's exit codes say.
    if (!ready.length) process.exitCode = EXIT.failure;
    if (argv.json) return json({ tasks: ready });
    if (!ready.length) return out('Nothing is ready. `baton status` shows what the tasks wait on.');
    out(table(ready.map((t) => [t.id, t.phase ?? '', t.title + note(t)])));
  },
});

/** Who works on it, with --remote: a live claim, or work in progress that nobody holds (free to continue). */
function note(t: TaskSummary & { claimed_by?: string; claim_expires?: string }): string {
  if (t.paused) return `  (${t.paused.executor} paused until ${t.paused.until}: a rate or usage limit)`;
  if (t.waitsFor) return `  (${t.waitsFor.why})`;
  if (t.claimed_by) return `  (claimed by ${t.claimed_by} until ${t.claim_expires})`;
  return t.status === 'in-progress' && t.branch ? `  (in progress on ${t.branch}, unclaimed: free to continue)` : '';
}
