/**
 * The CLI: yargs with one module per command, imported only when that command
 * runs (so `baton status` never loads `openai` or `remark`).
 */
import { readFileSync } from 'node:fs';
import yargs, { type Argv, type CommandModule } from 'yargs';
import { BatonError } from '../core/errors.js';
import { forTerminal } from '../core/terminal.js';

type Loader = () => Promise<{ default: CommandModule<object, any> }>;

const COMMANDS: Record<string, Loader> = {
  init: () => import('./init.js'),
  task: () => import('./task.js'),
  status: () => import('./status.js'),
  next: () => import('./next.js'),
  graph: () => import('./graph.js'),
  doctor: () => import('./doctor.js'),
  hooks: () => import('./hooks.js'),
  memory: () => import('./memory.js'),
  sync: () => import('./sync.js'),
  'merge-driver': () => import('./merge-driver.js'),
  prompt: () => import('./prompt.js'),
  start: () => import('./start.js'),
  log: () => import('./log.js'),
  done: () => import('./done.js'),
  pr: () => import('./pr.js'),
  plan: () => import('./plan.js'),
  review: () => import('./review.js'),
  cost: () => import('./cost.js'),
  run: () => import('./run.js'),
  auto: () => import('./auto.js'),
};

function firstPositional(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-C' || a === '--cwd') {
      i++;
      continue;
    }
    if (!a.startsWith('-')) return a;
  }
  return undefined;
}

function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export async function main(args: string[]): Promise<number> {
  const name = firstPositional(args);
  const loaders = name && COMMANDS[name] ? [COMMANDS[name]!] : Object.values(COMMANDS);
  const modules = await Promise.all(loaders.map((load) => load()));
  const cli: Argv = yargs(args)
    .scriptName('baton')
    .usage('$0 <command> [options]\n\nGit-native multi-agent development: plans, prompts and memory under .agents/.')
    .option('C', { alias: 'cwd', type: 'string', describe: 'Run as if started in this folder', global: true })
    .version(version())
    .alias('v', 'version')
    .help()
    .alias('h', 'help')
    .strict()
    .demandCommand(1, 'Name a command; `baton --help` lists them.')
    .recommendCommands()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, error) => {
      if (error) throw error;
      const help = name && COMMANDS[name] ? `baton ${name} --help` : 'baton --help';
      // Throwing stops yargs from running the command after a usage error.
      throw new BatonError(message, { hint: `Run \`${help}\` for usage.` });
    });
  for (const m of modules) cli.command(m.default);
  try {
    await cli.parseAsync();
  } catch (error) {
    return report(error);
  }
  return (process.exitCode as number | undefined) ?? 0;
}

function report(error: unknown): number {
  if (error instanceof BatonError) {
    process.stderr.write(`baton: ${forTerminal(error.format())}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`baton: unexpected error (please report it): ${forTerminal(message)}\n`);
  return 1;
}
