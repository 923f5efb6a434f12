import { BatonError } from '../core/errors.js';
import { openProject } from '../workspace/context.js';
import { defineCommand, defineGroup } from './command.js';
import { cwdOf, json, out, table } from './output.js';

const check = defineCommand({
  command: 'check [role..]',
  describe: 'One tiny call per role: endpoint, model, latency, and whether JSON-schema output works',
  positionals: { role: { type: 'string', array: true, describe: 'Roles to check (default: every role in config.yaml)' } },
  examples: [
    ['$0 models check', 'every role'],
    ['$0 models check implementer', 'one role'],
  ],
  handler: async (argv) => {
    const project = openProject(cwdOf(argv));
    const roles = argv.role as string[] | undefined;
    const unknown = (roles ?? []).filter((r) => !project.config.models[r]);
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
      const results = await checkModels(project.config, process.env, roles, controller.signal);
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
});

export default defineGroup({
  command: 'models',
  describe: 'The models of each role: check',
  subcommands: [check],
  examples: [['$0 models check', 'one tiny call per role']],
});
