import { BatonError } from '../core/errors.js';
import { openProject } from '../workspace/context.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out } from './output.js';

export default defineCommand({
  command: 'review-task <id>',
  describe: 'A person\'s review of one task\'s work: --request-changes (with line comments) reopens it for the next run, --approve merges it, --cancel cancels it; each written to its memory',
  positionals: { id: { type: 'string', describe: 'Task id or unique prefix' } },
  options: {
    comment: { type: 'array', string: true, nargs: 2, describe: 'A comment on a line: FILE:LINE "text" (the line as the task branch has it; repeatable)' },
    message: { alias: 'm', type: 'string', describe: 'A comment on the whole change' },
    'request-changes': { type: 'boolean', default: false, describe: 'Reopen the task with the comments as the reason; its next prompt starts with them, and `baton auto` runs it again' },
    approve: { type: 'boolean', default: false, describe: 'Merge it into the base (as `baton done --merge`: its checks run first)' },
    cancel: { type: 'boolean', default: false, describe: 'Cancel the task' },
  },
  examples: [
    ['$0 review-task 7f3a --comment src/login.ts:12 "Check the password length" --request-changes', 'reopen it with a line comment'],
    ['$0 review-task 7f3a --approve', 'merge it'],
  ],
  handler: async (argv) => {
    const actions = (['request-changes', 'approve', 'cancel'] as const).filter((a) => argv[a === 'request-changes' ? 'requestChanges' : a]);
    if (actions.length !== 1) {
      throw new BatonError(actions.length ? `\`--${actions.join('` and `--')}\` cannot go together` : 'say what the review decides', {
        hint: 'Give one of `--request-changes`, `--approve` or `--cancel`.',
      });
    }
    const raw = (argv.comment ?? []).map(String);
    if (raw.length % 2) throw new BatonError('`--comment` takes two values: FILE:LINE and the text', { hint: 'e.g. `--comment src/login.ts:12 "Check the length"`.' });
    const { parseWhere, reviewTask } = await import('../workflow/review-task.js');
    const comments = [];
    for (let i = 0; i < raw.length; i += 2) comments.push({ ...parseWhere(raw[i]!), text: raw[i + 1]! });
    const project = openProject(cwdOf(argv));
    const r = await reviewTask(project, String(argv.id), { action: actions[0]!, comments, message: argv.message, via: 'the command line' });
    if (argv.json) return json(r);
    const lines = [
      r.action === 'request-changes' ? `${r.id}: changes requested (${comments.length} line comment${comments.length === 1 ? '' : 's'}); it is ${r.status}, and its next prompt starts with them.`
        : r.action === 'approve' ? `${r.id}: approved and merged into ${r.merged?.into ?? 'the base'}${r.merged ? ` (commit ${r.merged.commit})` : ''}.`
          : `${r.id}: cancelled.`,
    ];
    if (r.commit) lines.push(`Recorded in its memory (commit ${r.commit}).`);
    if (r.action === 'request-changes') lines.push('Next: `baton auto` runs it again (or `baton start ' + r.id + '`).');
    out(lines.join('\n'));
  },
});
