import type { CommandModule } from 'yargs';
import { initProject } from '../project/init.js';
import { cwdOf, json, out, type GlobalArgs } from './output.js';

interface Args extends GlobalArgs {
  hooks: boolean;
  agents?: string[];
}

const command: CommandModule<object, Args> = {
  command: 'init',
  describe: 'Create .agents/ (config, plan, tasks, memory), .gitattributes, the AGENTS.md section and the git hooks',
  builder: (y) =>
    y
      .option('hooks', { type: 'boolean', default: true, describe: 'Install the git hooks (--no-hooks to skip)' })
      .option('agents', { type: 'string', array: true, describe: 'Point these agents\' instruction files at the AGENTS.md section: claude, gemini, cursor, copilot (comma-separated)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as never,
  handler: async (argv) => {
    const result = initProject(cwdOf(argv), { agents: argv.agents });
    let hooks: string[] = [];
    if (argv.hooks) {
      const { installHooks } = await import('../hook/install.js');
      hooks = await installHooks(result.root);
    }
    if (argv.json) return json({ ...result, hooks });
    if (!result.created.length && !result.updated.length && !hooks.length) {
      out(`baton is already set up in ${result.root}; nothing changed.`);
      return;
    }
    for (const f of result.created) out(`created  ${f}`);
    for (const f of result.updated) out(`updated  ${f}`);
    if (result.baseBranch) out(`base_branch: ${result.baseBranch.name} (${result.baseBranch.from}; change it with \`baton config set base_branch NAME\`)`);
    for (const h of hooks) out(`hook     ${h}`);
    out('\nNext: describe the goal in .agents/plan.md, then `baton task add "…"` or `baton plan --from REQUIREMENTS.md`.');
  },
};
export default command;
