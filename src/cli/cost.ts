import { openProject } from '../workspace/context.js';
import { readAllMemory } from '../memory/file.js';
import { summarizeUsage, type CostLine } from '../memory/usage.js';
import { parseSince, SINCE_DESCRIBE } from '../core/since.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out, table } from './output.js';

export default defineCommand({
  command: 'cost',
  describe: 'Tokens and cost of every model call, by task, role and model (from `usage` entries in memory)',
  options: {
    since: { type: 'string', describe: SINCE_DESCRIBE.replace('entries', 'calls') },
  },
  examples: [
    ['$0 cost --since 1w', 'what the last week cost'],
    ['$0 cost --json', 'the totals, for a script'],
  ],
  handler: (argv) => {
    const since = argv.since === undefined ? undefined : parseSince(argv.since);
    const entries = readAllMemory(openProject(cwdOf(argv)).root);
    const report = summarizeUsage(since ? entries.filter((e) => e.time >= since) : entries);
    if (argv.json) return json(report);
    if (!report.total.entries) return out('No model calls recorded yet (they are kept as `usage` entries in .agents/memory/).');
    const money = (l: CostLine) => `$${l.costUsd.toFixed(4)}${l.unpriced ? ` (+${l.unpriced} unpriced)` : ''}`;
    const rows = (title: string, lines: CostLine[]) => [
      [title, 'prompt', 'completion', 'cost'],
      ...lines.map((l) => [l.key, String(l.promptTokens), String(l.completionTokens), money(l)]),
    ];
    out([
      `Total: ${report.total.promptTokens} prompt + ${report.total.completionTokens} completion tokens, ${money(report.total)} in ${report.total.entries} recorded call${report.total.entries === 1 ? '' : 's'}.`,
      '', table(rows('task', report.byTask)),
      '', table(rows('role', report.byRole)),
      '', table(rows('model', report.byModel)),
      ...(report.total.unpriced ? ['', 'Unpriced: models with no price; add them under `prices:` in .agents/config.yaml (USD per million tokens).'] : []),
    ].join('\n'));
  },
});
