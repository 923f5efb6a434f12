import { openProject } from '../workspace/context.js';
import { defineCommand, usageError } from './command.js';
import { EXIT } from './exit-codes.js';
import { cwdOf, err, json, out } from './output.js';

export default defineCommand({
  command: 'ci <action> <target>',
  describe: 'Run the plan in CI: `ci init github` writes a GitHub Actions workflow (ready tasks → one job each → pull requests or merges → review → the next layer)',
  positionals: {
    action: { type: 'string', choices: ['init', 'pack', 'publish'], describe: 'init: write the workflow; pack: (in the workflow) the task branch as an artifact; publish: (in the workflow) push the artifacts\' branches' },
    target: { type: 'string', describe: 'init: github (.github/workflows/baton.yml); pack: the task id; publish: the folder of downloaded artifacts' },
  },
  options: {
    force: { type: 'boolean', default: false, describe: 'init: replace a workflow that differs' },
    parallel: { type: 'number', default: 4, min: 1, describe: 'init: default of the `max_parallel` input (jobs at once)' },
    'max-tasks': { type: 'number', default: 8, min: 1, describe: 'init: default of the `max_tasks` input (tasks per run)' },
    rounds: { type: 'number', default: 10, min: 1, describe: 'init: default of the `rounds` input (runs one dispatch may chain, layer after layer)' },
    install: { type: 'string', describe: 'init: the command that installs baton on the runner (default: this version of @baton-dev/baton from npm)' },
    outcome: { type: 'string', describe: 'pack: the outcome of the `baton run` step (success, failure, cancelled, skipped)' },
    out: { type: 'string', describe: 'pack: the folder to write the bundle and result.json into' },
    scheduled: { type: 'string', describe: 'publish: the task ids the plan job scheduled, as JSON; an artifact for any other is refused' },
    merge: { type: 'boolean', default: false, describe: 'publish: merge each task that succeeded into the base instead of opening a pull request' },
    remote: { type: 'string', default: 'origin', describe: 'publish: the remote to push to' },
  },
  examples: [
    ['$0 ci init github', 'write .github/workflows/baton.yml'],
    ['$0 ci init github --parallel 2 --max-tasks 4 --force', 'other defaults, replacing the workflow'],
  ],
  handler: async (argv) => {
    const project = openProject(cwdOf(argv));
    if (argv.action === 'pack') {
      const { packTask } = await import('../remote/ci-publish.js');
      if (!argv.out || !argv.outcome) throw usageError('`ci pack` needs `--outcome` and `--out`', 'e.g. `baton ci pack T-7f3a --outcome success --out "$RUNNER_TEMP/task"`');
      const r = packTask(project, String(argv.target), argv.outcome, argv.out);
      return argv.json ? json(r) : out(`${r.task}: ${r.bundled ? `${r.branch} bundled` : 'no branch yet'} (${r.outcome})`);
    }
    if (argv.action === 'publish') {
      const { publishTasks } = await import('../remote/ci-publish.js');
      let scheduled: unknown;
      try {
        scheduled = JSON.parse(argv.scheduled ?? '');
      } catch {
        scheduled = undefined;
      }
      if (!Array.isArray(scheduled) || !scheduled.every((s) => typeof s === 'string')) throw usageError('`--scheduled` must be a JSON list of task ids', 'e.g. `--scheduled \'["T-7f3a"]\'` (the plan job\'s output)');
      const r = await publishTasks(project, String(argv.target), { remote: argv.remote, scheduled, merge: argv.merge, note: (s) => err(s) });
      if (r.some((p) => p.error && p.outcome === 'success')) process.exitCode = EXIT.failure;
      if (argv.json) return json({ published: r });
      return out(`${r.filter((p) => p.pushed).length} of ${r.length} task branch${r.length === 1 ? '' : 'es'} published.`);
    }
    if (argv.target !== 'github') throw usageError(`\`ci init ${argv.target}\`: only \`github\` is supported`);
    const { initGithubCi } = await import('../remote/ci-init.js');
    const r = initGithubCi(project, { force: argv.force, parallel: argv.parallel, maxTasks: argv['max-tasks'], rounds: argv.rounds, install: argv.install });
    if (argv.json) return json(r);
    out(r.written ? `wrote    ${r.path}` : `${r.path} is up to date; nothing changed.`);
    if (r.secrets.length) out(`Add these repository secrets: ${r.secrets.join(', ')} (Settings → Secrets and variables → Actions).`);
    out('Pull requests: GITHUB_TOKEN opens them only when Settings → Actions → General → Workflow permissions allows');
    out('"GitHub Actions to create and approve pull requests". Pull requests it opens do not trigger other workflows');
    out('(your CI will not run on them); for that, give the publish job a GitHub App token instead');
    out('(actions/create-github-app-token with the App\'s id and private key as secrets, passed as GH_TOKEN).');
    out('The agent and its checks run in jobs whose token can only read; only the publish job can push, and it runs no');
    out(`project code. For pull requests, protect \`${project.config.base_branch}\` with a ruleset so that token can push task branches only;`);
    out('dispatched with `merge: true`, the publish job merges each task that succeeded itself, so one dispatch runs layer after layer.');
    out('Commit and push it, then run it from the Actions tab (workflow "baton") or `gh workflow run baton.yml`.');
  },
});
