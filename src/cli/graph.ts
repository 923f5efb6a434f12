import type { CommandModule } from 'yargs';
import { mermaid } from '../core/graph.js';
import { openProject } from '../project/context.js';
import { refreshPlanFile } from '../project/tasks.js';
import { loadTasksStrict } from '../store/tasks.js';
import { cwdOf, json, out, type GlobalArgs } from './output.js';

const command: CommandModule<object, GlobalArgs & { write: boolean }> = {
  command: 'graph',
  describe: 'The dependency graph as mermaid (also kept in plan.md)',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false, describe: 'Print nodes and edges as JSON' })
      .option('write', { type: 'boolean', default: false, describe: 'Also rewrite the task block in plan.md' }) as never,
  handler: (argv) => {
    const project = openProject(cwdOf(argv));
    const tasks = loadTasksStrict(project.root);
    if (argv.write) refreshPlanFile(project);
    if (argv.json) {
      return json({
        nodes: tasks.map((t) => ({ id: t.id, title: t.title, status: t.status })),
        edges: tasks.flatMap((t) => t.depends_on.map((d) => ({ from: d, to: t.id }))),
      });
    }
    out(mermaid(tasks));
  },
};
export default command;
