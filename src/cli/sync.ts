import { requireRepo, openProject } from '../workspace/context.js';
import { defineCommand } from './command.js';
import { EXIT } from './exit-codes.js';
import { cwdOf, err, json, out } from './output.js';
import { COMMIT_OPTION, printPlanCommit } from './plan-commit.js';

/**
 * A commit cannot hold its own SHA, so the hooks queue each commit and write it
 * into memory with the next one. `sync` writes the queue now, e.g. before
 * reading memory or handing the branch to someone else. `sync github` keeps
 * tasks and GitHub issues in step, both ways.
 */
export default defineCommand({
  command: 'sync [forge]',
  describe: 'Write the commits the hooks have queued into memory now; `sync github`: tasks ↔ GitHub issues, both ways',
  positionals: { forge: { type: 'string', choices: ['github'], describe: '`github`: sync tasks with the repository\'s issues (through `gh api`)' } },
  options: {
    'dry-run': { type: 'boolean', default: false, describe: 'github: say what would change on each side, change nothing' },
    repo: { type: 'string', describe: 'github: OWNER/NAME (default: from the `origin` remote)' },
    issue: { type: 'number', array: true, describe: 'github: also bring in this issue as a task, although it lacks the `baton` label (repeatable)' },
    prefer: { type: 'string', choices: ['baton', 'github'], describe: 'github: settle fields edited on both sides in this side\'s favour (default: report them, change neither)' },
    ...COMMIT_OPTION,
  },
  examples: [
    ['$0 sync && $0 memory', 'read memory with the last commit in it'],
    ['$0 sync github --dry-run', 'what a sync with GitHub issues would change'],
    ['$0 sync github --prefer github', 'take GitHub\'s side of every conflict'],
  ],
  handler: async (argv) => {
    if (argv.forge === 'github') return syncGithubCommand(argv);
    const { flushQueue } = await import('../memory/flush.js');
    const n = await flushQueue(requireRepo(cwdOf(argv)));
    if (argv.json) return json({ changed: n });
    out(n ? `${n} memory entr${n === 1 ? 'y' : 'ies'} written (not committed)` : 'Memory is up to date with history.');
  },
});

interface GithubArgs {
  C?: string;
  json?: boolean;
  dryRun?: boolean;
  repo?: string;
  issue?: number[];
  prefer?: string;
  commit?: boolean;
}

async function syncGithubCommand(argv: GithubArgs): Promise<void> {
  const { syncGithub } = await import('../remote/github-sync.js');
  const { ghCliApi, resolveRepo } = await import('../remote/github-api.js');
  const { renderGithubSync } = await import('./render/github-sync.js');
  const project = openProject(cwdOf(argv));
  const repo = resolveRepo(project.root, argv.repo);
  const report = await syncGithub(project, {
    api: ghCliApi(project.root), repo, dryRun: argv.dryRun, issues: argv.issue,
    prefer: argv.prefer as 'baton' | 'github' | undefined, commit: argv.commit,
  });
  if (report.conflicts.length) process.exitCode = EXIT.failure;
  if (argv.json) return json({ ...report, commit: report.commit?.commit });
  out(renderGithubSync(report));
  if (report.commit && report.subject) printPlanCommit(report.commit, report.subject);
  for (const p of report.problems) err(`baton: ${p}`);
}
