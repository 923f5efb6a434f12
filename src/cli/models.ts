import type { Argv, CommandModule } from 'yargs';
import { BatonError } from '../core/errors.js';
import { openProject } from '../project/context.js';
import { cwdOf, json, out, table, type GlobalArgs } from './output.js';

type Args = GlobalArgs & { role?: string[] };

const check: CommandModule<object, Args> = {
  command: 'check [role..]',
  describe: 'One tiny call per role: endpoint, model, latency, and whether JSON-schema output works',
  builder: (y) =>
    y.positional('role', { type: 'string', array: true, describe: 'Roles to check (default: every role in config.yaml)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' })
      .example('$0 models check', 'every role')
      .example('$0 models check implementer', 'one role') as never,
  handler: async (argv) => {
    const project = openProject(cwdOf(argv));
    const unknown = (argv.role ?? []).filter((r) => !project.config.models[r]);
    if (unknown.length) {
      throw new BatonError(`no role ${unknown.map((r) => `\`${r}\``).join(', ')} in .agents/config.yaml`, {
        hint: `Roles: ${Object.keys(project.config.models).map((r) => `\`${r}\``).join(', ')}.`,
      });
    }
    const { checkModels } = await import('../llm/check.js');
    const controller = new AbortController();
    const onInt = () => controller.abort();
    process.once('SIGINT', onInt);
    try {
      const results = await checkModels(project.config, process.env, argv.role, controller.signal);
      if (!results.every((r) => r.ok)) process.exitCode = 1;
      if (argv.json) return json({ roles: results });
      const rows = [['role', 'model', 'endpoint', 'latency', 'json schema', 'result']];
      for (const r of results) {
        rows.push([
          r.role, r.model, r.executor ? '-' : r.endpoint,
          r.latencyMs === undefined ? '-' : `${r.latencyMs} ms`,
          r.jsonSchema === undefined ? '-' : r.jsonSchema ? 'yes' : 'no (JSON asked in words)',
          r.executor ? `runs the \`${r.executor}\` executor (not called here)` : r.ok ? 'ok' : `FAILED: ${r.error}`,
        ]);
      }
      out(table(rows));
      for (const r of results) if (!r.ok && r.hint) out(`${r.role}: ${r.hint}`);
    } finally {
      process.removeListener('SIGINT', onInt);
    }
  },
};

const command: CommandModule<object, GlobalArgs> = {
  command: 'models <command>',
  describe: 'The models of each role: check',
  builder: (y: Argv) => y.command(check).demandCommand(1) as never,
  handler: () => {},
};
export default command;
