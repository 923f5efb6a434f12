import { requireRepo } from '../workspace/context.js';
import { rel } from '../workspace/paths.js';
import { EXIT } from './exit-codes.js';
import { defineCommand, defineGroup } from './command.js';
import { cwdOf, json, out, table } from './output.js';

const install = defineCommand({
  command: 'install',
  describe: 'Install baton\'s git hooks beside any hooks already there (husky, lefthook, core.hooksPath, your own)',
  options: {
    global: { type: 'boolean', default: false, describe: 'Into a core.hooksPath outside this repository too (every repository using it runs them)' },
  },
  examples: [['$0 hooks install', 'record every commit in memory from now on']],
  handler: async (argv) => {
    const { installHooks } = await import('../git-hooks/install.js');
    const lines = await installHooks(requireRepo(cwdOf(argv)), { global: argv.global });
    if (argv.json) return json({ installed: lines });
    out(lines.length ? lines.map((l) => (l.startsWith('kept ') ? l : `installed ${l}`)).join('\n') : 'baton\'s hooks are already installed; nothing changed.');
  },
});

const uninstall = defineCommand({
  command: 'uninstall',
  describe: 'Remove baton\'s hooks and put back the hooks that were there before',
  examples: [['$0 hooks uninstall', 'stop recording commits; your own hooks come back']],
  handler: async (argv) => {
    const { uninstallHooks } = await import('../git-hooks/install.js');
    const lines = await uninstallHooks(requireRepo(cwdOf(argv)));
    if (argv.json) return json({ uninstalled: lines });
    out(lines.length ? lines.join('\n') : 'No baton hooks were installed; nothing changed.');
  },
});

const status = defineCommand({
  command: 'status',
  describe: 'Which hooks are installed, where, and what they run; exits 1 when commits would go unrecorded',
  examples: [['$0 hooks status', 'is every commit being recorded?']],
  handler: async (argv) => {
    const root = requireRepo(cwdOf(argv));
    const { hooksStatus } = await import('../git-hooks/install.js');
    const s = await hooksStatus(root);
    // Not in effect, commits go unrecorded: a failure, so a script (or CI) notices.
    if (!s.inEffect) process.exitCode = EXIT.failure;
    if (argv.json) return json(s);
    const rows = s.hooks.map((h) => [
      h.hook,
      h.state === 'installed' ? (!h.packageFound ? 'baton (package moved: run `baton hooks install`)' : h.older ? 'baton (from an older baton: run `baton hooks install`)' : 'baton') : h.state === 'other' ? 'another hook (not baton\'s)' : 'not installed',
      h.chains ? `then runs ${h.chains}` : s.husky && h.tracked ? `a line in ${rel(root, h.path)}` : '',
    ]);
    const folder = s.husky ? `${s.dir} (husky 9: it runs ${rel(root, s.husky)}/<hook>)` : s.dir;
    out(`Hooks folder: ${folder}\n${table(rows)}${s.fix ? `\n${s.fix}` : ''}`);
  },
});

/** Run by the pre-commit hook after an amend or a rebase; `baton log`/`done` call flushQueue directly. */
const flush = defineCommand({
  command: 'flush',
  describe: false,
  options: {
    stage: { type: 'boolean', default: false, describe: 'Stage the memory files it writes' },
  },
  handler: async (argv) => {
    const { flushQueue } = await import('../memory/flush.js');
    const n = await flushQueue(requireRepo(cwdOf(argv)), { stage: argv.stage });
    if (argv.json) return json({ changed: n });
    out(`${n} memory entr${n === 1 ? 'y' : 'ies'} written`);
  },
});

export default defineGroup({
  command: 'hooks',
  describe: 'The git hooks that record every commit in memory: install, uninstall, status',
  subcommands: [install, uninstall, status, flush],
  examples: [['$0 hooks status', 'which hooks are installed']],
});
