import { openProject } from '../workspace/context.js';
import { memoryId, searchMemory } from '../workflow/memory-query.js';
import { defineCommand, defineGroup } from './command.js';
import { cwdOf, json, out } from './output.js';
import { COMMIT_OPTION, printPlanCommit } from './plan-commit.js';
import { SINCE_DESCRIBE } from '../core/since.js';

const show = defineCommand({
  command: '$0 [id]',
  describe: 'Memory entries, newest last, for one task (or `project`) or all',
  positionals: { id: { type: 'string', describe: 'Task id (a unique prefix is enough) or `project`' } },
  options: {
    kind: { type: 'array', string: true, describe: 'Only these kinds (commit, attempt, result, bug, decision, …)' },
    since: { type: 'string', describe: SINCE_DESCRIBE },
    grep: { type: 'string', describe: 'Only entries matching this regular expression (case-insensitive)' },
  },
  examples: [
    ['$0 memory 7f3a', 'everything one task has recorded'],
    ['$0 memory --kind decision,bug --since 2d', 'decisions and bugs of the last two days'],
  ],
  handler: (argv) => {
    const project = openProject(cwdOf(argv));
    const shown = searchMemory(project, argv.id, { kinds: argv.kind, since: argv.since, grep: argv.grep });
    if (argv.json) return json({ entries: shown });
    if (!shown.length) return out('No memory entries match.');
    out(shown.map((e) => `## ${e.time} ${e.kind}${e.ref ? ` ${e.ref}` : ''}  (${e.task})\n${e.body}`.trimEnd()).join('\n\n'));
  },
});

const rebuild = defineCommand({
  command: 'rebuild [id]',
  describe: 'Make commit entries again from history (Task: trailers and the task branch), keeping every other entry',
  positionals: { id: { type: 'string', describe: 'Task id or `project`; all when left out' } },
  examples: [['$0 memory rebuild', 'repair every task\'s commit entries from git history']],
  handler: async (argv) => {
    const project = openProject(cwdOf(argv));
    const { rebuildMemory } = await import('../memory/rebuild.js');
    const results = await rebuildMemory(project.root, argv.id ? memoryId(project, argv.id) : undefined);
    if (argv.json) return json({ results: results.map(({ path: _path, ...r }) => r) });
    const changed = results.filter((r) => r.added + r.replaced + r.removed);
    if (!changed.length) return out('Memory already matches history; nothing changed.');
    for (const r of changed) out(`${r.id}: ${r.added} added, ${r.replaced} rewritten, ${r.removed} removed`);
  },
});

const compact = defineCommand({
  command: 'compact',
  describe: 'Fold the memory of tasks done long ago into one summary entry each; the full text stays in git history',
  options: {
    'older-than': { type: 'number', describe: 'Fold tasks done more than N finished tasks ago (default: `memory_fold_after` in config.yaml, else 100)' },
    'dry-run': { type: 'boolean', default: false, describe: 'Say what it would fold, write nothing' },
    ...COMMIT_OPTION,
  },
  examples: [
    ['$0 memory compact --dry-run', 'which tasks would be folded, and the bytes it saves'],
    ['$0 memory compact --older-than 50', 'fold every task done more than 50 tasks ago'],
  ],
  handler: async (argv) => {
    const project = openProject(cwdOf(argv));
    const { compactMemory } = await import('../workflow/memory-compact.js');
    const r = await compactMemory(project, { olderThan: argv.olderThan, dryRun: argv.dryRun, commit: argv.commit });
    const before = r.folded.reduce((n, f) => n + f.bytesBefore, 0);
    const after = r.folded.reduce((n, f) => n + f.bytesAfter, 0);
    if (argv.json) {
      return json({ link: r.link ?? null, older_than: r.olderThan, dry_run: argv.dryRun, folded: r.folded, skipped: r.skipped, recent: r.recent, bytes_before: before, bytes_after: after, commit: r.committed?.commit ?? null });
    }
    const lines: string[] = [];
    const n = r.folded.length;
    if (!n) lines.push(`Nothing to fold: ${r.recent} done task${r.recent === 1 ? ' is' : 's are'} within the last ${r.olderThan}, the rest already folded.`);
    else {
      const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
      lines.push(`${argv.dryRun ? 'Would fold' : 'Folded'} ${n} task${n === 1 ? '' : 's'} done more than ${r.olderThan} tasks ago: ${kib(before)} → ${kib(after)}; full text at ${r.link?.slice(0, 12)} (\`git show ${r.link?.slice(0, 12)}:.agents/memory/<id>.md\`).`);
      if (argv.dryRun) lines.push('Dry run: nothing was written.');
    }
    for (const s of r.skipped) lines.push(`skipped ${s.id}: ${s.reason}`);
    out(lines.join('\n'));
    if (r.committed && r.subject) printPlanCommit(r.committed, r.subject);
  },
});

const command = defineGroup({
  command: 'memory',
  describe: 'Read memory (filter with --kind, --since, --grep); `memory rebuild` repairs commit entries from history; `memory compact` folds old tasks',
  subcommands: [rebuild, compact, show],
});
export default command;
