/**
 * `baton demo`: the demo a clone runs with `npm run demo`, from the installed
 * package (its `demo/` folder): a sample project in a temp folder, planned and
 * built by `baton auto` with a scripted agent and a local stand-in for the
 * model. No network, no key; it prints where to look.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { packageRoot } from '../workspace/package.js';
import { defineCommand } from './command.js';

export default defineCommand({
  command: 'demo',
  describe: 'Run baton\'s whole loop on a sample project in a temp folder (no network, no key): plan, agents, checks, a review, merges',
  examples: [['$0 demo', 'see the loop run, then look around the folder it prints']],
  handler: async () => {
    const script = join(packageRoot(), 'demo', 'run.mjs');
    if (!existsSync(script)) {
      throw new BatonError(`the demo is not in this installation (no ${script})`, { hint: 'Reinstall the package (`npm i -g @baton-dev/baton`), or run `npm run demo` in a clone.' });
    }
    // Its own process: the demo serves the stand-in model while baton runs against it.
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [script], { stdio: 'inherit' });
      child.on('close', (c, signal) => resolve(c ?? (signal ? 130 : 1)));
    });
    if (code !== 0) process.exitCode = code;
  },
});
