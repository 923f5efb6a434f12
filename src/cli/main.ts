/**
 * The CLI: yargs with one module per command, imported only when that command
 * runs (so `baton status` never loads `openai` or `remark`).
 */
import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { BatonError } from '../core/errors.js';
import { forTerminal } from '../core/terminal.js';
import { EXIT, EXIT_TABLE } from './exit-codes.js';
import { jsonError, quietOnClosedPipe } from './output.js';
import { usageMessage } from './usage-text.js';
import { taskIdCompletion } from './completion.js';
import { redact } from '../core/redact.js';
import { painter } from './render/colour.js';
import { loadVendored } from '../workspace/vendored.js';

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
  lessons: () => import('./lessons.js'),
  sync: () => import('./sync.js'),
  'merge-driver': () => import('./merge-driver.js'),
  prompt: () => import('./prompt.js'),
  start: () => import('./start.js'),
  log: () => import('./log.js'),
  inbox: () => import('./inbox.js'),
  answer: () => import('./answer.js'),
  done: () => import('./done.js'),
  pr: () => import('./pr.js'),
  plan: () => import('./plan.js'),
  import: () => import('./import.js'),
  export: () => import('./export.js'),
  review: () => import('./review.js'),
  'review-task': () => import('./review-task.js'),
  cost: () => import('./cost.js'),
  run: () => import('./run.js'),
  auto: () => import('./auto.js'),
  config: () => import('./config.js'),
  models: () => import('./models.js'),
  executors: () => import('./executors.js'),
  board: () => import('./board.js'),
  mcp: () => import('./mcp.js'),
  ci: () => import('./ci.js'),
  demo: () => import('./demo.js'),
};

const SHELLS = ['bash', 'zsh'];

/** The words that are not options (a guess for option values, good enough to name commands). */
function positionals(args: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (a === '-C' || a === '--cwd') {
      i++;
      continue;
    }
    if (!a.startsWith('-')) words.push(a);
  }
  return words;
}

function firstPositional(args: readonly string[]): string | undefined {
  return positionals(args)[0];
}

function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Commands that manage the hooks themselves, run inside a git operation, or check them (doctor reports, --fix repairs). */
const NO_HOOK_REFRESH = new Set(['hooks', 'merge-driver', 'init', 'doctor']);

/**
 * Commands that commit anyway: after a merge baton did not make, they first commit plan.md's
 * rebuilt task table (src/workflow/plan-after-merge.ts). Reading commands never commit.
 */
const COMMITTING = new Set(['start', 'log', 'answer', 'done', 'sync', 'plan', 'review', 'review-task', 'run', 'auto']);
const COMMITTING_TASK = new Set(['add', 'edit', 'set']);

/** Commands that may call a model: they read keys from a `.env` at the repository root. */
const MODEL_COMMANDS = new Set(['plan', 'review', 'run', 'auto', 'models']);

function cwdArg(args: readonly string[]): string {
  const i = args.findIndex((a) => a === '-C' || a === '--cwd');
  const eq = args.find((a) => a.startsWith('--cwd='));
  return (i !== -1 ? args[i + 1] : eq?.slice('--cwd='.length)) ?? process.cwd();
}

/** `--json` anywhere before `--` (it is a global option, so `baton --json status` works too). */
function wantsJson(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--json' || a === '--json=true');
}

export async function main(args: string[]): Promise<number> {
  quietOnClosedPipe();
  const asJson = wantsJson(args);
  const name = firstPositional(args);
  if (name && COMMANDS[name] && !NO_HOOK_REFRESH.has(name)) await (await import('../git-hooks/refresh.js')).refreshStaleHooks(cwdArg(args));
  if (name && (COMMITTING.has(name) || (name === 'task' && COMMITTING_TASK.has(positionals(args)[1] ?? '')))) {
    await (await import('../workflow/plan-after-merge.js')).refreshPlanAfterMerge(cwdArg(args)).catch(() => undefined);
  }
  try {
    if (name && MODEL_COMMANDS.has(name)) (await import('../llm/dotenv.js')).loadDotEnv(cwdArg(args));
    if (name === 'completion') args = chooseShell(args);
  } catch (error) {
    return report(error, asJson);
  }
  const loaders = name && COMMANDS[name] ? [COMMANDS[name]!] : Object.values(COMMANDS);
  // Completing a word (the shell script runs `baton --get-yargs-completions …`): task ids, read synchronously then.
  const taskIds = args.includes('--get-yargs-completions')
    ? ((load: typeof import('../tasks/task-files.js').loadTaskHeads) => (root: string) => load(root).tasks.map((t) => t.id))((await import('../tasks/task-files.js')).loadTaskHeads)
    : undefined;
  const modules = await Promise.all(loaders.map((load) => load()));
  // yargs from dist/vendor with its code cache (workspace/vendored.ts): ~10 ms of every start less.
  const yargs = ((loadVendored('yargs') as typeof import('yargs') | undefined) ?? (await import('yargs'))).default;
  const cli: Argv = yargs(args)
    .scriptName('baton')
    .usage('$0 <command> [options]\n\nGit-native multi-agent development: plans, prompts and memory under .agents/.')
    .option('C', { alias: 'cwd', type: 'string', describe: 'Run as if started in this folder', global: true })
    .option('json', { type: 'boolean', describe: 'Print JSON (shapes in docs/json.md); errors too, on stderr', global: true })
    .version(version())
    .alias('v', 'version')
    .help()
    .alias('h', 'help')
    .strict()
    .demandCommand(1, 'Name a command; `baton --help` lists them.')
    .recommendCommands()
    .example('$0 init', 'set up baton in this repository')
    .example('$0 task add "Add login endpoint"', 'add a task by hand')
    .example('$0 status --json', 'progress as JSON, for scripts')
    .example('source <($0 completion bash)', 'tab completion in this shell')
    .epilogue(EXIT_TABLE)
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, error) => {
      // yargs wraps what a `coerce` throws (a malformed number) in a YError: still a usage error.
      if (error && error.name !== 'YError') throw error;
      const known = name !== undefined && COMMANDS[name] !== undefined;
      const help = known ? `baton ${name} --help` : 'baton --help';
      const text = message ?? error?.message ?? 'usage error';
      // yargs' own words ("Not enough non-option arguments: got 0, need at least 1") said so a person can act on them.
      const module = known ? modules[0]?.default : undefined;
      const said = usageMessage(text, { args, words: positionals(args), module, commands: [...Object.keys(COMMANDS), 'completion'] });
      // Throwing stops yargs from running the command after a usage error.
      throw new BatonError(said, { hint: `Run \`${help}\` for usage.`, exitCode: EXIT.usage });
    });
  for (const m of modules) cli.command(m.default);
  skipHelpCache(cli);
  // After the commands, so it comes last in `baton --help`.
  cli.completion('completion', 'Print the shell completion script: `baton completion bash` or `baton completion zsh`',
    taskIdCompletion(args, cwdArg(args), modules.map((m) => m.default), (root) => taskIds?.(root) ?? []));
  try {
    await cli.parseAsync();
  } catch (error) {
    return report(error, asJson);
  }
  return (process.exitCode as number | undefined) ?? 0;
}

/**
 * yargs renders the whole help text after every command's handler, to keep it
 * for a help shown later (11-19 ms of string-width on each run). baton shows
 * help only before a handler returns (`--help`, a bare group, usage errors),
 * all of which render it on the spot, so the cached copy is never read.
 */
function skipHelpCache(cli: Argv): void {
  const usage = (cli as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } })
    .getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

/** yargs picks the completion script from $SHELL; `baton completion zsh` says which outright. */
function chooseShell(args: string[]): string[] {
  const at = args.indexOf('completion') + 1;
  const shell = args[at];
  if (shell === undefined || shell.startsWith('-')) return args;
  if (!SHELLS.includes(shell)) {
    throw new BatonError(`no completion script for \`${shell}\``, { hint: 'Use `baton completion bash` or `baton completion zsh`.', exitCode: EXIT.usage });
  }
  process.env.SHELL = `/bin/${shell}`;
  // yargs would take the shell's name for an unknown command.
  return [...args.slice(0, at), ...args.slice(at + 1)];
}

function report(error: unknown, asJson: boolean): number {
  const code = error instanceof BatonError ? error.exitCode : EXIT.failure;
  if (asJson) {
    jsonError(error, code);
    return code;
  }
  const prefix = painter(process.stderr)('red', 'baton:');
  // Error texts carry what servers and git said: a gateway that echoes the key puts it here (core/redact.ts).
  if (error instanceof BatonError) {
    process.stderr.write(`${prefix} ${forTerminal(redact(error.format()))}\n`);
    return code;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${prefix} unexpected error (please report it): ${forTerminal(redact(message))}\n`);
  return code;
}
