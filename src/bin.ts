#!/usr/bin/env node
// Thin entry: `--version` answers without loading anything, the rest goes to the CLI.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  // A closed pipe (`baton --version | true`) ends quietly, as in the CLI (output.ts).
  process.stdout.on('error', () => process.exit(0));
  process.stdout.write(`${pkg.version}\n`);
} else if (args[0] === 'merge-driver' && args[1] === 'memory' && args.length >= 5 && args.length <= 6) {
  // git runs this once per memory file a merge touches: the merge alone, without the CLI's load.
  const { runMemoryDriver } = await import('./memory/merge.js');
  process.exitCode = runMemoryDriver(args[2]!, args[3]!, args[4]!, args[5]);
} else {
  const { main } = await import('./cli/main.js');
  process.exitCode = await main(args);
}
