import type { CommandModule } from 'yargs';
import { initProject } from '../project/init.js';
import { cwdOf, json, out, type GlobalArgs } from './output.js';

interface Args extends GlobalArgs {
  hooks: boolean;
  mcp?: string[];
}

const command: CommandModule<object, Args> = {
  command: 'init',
  describe: 'Create .agents/ (config, plan, tasks, memory), .gitattributes, the AGENTS.md section and the git hooks',
  builder: (y) =>
    y
      .option('hooks', { type: 'boolean', default: true, describe: 'Install the git hooks (--no-hooks to skip)' })
      .option('mcp', { type: 'array', string: true, choices: ['claude', 'cursor', 'codex', 'vscode'], describe: 'Also write this MCP client\'s configuration for `baton mcp`' })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as never,
  handler: async (argv) => {
    // An MCP client's file that cannot take baton's entry stops init before it writes anything.
    const writeMcp = argv.mcp?.length ? await (await import('../mcp/client-config.js')).prepareClientConfigs(cwdOf(argv), argv.mcp) : undefined;
    const result = initProject(cwdOf(argv));
    let hooks: string[] = [];
    if (argv.hooks) {
      const { installHooks } = await import('../hook/install.js');
      hooks = await installHooks(result.root);
    }
    const mcp = writeMcp?.() ?? [];
    if (argv.json) return json({ ...result, hooks, mcp });
    for (const m of mcp) out(`${m.created ? 'created ' : m.changed ? 'updated ' : 'kept    '} ${m.file}  (MCP: ${m.client}. ${m.note})`);
    if (!result.created.length && !result.updated.length && !hooks.length) {
      out(`baton is already set up in ${result.root}; nothing changed.`);
      return;
    }
    for (const f of result.created) out(`created  ${f}`);
    for (const f of result.updated) out(`updated  ${f}`);
    for (const h of hooks) out(`hook     ${h}`);
    out('\nNext: describe the goal in .agents/plan.md, then `baton task add "…"` or `baton plan --from REQUIREMENTS.md`.');
  },
};
export default command;
