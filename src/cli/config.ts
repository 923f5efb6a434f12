import type { Argv, CommandModule } from 'yargs';
import { requireRepo } from '../project/context.js';
import { cwdOf, json, out, type GlobalArgs } from './output.js';

type Args = GlobalArgs & { key: string; value?: string };

const show = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

const get: CommandModule<object, Args> = {
  command: 'get <key>',
  describe: 'Print one setting of .agents/config.yaml (a dotted key: models.implementer.model)',
  builder: (y) => y.positional('key', { type: 'string', describe: 'The setting, e.g. base_branch or models.planner.model' }).option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as never,
  handler: async (argv) => {
    const { getConfigValue } = await import('../project/config-edit.js');
    const value = getConfigValue(requireRepo(cwdOf(argv)), argv.key);
    if (argv.json) return json({ key: argv.key, value });
    out(typeof value === 'object' && value !== null ? JSON.stringify(value, null, 2) : String(value));
  },
};

const set: CommandModule<object, Args> = {
  command: 'set <key> <value>',
  describe: 'Change one setting of .agents/config.yaml, keeping its comments and every other line',
  builder: (y) =>
    y
      .positional('key', { type: 'string', describe: 'The setting, e.g. base_branch or models.implementer.base_url' })
      .positional('value', { type: 'string', describe: 'The new value (numbers and true/false are read as such)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as never,
  handler: async (argv) => {
    const { setConfigValue } = await import('../project/config-edit.js');
    const r = setConfigValue(requireRepo(cwdOf(argv)), argv.key, String(argv.value));
    if (argv.json) return json(r);
    out(r.changed ? `${r.file}: ${r.key} = ${show(r.after)}${r.before === undefined ? '' : ` (was ${show(r.before)})`}` : `${r.file}: ${r.key} is already ${show(r.after)}; nothing changed.`);
  },
};

const command: CommandModule<object, GlobalArgs> = {
  command: 'config <command>',
  describe: 'Read or change one setting of .agents/config.yaml: get, set',
  builder: (y: Argv) =>
    y.command(get).command(set).demandCommand(1)
      .example('$0 config get base_branch', 'the branch tasks start from')
      .example('$0 config set models.implementer.model qwen2.5-coder:14b', 'comments and other lines are kept') as never,
  handler: () => {},
};
export default command;
