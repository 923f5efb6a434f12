import { checkExecutors } from '../agents/executors/check.js';
import { openProject } from '../workspace/context.js';
import { defineCommand, defineGroup } from './command.js';
import { cwdOf, json, out, table } from './output.js';

const check = defineCommand({
  command: 'check [name..]',
  describe: 'Per executor preset (and `executors:` entry): is its CLI installed, which version, and do the tests cover it',
  positionals: { name: { type: 'string', array: true, describe: 'Executors to check (default: all)' } },
  examples: [
    ['$0 executors check', 'every preset'],
    ['$0 executors check claude', 'one'],
  ],
  handler: (argv) => {
    let custom = {};
    try {
      custom = openProject(cwdOf(argv)).config.executors;
    } catch {
      /* outside a project: the presets only */
    }
    const names = argv.name as string[] | undefined;
    const results = checkExecutors(custom, names, process.env);
    // Asked for by name and not there: that is a failure; the overview never is.
    if (names?.length && results.some((r) => !r.installed)) process.exitCode = 1;
    if (argv.json) return json({ executors: results });
    const rows = [['executor', 'installed', 'version', 'tested with']];
    for (const r of results) {
      rows.push([
        r.name,
        r.installed ? 'yes' : `no${r.package ? ` (npm install -g ${r.package})` : ''}`,
        r.version ?? '-',
        r.tested.length ? `${r.tested.join(', ')}${r.version ? (r.covered ? ' (this one)' : ' (not this one)') : ''}` : 'untested',
      ]);
    }
    out(table(rows));
  },
});

export default defineGroup({
  command: 'executors',
  describe: 'The agent CLIs that implement tasks: check',
  subcommands: [check],
  examples: [['$0 executors check', 'which agent CLIs are installed, and whether their versions are tested']],
});
