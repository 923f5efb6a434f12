import type { ExportFormat } from '../workflow/import.js';
import { openProject } from '../workspace/context.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out } from './output.js';

export default defineCommand({
  command: 'export <format> <path>',
  describe: 'The plan in another planner\'s format (Task Master\'s tasks.json, Backlog.md\'s folder); importing it back gives the same plan',
  positionals: {
    format: { type: 'string', choices: ['taskmaster', 'backlog'], describe: 'The tool to write for' },
    path: { type: 'string', describe: 'Task Master: the tasks.json to write (or a project folder); Backlog.md: the project folder (backlog/ inside it)' },
  },
  examples: [
    ['$0 export taskmaster .taskmaster/tasks/tasks.json', 'for Task Master'],
    ['$0 export backlog .', 'backlog/tasks/task-N - Title.md, one file per task'],
  ],
  handler: async (argv) => {
    const cwd = cwdOf(argv);
    const { exportPlan } = await import('../workflow/import.js');
    const r = exportPlan(openProject(cwd), argv.format as ExportFormat, argv.path!, cwd);
    if (argv.json) return json(r);
    out(`Exported ${r.tasks} task${r.tasks === 1 ? '' : 's'} for ${r.format}: ${r.files.length === 1 ? r.files[0] : `${r.files.length} files`}.`);
  },
});
