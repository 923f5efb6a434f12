import { readFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { openProject } from '../project/context.js';
import { CLIENTS, printedConfig, requireClient } from '../mcp/client-config.js';
import { cwdOf, out, type GlobalArgs } from './output.js';

interface Args extends GlobalArgs {
  printConfig?: string;
}

const command: CommandModule<object, Args> = {
  command: 'mcp',
  describe: 'Serve baton to AI agents over the Model Context Protocol (stdio); --print-config CLIENT shows how to add it',
  builder: (y) =>
    y.option('print-config', { type: 'string', describe: `Print the MCP configuration for a client (${CLIENTS.join(', ')})` }) as never,
  handler: async (argv) => {
    if (argv.printConfig !== undefined) return out(printedConfig(requireClient(argv.printConfig)).trimEnd());
    const project = openProject(cwdOf(argv)); // not a baton project: the CLI's error, before any MCP traffic
    // The SDK is loaded here only: every other command starts as fast as before.
    const { serveStdio } = await import('../mcp/server.js');
    await serveStdio(project.root, version());
  },
};
export default command;

function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
