import { openProject } from '../workspace/context.js';
import { defineCommand } from './command.js';
import { cwdOf, err, json, out } from './output.js';

export default defineCommand({
  command: 'pr <id>',
  describe: 'A pull-request title and body from the task and its memory (--create opens it with gh)',
  positionals: { id: { type: 'string', describe: 'Task id or unique prefix' } },
  options: {
    create: { type: 'boolean', default: false, describe: 'Open it with `gh pr create`' },
  },
  examples: [
    ['$0 pr 7f3a', 'print the title and body'],
    ['$0 pr 7f3a --create', 'open the pull request with gh'],
  ],
  handler: async (argv) => {
    // Reading the task's sections needs the markdown parser: loaded only by this command.
    const { createPullRequest, draftPullRequest } = await import('../workflow/pr.js');
    const project = openProject(cwdOf(argv));
    const draft = draftPullRequest(project, String(argv.id));
    if (argv.json && !argv.create) return json(draft);
    out(`${draft.title}\n\n${draft.body}`);
    if (argv.create) {
      const url = createPullRequest(project, draft);
      err(`Opened ${url}`);
    }
  },
});
