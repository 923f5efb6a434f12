import { openProject } from '../workspace/context.js';
import { inbox } from '../workflow/questions.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out } from './output.js';

export default defineCommand({
  command: 'inbox',
  describe: 'Questions agents asked that wait for an answer, across tasks',
  options: {},
  examples: [
    ['$0 inbox', 'what the agents are waiting on'],
    ['$0 inbox --json', 'the same for a script'],
  ],
  handler: async (argv) => {
    const items = await inbox(openProject(cwdOf(argv)));
    if (argv.json) return json({ questions: items });
    if (!items.length) return out('No open questions.');
    const lines = [`${items.length} open question${items.length === 1 ? '' : 's'}:`];
    for (const q of items) {
      lines.push('', `${q.id}  ${q.title}  (asked ${q.time})`, ...q.question.split('\n').map((l) => `  ${l}`));
    }
    lines.push('', 'Answer with `baton answer ID "…"` (`--for-project` also records it as a project decision).');
    out(lines.join('\n'));
  },
});
