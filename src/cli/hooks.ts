import type { Argv, CommandModule } from 'yargs';
import { requireRepo } from '../project/context.js';
import { cwdOf, json, out, table, type GlobalArgs } from './output.js';

type Args = GlobalArgs & { stage?: boolean };

const install: CommandModule<object, Args> = {
  command: 'install',
  describe: 'Install baton\'s git hooks beside any hooks already there (husky, lefthook, core.hooksPath, your own)',
  builder: (y) => y.option('json', { type: 'boolean', default: false }) as never,
  handler: async (argv) => {
    const { installHooks } = await import('../hook/install.js');
    const lines = await installHooks(requireRepo(cwdOf(argv)));
    if (argv.json) return json({ installed: lines });
    out(lines.length ? lines.map((l) => `installed ${l}`).join('\n') : 'baton\'s hooks are already installed; nothing changed.');
  },
};

const uninstall: CommandModule<object, Args> = {
  command: 'uninstall',
  describe: 'Remove baton\'s hooks and put back the hooks that were there before',
  builder: (y) => y.option('json', { type: 'boolean', default: false }) as never,
  handler: async (argv) => {
    const { uninstallHooks } = await import('../hook/install.js');
    const lines = await uninstallHooks(requireRepo(cwdOf(argv)));
    if (argv.json) return json({ uninstalled: lines });
    out(lines.length ? lines.join('\n') : 'No baton hooks were installed; nothing changed.');
  },
};

const status: CommandModule<object, Args> = {
  command: 'status',
  describe: 'Which hooks are installed, where, and what they run',
  builder: (y) => y.option('json', { type: 'boolean', default: false }) as never,
  handler: async (argv) => {
    const root = requireRepo(cwdOf(argv));
    const { hooksStatus } = await import('../hook/install.js');
    const s = await hooksStatus(root);
    if (argv.json) return json(s);
    const rows = s.hooks.map((h) => [
      h.hook,
      h.state === 'installed' ? (h.packageFound ? 'baton' : 'baton (package moved: run `baton hooks install`)') : h.state === 'other' ? 'another hook (not baton\'s)' : 'not installed',
      h.chains ? `then runs ${h.chains}` : '',
    ]);
    out(`Hooks folder: ${s.dir}\n${table(rows)}${s.skipped ? '\nBATON_HOOKS=0 is set: baton\'s part of the hooks is skipped.' : ''}`);
  },
};

/** Run by the pre-commit hook after an amend or a rebase; `baton log`/`done` call flushQueue directly. */
const flush: CommandModule<object, Args> = {
  command: 'flush',
  describe: false as unknown as string,
  builder: (y) => y.option('stage', { type: 'boolean', default: false }).option('json', { type: 'boolean', default: false }) as never,
  handler: async (argv) => {
    const { flushQueue } = await import('../hook/flush.js');
    const n = await flushQueue(requireRepo(cwdOf(argv)), { stage: argv.stage });
    if (argv.json) return json({ changed: n });
    out(`${n} memory entr${n === 1 ? 'y' : 'ies'} written`);
  },
};

const command: CommandModule<object, GlobalArgs> = {
  command: 'hooks <command>',
  describe: 'The git hooks that record every commit in memory: install, uninstall, status',
  builder: (y: Argv) => y.command(install).command(uninstall).command(status).command(flush).demandCommand(1) as never,
  handler: () => {},
};
export default command;
