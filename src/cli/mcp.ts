import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '../git/gitdir.js';
import { CLIENTS, printedConfig, requireClient } from '../mcp/client-config.js';
import { defineCommand } from './command.js';
import { cwdOf, out } from './output.js';

export default defineCommand({
  command: 'mcp',
  describe: 'Serve baton to AI agents over the Model Context Protocol (stdio); --print-config CLIENT shows how to add it',
  options: {
    'print-config': { type: 'string', describe: `Print the MCP configuration for a client (${CLIENTS.join(', ')})` },
  },
  examples: [
    ['$0 mcp', 'serve on stdio (an MCP client starts this)'],
    ['$0 mcp --print-config claude', 'the entry to add to .mcp.json'],
  ],
  handler: async (argv) => {
    if (argv.printConfig !== undefined) return out(printedConfig(requireClient(argv.printConfig)).trimEnd());
    const cwd = cwdOf(argv);
    const root = findRepoRoot(cwd);
    // Not a baton project: openProject throws the CLI's own error, before any MCP traffic.
    // Otherwise it is left to the first call, so the YAML parser does not delay `initialize`.
    if (!root || !existsSync(join(root, '.agents'))) (await import('../workspace/context.js')).openProject(cwd);
    // The SDK is loaded here only: every other command starts as fast as before.
    const { serveStdio } = await import('../mcp/server.js');
    await serveStdio(root!, version());
  },
});

function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
