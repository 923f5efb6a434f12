import { openProject } from '../workspace/context.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out } from './output.js';
import { COMMIT_OPTION, printPlanCommit } from './plan-commit.js';
import { commitWritten, snapshotAgents, type PlanCommit } from '../workflow/plan-commit.js';

export default defineCommand({
  command: 'lessons',
  describe: 'Lessons from recurring problems (.agents/memory/lessons.md); --update finds new ones in memory, with no model',
  options: {
    update: { type: 'boolean', default: false, describe: 'Find recurring problems in memory and add them as lessons' },
    'dry-run': { type: 'boolean', default: false, describe: 'With --update: show what it would add, write nothing' },
    all: { type: 'boolean', default: false, describe: 'Also list retired and faded lessons' },
    ...COMMIT_OPTION,
  },
  examples: [
    ['$0 lessons', 'the lessons that reach prompts'],
    ['$0 lessons --update', 'find recurring bugs, failed checks, contradicted decisions and retried files'],
    ['$0 lessons --all --json', 'every lesson, as JSON'],
  ],
  handler: async (argv) => {
    const project = openProject(cwdOf(argv));
    const { lessonViews, updateLessons } = await import('../memory/lessons-file.js');
    const { firingTasks } = await import('../memory/lessons.js');
    const fadeAfter = project.config.lessons_fade_after;
    let update: Awaited<ReturnType<typeof updateLessons>> | undefined;
    let committed: { result: PlanCommit; subject: string } | undefined;
    if (argv.update) {
      const before = snapshotAgents(project.root);
      update = await updateLessons(project.root, { dryRun: argv.dryRun });
      // Like every command that changes the plan's files: the lessons file alone, in one commit.
      const subject = `Lessons: ${update.added.length} added, ${update.updated.length} updated`;
      if (!argv.dryRun) committed = { result: await commitWritten(before, subject, { commit: argv.commit }), subject };
    }
    const lessons = lessonViews(project.root, fadeAfter).filter((l) => argv.all || !l.faded);
    const { lessonReach } = await import('../prompt/lesson-reach.js');
    const { loadTasks } = await import('../tasks/task-files.js');
    const reach = lessonReach(project.root, loadTasks(project.root).tasks, lessons);
    if (argv.json) {
      return json({
        ...(update ? { added: update.added.map((l) => l.id), updated: update.updated.map((l) => l.id), written: !argv.dryRun, commit: committed?.result.commit ?? null } : {}),
        lessons: lessons.map((l) => ({
          id: l.id, status: l.status, faded: l.faded, kind: l.kind, text: l.text, files: l.files, symbols: l.symbols, phases: l.phases,
          checks: l.checks, tasks: l.tasks, evidence: l.evidence, seen: l.seen || null, reaches: reach.get(l.id) ?? [],
          firing: firingTasks(l).length, strategy: l.strategy ?? null,
        })),
      });
    }
    const lines: string[] = [];
    if (update) {
      const verb = argv.dryRun ? 'Would add' : 'Added';
      lines.push(`${verb} ${update.added.length} lesson${update.added.length === 1 ? '' : 's'}, ${argv.dryRun ? 'would update' : 'updated'} ${update.updated.length} (from ${update.findings.length} recurring problem${update.findings.length === 1 ? '' : 's'} found).`);
      for (const l of update.added) lines.push(`+ ${l.id}  ${l.text.split('\n')[0]}`);
      if (argv.dryRun) lines.push('Dry run: nothing was written.');
      lines.push('');
    }
    if (!lessons.length) lines.push(argv.all ? 'No lessons yet. `baton lessons --update` finds recurring problems in memory.' : 'No lessons reach prompts. `baton lessons --update` finds recurring problems; `--all` shows retired and faded ones.');
    for (const l of lessons) {
      const where = [...l.files.map((f) => `\`${f}\``), ...l.symbols.map((s) => `\`${s}\``), ...l.checks.map((c) => `check \`${c}\``), ...l.phases.map((p) => `phase ${p}`)].join(', ');
      const state = l.status === 'retired' ? ' (retired)' : l.faded ? ' (faded)' : '';
      lines.push(`${l.id}${state}  [${l.kind}]${where ? `  ${where}` : ''}`, `  ${l.text.split('\n').join('\n  ')}`, `  evidence: ${l.tasks.join(', ') || 'none'}${l.seen ? `, last seen ${l.seen}` : ''}`);
      if (l.strategy) lines.push(`  plan changed: ${l.strategy}`);
      if (!l.faded) lines.push(`  reaches: ${reach.get(l.id)?.join(', ') || 'no open task'}`);
    }
    out(lines.join('\n').replace(/\n+$/, ''));
    if (committed) printPlanCommit(committed.result, committed.subject);
  },
});
