import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { openProject } from '../project/context.js';
import { cwdOf, err, json, out, type GlobalArgs } from './output.js';

interface Args extends GlobalArgs {
  id: string;
  out?: string;
  copy: boolean;
  budget?: number;
  withFiles?: boolean;
}

const command: CommandModule<object, Args> = {
  command: 'prompt <id>',
  describe: 'The self-contained prompt for a fresh agent to do one task (kept with the task branch, or in the git dir before it is checked out)',
  builder: (y) =>
    y
      .positional('id', { type: 'string', describe: 'Task id or unique prefix' })
      .option('out', { alias: 'o', type: 'string', describe: 'Write it to this file instead of stdout' })
      .option('copy', { alias: 'c', type: 'boolean', default: false, describe: 'Copy it to the clipboard (pbcopy, wl-copy, xclip, xsel or clip.exe)' })
      .option('budget', { type: 'number', describe: 'Token budget (default: context_budget in config)' })
      .option('with-files', { type: 'boolean', describe: 'Put the task\'s files (and, within budget, its dependencies\' files) into the prompt (default: prompt_with_files in config)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON (the prompt and its token count)' }) as never,
  handler: async (argv) => {
    const cwd = cwdOf(argv);
    const clipboard = argv.copy ? await import('../prompt/clipboard.js') : undefined;
    clipboard?.requireClipboardTool(); // refuse before writing anything
    const { issuePrompt } = await import('../prompt/issue.js');
    const prompt = await issuePrompt(openProject(cwd), String(argv.id), { budget: argv.budget, withFiles: argv.withFiles });
    const note = `${prompt.id}: ${prompt.tokens} tokens (${prompt.encoding}, budget ${prompt.budget}), kept in ${prompt.file}`;
    const n = prompt.omitted.length;
    if (n) err(`baton: ${n} memory entr${n === 1 ? 'y' : 'ies'} left out to fit the budget (the prompt says which kinds and from which tasks)`);
    if (clipboard) {
      const tool = clipboard.copyToClipboard(prompt.text);
      err(`Copied to the clipboard with ${tool}. ${note}`);
    }
    if (argv.out) {
      writeFileSync(resolve(cwd, argv.out), prompt.text);
      err(`Wrote ${argv.out}. ${note}`);
    }
    if (argv.json) return json(prompt);
    if (!argv.copy && !argv.out) process.stdout.write(prompt.text);
    else out('');
  },
};
export default command;
