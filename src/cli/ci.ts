import type { CommandModule } from 'yargs';
import { BatonError } from '../core/errors.js';
import { openProject } from '../project/context.js';
import { cwdOf, json, out, type GlobalArgs } from './output.js';

interface Args extends GlobalArgs {
  action: string;
  provider: string;
  force: boolean;
  parallel: number;
  'max-tasks': number;
  install: string;
}

const command: CommandModule<object, Args> = {
  command: 'ci <action> <provider>',
  describe: 'Run the plan in CI: `ci init github` writes a GitHub Actions workflow (ready tasks → one job each → pull requests → review)',
  builder: (y) =>
    y
      .positional('action', { type: 'string', choices: ['init'], describe: 'init: write the workflow' })
      .positional('provider', { type: 'string', choices: ['github'], describe: 'github: .github/workflows/baton.yml' })
      .option('force', { type: 'boolean', default: false, describe: 'Replace a workflow that differs' })
      .option('parallel', { type: 'number', default: 4, describe: 'Default of the `max_parallel` input (jobs at once)' })
      .option('max-tasks', { type: 'number', default: 8, describe: 'Default of the `max_tasks` input (tasks per run)' })
      .option('install', { type: 'string', default: 'npm install --global baton', describe: 'The command that installs baton on the runner' })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as never,
  handler: async (argv) => {
    if (!(argv.parallel >= 1) || !(argv['max-tasks'] >= 1)) throw new BatonError('`--parallel` and `--max-tasks` must be 1 or more', { hint: 'e.g. `baton ci init github --parallel 4`' });
    const { initGithubCi } = await import('../remote/ci-init.js');
    const r = initGithubCi(openProject(cwdOf(argv)), { force: argv.force, parallel: argv.parallel, maxTasks: argv['max-tasks'], install: argv.install });
    if (argv.json) return json(r);
    out(r.written ? `wrote    ${r.path}` : `${r.path} is up to date; nothing changed.`);
    if (r.secrets.length) out(`Add these repository secrets: ${r.secrets.join(', ')} (Settings → Secrets and variables → Actions).`);
    out('Commit and push it, then run it from the Actions tab (workflow "baton") or `gh workflow run baton.yml`.');
  },
};
export default command;
