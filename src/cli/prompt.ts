import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openProject } from '../workspace/context.js';
import { defineCommand } from './command.js';
import { cwdOf, err, json, out } from './output.js';
import { forTerminal } from '../core/terminal.js';

export default defineCommand({
  command: 'prompt <id>',
  describe: 'The self-contained prompt for a fresh agent to do one task (kept with the task branch, or in the git dir before it is checked out); --json adds its token count',
  positionals: { id: { type: 'string', describe: 'Task id or unique prefix' } },
  options: {
    out: { alias: 'o', type: 'string', describe: 'Write it to this file instead of stdout' },
    copy: { alias: 'c', type: 'boolean', default: false, describe: 'Copy it to the clipboard (pbcopy, wl-copy, xclip, xsel or clip.exe)' },
    budget: { type: 'number', min: 1, describe: 'Token budget (default: context_budget in config)' },
    'with-files': { type: 'boolean', describe: 'Put the task\'s files (and, within budget, its dependencies\' files) into the prompt (default: prompt_with_files in config)' },
  },
  examples: [
    ['$0 prompt 7f3a --copy', 'copy it, then paste it into an agent'],
    ['$0 prompt 7f3a --budget 8000 -o prompt.md', 'a smaller prompt, in a file'],
    ['$0 prompt 7f3a --with-files --copy', 'with the code it touches, for a chat that cannot read files'],
  ],
  handler: async (argv) => {
    const cwd = cwdOf(argv);
    const clipboard = argv.copy ? await import('./render/clipboard.js') : undefined;
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
    // Piped to an agent, the prompt goes as written; on a terminal, its control characters are shown, not run.
    if (!argv.copy && !argv.out) process.stdout.write(process.stdout.isTTY ? forTerminal(prompt.text) : prompt.text);
    else out('');
  },
});
