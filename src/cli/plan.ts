import { BatonError } from '../core/errors.js';
import { openProject } from '../workspace/context.js';
import type { PlanResult } from '../workflow/plan.js';
import { emitPrompt, readInput, usageText, withModel } from './model-run.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out } from './output.js';
import { COMMIT_OPTION, printPlanCommit } from './plan-commit.js';
import { commitWritten, planSubject, snapshotAgents, type AgentsSnapshot, type PlanCommit } from '../workflow/plan-commit.js';

export default defineCommand({
  command: 'plan',
  describe: 'Central Agent: requirements → plan.md and tasks (by API, or by copy and paste with --prompt / --import)',
  options: {
    from: { type: 'string', describe: 'The requirements (a markdown file)' },
    update: { type: 'boolean', default: false, describe: 'Amend the existing plan; in-progress and done tasks are kept' },
    'dry-run': { type: 'boolean', default: false, describe: 'Show the change without writing it' },
    prompt: { type: 'boolean', default: false, describe: 'Print the prompt instead of calling a model' },
    copy: { type: 'boolean', default: false, describe: 'With --prompt: copy it to the clipboard' },
    import: { type: 'string', nargs: 1, describe: 'Apply a model\'s answer from FILE (`-` for stdin)' },
    ...COMMIT_OPTION,
  },
  examples: [
    ['$0 plan --from REQUIREMENTS.md', 'ask the planner model'],
    ['$0 plan --from REQUIREMENTS.md --prompt --copy', 'copy the prompt for a chat'],
    ['$0 plan --import answer.md', 'apply the answer pasted from the chat'],
  ],
  handler: async (argv) => {
    const cwd = cwdOf(argv);
    if (argv.prompt && argv.import !== undefined) throw new BatonError('`--prompt` and `--import` go in two steps', { hint: 'First `--prompt` (paste it into a chat), then `--import FILE` with the answer.' });
    if (argv.copy && !argv.prompt) throw new BatonError('`--copy` copies the prompt: use it with `--prompt`', { hint: 'e.g. `baton ' + (argv._[0] ?? 'plan') + ' --prompt --copy`' });
    const project = openProject(cwd);
    const opts = { update: argv.update, dryRun: argv.dryRun };
    const before = snapshotAgents(project.root);
    const commit = (r: PlanResult) => commitPlan(before, r, argv.commit);
    if (argv.import !== undefined) {
      const { planFromText } = await import('../workflow/plan.js');
      const { text, source } = await readInput(cwd, argv.import, 'the answer');
      const r = planFromText(project, text, { ...opts, source });
      return report(r, !!argv.json, await commit(r));
    }
    if (!argv.from) throw new BatonError('name the requirements: `--from REQUIREMENTS.md`', { hint: 'Or apply an answer you already have with `--import FILE`.' });
    const requirements = (await readInput(cwd, argv.from, 'the requirements')).text;
    if (argv.prompt) {
      const planner = await import('../agents/planner.js');
      return emitPrompt(planner.promptText(planner.planMessages(project, { requirements, update: argv.update })), argv.copy);
    }
    const { planWithModel } = await import('../workflow/plan.js');
    const result = await withModel(!!argv.json, (modelOpts) => planWithModel(project, { ...opts, requirements }, modelOpts));
    report(result, !!argv.json, await commit(result));
  },
});

/** `Plan: 3 new, 1 amended tasks` as one commit of the files the plan wrote. */
async function commitPlan(before: AgentsSnapshot, r: PlanResult, commit: boolean | undefined): Promise<{ result: PlanCommit; subject: string } | undefined> {
  if (!r.written) return undefined;
  const subject = planSubject(r.change);
  return { result: await commitWritten(before, subject, { commit }), subject };
}

function report(r: PlanResult, asJson: boolean, committed?: { result: PlanCommit; subject: string }): void {
  const c = r.change;
  if (asJson) {
    return json({
      written: r.written,
      created: c.created.map((t) => ({ key: t.key, id: t.task.id, title: t.task.title, phase: t.task.phase ?? null, depends_on: t.task.depends_on, path: t.task.path })),
      amended: c.amended.map((t) => ({ id: t.task.id, title: t.task.title, fields: t.fields, path: t.task.path })),
      kept: c.kept.map((t) => ({ id: t.task.id, title: t.task.title, status: t.task.status })),
      plan_changed: c.planChanged,
      usage: r.usage ?? null,
      commit: committed?.result.commit ?? null,
    });
  }
  const lines = [`Plan: ${c.created.length} new, ${c.amended.length} amended, ${c.kept.length} kept as they are.`];
  for (const t of c.created) lines.push(`+ ${t.task.id}  ${t.task.title}${t.task.phase ? `  [${t.task.phase}]` : ''}${t.task.depends_on.length ? `  after ${t.task.depends_on.join(', ')}` : ''}`);
  for (const t of c.amended) lines.push(`~ ${t.task.id}  ${t.task.title}  (${t.fields.join(', ')})`);
  for (const t of c.kept) lines.push(`= ${t.task.id}  ${t.task.title}  (${t.reason})`);
  if (c.planChanged) lines.push(`${r.written ? 'Wrote' : 'Would write'} .agents/plan.md (goal, constraints, architecture, phases, task table).`);
  if (r.usage) lines.push(usageText(r.usage));
  lines.push(r.written ? 'Next: `baton next` shows the tasks to take first.' : 'Dry run: nothing was written.');
  out(lines.join('\n'));
  if (committed) printPlanCommit(committed.result, committed.subject);
}
