import { requireRepo } from '../workspace/context.js';
import { defineCommand, defineGroup } from './command.js';
import { cwdOf, json, out } from './output.js';
import { COMMIT_OPTION, printPlanCommit } from './plan-commit.js';
import { AGENTS } from '../workspace/paths.js';

const show = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

const get = defineCommand({
  command: 'get <key>',
  describe: 'Print one setting of .agents/config.yaml (a dotted key: models.implementer.model)',
  positionals: { key: { type: 'string', describe: 'The setting, e.g. base_branch or models.planner.model' } },
  examples: [['$0 config get base_branch', 'the branch tasks start from']],
  handler: async (argv) => {
    const { getConfigValue } = await import('../workspace/config-edit.js');
    const value = getConfigValue(requireRepo(cwdOf(argv)), String(argv.key));
    if (argv.json) return json({ key: argv.key, value });
    out(typeof value === 'object' && value !== null ? JSON.stringify(value, null, 2) : String(value));
  },
});

const set = defineCommand({
  command: 'set <key> <value>',
  describe: 'Change one setting of .agents/config.yaml, keeping its comments and every other line',
  positionals: {
    key: { type: 'string', describe: 'The setting, e.g. base_branch or models.implementer.base_url' },
    value: { type: 'string', describe: 'The new value (numbers and true/false are read as such)' },
  },
  options: { ...COMMIT_OPTION },
  examples: [['$0 config set models.implementer.model qwen2.5-coder:14b', 'comments and other lines are kept']],
  handler: async (argv) => {
    const { setConfigValue } = await import('../workspace/config-edit.js');
    const root = requireRepo(cwdOf(argv));
    const r = setConfigValue(root, String(argv.key), String(argv.value));
    const subject = `Config: ${r.key} = ${show(r.after)}`;
    const { commitPlanChange } = await import('../workflow/plan-commit.js');
    const committed = r.changed ? await commitPlanChange(root, [AGENTS.config], subject, { commit: argv.commit }) : { paths: [] };
    if (argv.json) return json({ ...r, commit: committed.commit ?? null });
    out(r.changed ? `${r.file}: ${r.key} = ${show(r.after)}${r.before === undefined ? '' : ` (was ${show(r.before)})`}` : `${r.file}: ${r.key} is already ${show(r.after)}; nothing changed.`);
    printPlanCommit(committed, subject);
  },
});

export default defineGroup({
  command: 'config',
  describe: 'Read or change one setting of .agents/config.yaml: get, set',
  subcommands: [get, set],
  examples: [
    ['$0 config get base_branch', 'the branch tasks start from'],
    ['$0 config set models.implementer.model qwen2.5-coder:14b', 'comments and other lines are kept'],
  ],
});
