import type { Format } from '../tasks/formats/foreign.js';
import { openProject } from '../workspace/context.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out } from './output.js';
import { COMMIT_OPTION, printPlanCommit } from './plan-commit.js';

export default defineCommand({
  command: 'import <format> <path>',
  describe: 'Tasks from another planner (Task Master, Backlog.md, Spec Kit, Beads) into the plan; a second import updates what the first made',
  positionals: {
    format: { type: 'string', choices: ['taskmaster', 'backlog', 'speckit', 'beads'], describe: 'The tool that wrote the plan' },
    path: { type: 'string', describe: 'tasks.json, the backlog/ folder, specs/NNN/tasks.md, issues.jsonl, or the project folder holding it' },
  },
  options: {
    'dry-run': { type: 'boolean', default: false, describe: 'Show what would change without writing it' },
    tag: { type: 'string', describe: 'Task Master: the tag to import (default: master, or the only one)' },
    ...COMMIT_OPTION,
  },
  examples: [
    ['$0 import taskmaster .taskmaster/tasks/tasks.json', 'Task Master\'s tasks and subtasks'],
    ['$0 import backlog . --dry-run', 'what Backlog.md\'s tasks would become'],
    ['$0 import speckit specs/001-photo-albums/tasks.md', 'a Spec Kit feature\'s tasks, phases kept'],
  ],
  handler: async (argv) => {
    const cwd = cwdOf(argv);
    const project = openProject(cwd);
    const { importPlan, readForeignPlan } = await import('../workflow/import.js');
    const { commitWritten, snapshotAgents } = await import('../workflow/plan-commit.js');
    const plan = readForeignPlan(argv.format as Format, argv.path!, cwd, { tag: argv.tag });
    const before = snapshotAgents(project.root);
    const r = importPlan(project, plan, { dryRun: argv.dryRun });
    const subject = `Plan: import ${r.format} (${r.created.length} new, ${r.updated.length} updated)`;
    const committed = r.written ? await commitWritten(before, subject, { commit: argv.commit }) : undefined;
    if (argv.json) return json({ ...r, commit: committed?.commit ?? null });
    const lines = [`Import from ${r.format}: ${r.created.length} new, ${r.updated.length} updated, ${r.kept.length} kept as they are, ${r.unchanged} unchanged.`];
    for (const t of r.created) lines.push(`+ ${t.id}  ${t.title}  (${t.source}${t.status !== 'todo' ? `, ${t.status}` : ''})${t.depends_on.length ? `  after ${t.depends_on.join(', ')}` : ''}`);
    for (const t of r.updated) lines.push(`~ ${t.id}  ${t.title}  (${t.fields.join(', ')})`);
    for (const t of r.kept) lines.push(`= ${t.id}  ${t.title}  (${t.reason})`);
    lines.push(argv.dryRun ? 'Dry run: nothing was written.' : r.written ? 'Next: `baton next` shows the tasks to take first.' : 'Nothing to change.');
    out(lines.join('\n'));
    if (committed) printPlanCommit(committed, subject);
  },
});
