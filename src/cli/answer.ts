import { openProject } from '../workspace/context.js';
import { answerTask } from '../workflow/questions.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out } from './output.js';

export default defineCommand({
  command: 'answer <id> <text>',
  describe: 'Answer the open questions of a task: recorded in its memory, the task unblocked, its next prompt starts with the answer',
  positionals: {
    id: { type: 'string', describe: 'Task id or unique prefix' },
    text: { type: 'string', describe: 'The answer' },
  },
  options: {
    'for-project': { type: 'boolean', default: false, describe: 'Also record the answer as a project decision (memory/project.md), which every task\'s prompt carries' },
  },
  examples: [
    ['$0 answer 7f3a "Use SQLite for now"', 'answer and let `baton auto` take the task again'],
    ['$0 answer 7f3a "Dates are UTC everywhere" --for-project', 'an answer that holds for every task'],
  ],
  handler: async (argv) => {
    const r = await answerTask(openProject(cwdOf(argv)), String(argv.id), String(argv.text), { forProject: argv['for-project'] as boolean });
    if (argv.json) return json(r);
    const status = r.status === r.previous ? `status stays ${r.status}` : `status ${r.previous} → ${r.status}`;
    out(`${r.id}: answered ${r.answered.length} question${r.answered.length === 1 ? '' : 's'}, ${status}${r.commit ? ` (commit ${r.commit})` : ''}.`);
    if (r.decision) out(`Recorded as a project decision in .agents/memory/project.md${r.decision.commit ? ` (commit ${r.decision.commit})` : ' (not committed: this checkout is not on the base branch)'}.`);
    if (!r.onTaskBranch) out(`Note: the task's branch is not checked out; the answer was written in ${r.dir} (not committed).`);
  },
});
