import { BatonError } from '../core/errors.js';
import { openProject } from '../workspace/context.js';
import type { ReviewResult } from '../workflow/review.js';
import { emitPrompt, readInput, usageText, withModel } from './model-run.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out } from './output.js';
import { AGENTS } from '../workspace/paths.js';
import { COMMIT_OPTION, printPlanCommit } from './plan-commit.js';
import { commitWritten, reviewSubject, snapshotAgents, type AgentsSnapshot, type PlanCommit } from '../workflow/plan-commit.js';

export default defineCommand({
  command: 'review',
  describe: 'Central Agent: memory since the last review → reviews/R-<n>.md, follow-up tasks, decisions (by API, or --prompt / --import)',
  options: {
    'dry-run': { type: 'boolean', default: false, describe: 'Show the changes without writing them' },
    prompt: { type: 'boolean', default: false, describe: 'Print the prompt instead of calling a model' },
    copy: { type: 'boolean', default: false, describe: 'With --prompt: copy it to the clipboard' },
    import: { type: 'string', nargs: 1, describe: 'Apply a model\'s answer from FILE (`-` for stdin)' },
    ...COMMIT_OPTION,
  },
  examples: [
    ['$0 review', 'ask the reviewer model about the work since the last review'],
    ['$0 review --prompt --copy', 'copy the prompt for a chat'],
    ['$0 review --import answer.md --dry-run', 'see what a pasted answer would change'],
  ],
  handler: async (argv) => {
    const cwd = cwdOf(argv);
    if (argv.prompt && argv.import !== undefined) throw new BatonError('`--prompt` and `--import` go in two steps', { hint: 'First `--prompt` (paste it into a chat), then `--import FILE` with the answer.' });
    if (argv.copy && !argv.prompt) throw new BatonError('`--copy` copies the prompt: use it with `--prompt`', { hint: 'e.g. `baton ' + (argv._[0] ?? 'plan') + ' --prompt --copy`' });
    const project = openProject(cwd);
    if (argv.prompt) {
      const [{ reviewPrompt }, { promptText }] = await Promise.all([import('../agents/reviewer.js'), import('../agents/planner.js')]);
      return emitPrompt(promptText(reviewPrompt(project)), argv.copy);
    }
    const reviewer = await import('../workflow/review.js');
    const before = snapshotAgents(project.root);
    if (argv.import !== undefined) {
      const { text, source } = await readInput(cwd, argv.import, 'the answer');
      const r = await reviewer.reviewFromText(project, text, { dryRun: argv.dryRun, source });
      return report(r, !!argv.json, await commitReview(before, r, argv.commit));
    }
    const r = await withModel(!!argv.json, (o) => reviewer.reviewWithModel(project, { dryRun: argv.dryRun }, o));
    report(r, !!argv.json, await commitReview(before, r, argv.commit));
  },
});

/** `Review R-002: 1 filed, 1 reopened` as one commit of the files the review wrote. */
async function commitReview(before: AgentsSnapshot, r: ReviewResult, commit: boolean | undefined): Promise<{ result: PlanCommit; subject: string } | undefined> {
  if (!r.written) return undefined;
  const subject = reviewSubject(r.change);
  return { result: await commitWritten(before, subject, { commit }), subject };
}

function report(r: ReviewResult, asJson: boolean, committed?: { result: PlanCommit; subject: string }): void {
  const c = r.change;
  if (asJson) {
    return json({
      id: c.id,
      path: `${AGENTS.reviews}/${c.id}.md`,
      written: r.written,
      filed: c.filed.map((f) => ({ key: f.key, id: f.task.id, title: f.task.title, follows: f.follows ?? null, path: f.task.path })),
      reopened: c.reopened.map((x) => ({ id: x.task.id, reason: x.reason })),
      accepted: c.accepted.map((x) => ({ id: x.task.id, reason: x.reason })),
      split: c.split.map((s) => ({ id: s.task.id, into: s.into.map((t) => t.id) })),
      unsupported_claims: c.flags,
      decisions: c.decisions,
      plan_changes: c.planChanges,
      lessons: {
        found: c.lessons.detected.map((l) => l.id), added: c.lessons.added.map((l) => l.id),
        reworded: c.lessons.reworded.map((l) => l.id), retired: c.lessons.retired.map((l) => l.id),
      },
      strategy: c.strategy.map((s) => ({ lesson: s.lesson.id, fired: s.fired, reason: s.reason, tasks: s.tasks.map((t) => t.id), constraints: s.constraints })),
      usage: r.usage ?? null,
      commit: committed?.result.commit ?? null,
    });
  }
  const lines = [`${r.written ? 'Wrote' : 'Would write'} .agents/reviews/${c.id}.md`];
  for (const f of c.filed) lines.push(`+ ${f.task.id}  ${f.task.title}${f.follows ? `  (follows ${f.follows})` : ''}`);
  for (const s of c.split) lines.push(`÷ ${s.task.id}  split into ${s.into.map((t) => t.id).join(', ')}`);
  for (const x of c.reopened) lines.push(`↺ ${x.task.id}  reopened: ${x.reason}`);
  for (const x of c.accepted) lines.push(`✓ ${x.task.id}  accepted: ${x.reason} (merge it with \`baton done ${x.task.id} --merge\`)`);
  for (const f of c.flags) lines.push(`! ${f.task}  unsupported claim: ${f.evidence}`);
  for (const d of c.decisions) lines.push(`• decision: ${d}`);
  for (const p of c.planChanges) lines.push(`• plan: ${p}`);
  for (const l of c.lessons.detected) lines.push(`• lesson found ${l.id}: ${l.text.split('\n')[0]}`);
  for (const l of c.lessons.added) lines.push(`• lesson added ${l.id}: ${l.text.split('\n')[0]}`);
  for (const l of c.lessons.reworded) lines.push(`• lesson reworded ${l.id}: ${l.text.split('\n')[0]}`);
  for (const l of c.lessons.retired) lines.push(`• lesson retired ${l.id}`);
  for (const s of c.strategy) lines.push(`• plan changed for lesson ${s.lesson.id} (kept firing in ${s.fired.length} tasks): ${s.reason}`);
  if (r.usage) lines.push(usageText(r.usage));
  if (!r.written) lines.push('Dry run: nothing was written.');
  out(lines.join('\n'));
  if (committed) printPlanCommit(committed.result, committed.subject);
}
