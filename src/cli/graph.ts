import { mermaid } from '../core/graph.js';
import { openProject } from '../workspace/context.js';
import { refreshPlanFile } from '../tasks/write.js';
import { loadTaskHeadsStrict } from '../tasks/task-files.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out } from './output.js';

export default defineCommand({
  command: 'graph',
  describe: 'The dependency graph as mermaid (also kept in plan.md); --json gives nodes and edges',
  options: {
    write: { type: 'boolean', default: false, describe: 'Also rewrite the task block in plan.md' },
  },
  examples: [
    ['$0 graph > graph.mmd', 'the mermaid source, for a viewer'],
    ['$0 graph --write', 'refresh the graph kept in plan.md'],
  ],
  handler: async (argv) => {
    const project = openProject(cwdOf(argv));
    if (argv.write) refreshPlanFile(project);
    // The state every view shows: work on unmerged task branches laid over this checkout's files.
    const { statedTasks } = await import('../tasks/state.js');
    const { tasks } = await statedTasks(project, loadTaskHeadsStrict(project.root));
    if (argv.json) {
      return json({
        nodes: tasks.map((t) => ({ id: t.id, title: t.title, status: t.status, ...(t.branch ? { branch: t.branch } : {}) })),
        edges: tasks.flatMap((t) => t.depends_on.map((d) => ({ from: d, to: t.id }))),
      });
    }
    out(mermaid(tasks));
  },
});
