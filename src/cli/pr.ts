import type { CommandModule } from 'yargs';
import { openProject } from '../project/context.js';
import { cwdOf, err, json, out, type GlobalArgs } from './output.js';

interface Args extends GlobalArgs {
  id: string;
  create: boolean;
}

const command: CommandModule<object, Args> = {
  command: 'pr <id>',
  describe: 'A pull-request title and body from the task and its memory (--create opens it with gh)',
  builder: (y) =>
    y
      .positional('id', { type: 'string', describe: 'Task id or unique prefix' })
      .option('create', { type: 'boolean', default: false, describe: 'Open it with `gh pr create`' })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as never,
  handler: async (argv) => {
    // Reading the task's sections needs the markdown parser: loaded only by this command.
    const { createPullRequest, draftPullRequest } = await import('../project/pr.js');
    const project = openProject(cwdOf(argv));
    const draft = draftPullRequest(project, String(argv.id));
    if (argv.json && !argv.create) return json(draft);
    out(`${draft.title}\n\n${draft.body}`);
    if (argv.create) {
      const url = createPullRequest(project, draft);
      err(`Opened ${url}`);
    }
  },
};
export default command;
