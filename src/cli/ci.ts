import { openProject } from '../workspace/context.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out } from './output.js';

export default defineCommand({
  command: 'ci <action> <provider>',
  describe: 'Run the plan in CI: `ci init github` writes a GitHub Actions workflow (ready tasks → one job each → pull requests → review)',
  positionals: {
    action: { type: 'string', choices: ['init'], describe: 'init: write the workflow' },
    provider: { type: 'string', choices: ['github'], describe: 'github: .github/workflows/baton.yml' },
  },
  options: {
    force: { type: 'boolean', default: false, describe: 'Replace a workflow that differs' },
    parallel: { type: 'number', default: 4, min: 1, describe: 'Default of the `max_parallel` input (jobs at once)' },
    'max-tasks': { type: 'number', default: 8, min: 1, describe: 'Default of the `max_tasks` input (tasks per run)' },
    install: { type: 'string', describe: 'The command that installs baton on the runner (default: this version of @baton-dev/baton from npm)' },
  },
  examples: [
    ['$0 ci init github', 'write .github/workflows/baton.yml'],
    ['$0 ci init github --parallel 2 --max-tasks 4 --force', 'other defaults, replacing the workflow'],
  ],
  handler: async (argv) => {
    const { initGithubCi } = await import('../remote/ci-init.js');
    const r = initGithubCi(openProject(cwdOf(argv)), { force: argv.force, parallel: argv.parallel, maxTasks: argv['max-tasks'], install: argv.install });
    if (argv.json) return json(r);
    out(r.written ? `wrote    ${r.path}` : `${r.path} is up to date; nothing changed.`);
    if (r.secrets.length) out(`Add these repository secrets: ${r.secrets.join(', ')} (Settings → Secrets and variables → Actions).`);
    out('Pull requests: GITHUB_TOKEN opens them only when Settings → Actions → General → Workflow permissions allows');
    out('"GitHub Actions to create and approve pull requests". Pull requests it opens do not trigger other workflows');
    out('(your CI will not run on them); for that, give the steps that set GH_TOKEN a GitHub App token instead');
    out('(actions/create-github-app-token with the App\'s id and private key as secrets).');
    out('Commit and push it, then run it from the Actions tab (workflow "baton") or `gh workflow run baton.yml`.');
  },
});
