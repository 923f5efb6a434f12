/**
 * yargs' messages about a wrong command line ("Not enough non-option
 * arguments: got 0, need at least 1", "Unknown argument: jsn") said in words a
 * person can act on: what is missing or wrong, the usage, and for a mistyped
 * option or value the nearest one that exists.
 */
import type { CommandModule } from 'yargs';
import { closest, didYouMean } from '../core/suggest.js';
import { shapeOf, type CommandShape } from './command.js';

/** Options every command takes (main.ts), with their aliases. */
const GLOBAL_OPTIONS = ['cwd', 'C', 'json', 'help', 'h', 'version', 'v'];

export interface UsageContext {
  /** The command line as typed. */
  args: readonly string[];
  /** Its words that are not options: the command, the subcommand, then positionals. */
  words: readonly string[];
  /** The module of the command named first, when it is one. */
  module?: CommandModule<object, any>;
  /** Every command's name, for a mistyped one. */
  commands: readonly string[];
}

/** The command (or subcommand) the words name, and its usage line (`baton log <id>`). */
function commandOf(ctx: UsageContext): { shape: CommandShape; usage: string } | undefined {
  const top = ctx.module && shapeOf(ctx.module);
  if (!top) return undefined;
  const name = ctx.words[0] ?? '';
  if (!top.subcommands) return { shape: top, usage: `baton ${top.command}` };
  const subs = top.subcommands.map(shapeOf).filter((s): s is CommandShape => s !== undefined);
  const sub = subs.find((s) => s.command.split(' ')[0] === ctx.words[1]) ?? subs.find((s) => s.command.startsWith('$0'));
  if (!sub) return { shape: top, usage: `baton ${name}` };
  return { shape: sub, usage: `baton ${name} ${sub.command.replace(/^\$0\s*/, '')}`.trim() };
}

function optionNames(shape: CommandShape | undefined): string[] {
  const names = [...GLOBAL_OPTIONS];
  for (const [name, o] of Object.entries(shape?.options ?? {})) {
    names.push(name);
    const alias = o.alias;
    if (typeof alias === 'string') names.push(alias);
    else if (Array.isArray(alias)) names.push(...alias);
  }
  return names;
}

const dash = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);

/** The message to show instead of yargs' own; yargs' text when it is not one baton knows. */
export function usageMessage(text: string, ctx: UsageContext): string {
  const cmd = commandOf(ctx);
  const usage = cmd ? ` Usage: \`${cmd.usage}\`.` : '';
  let m = /^Not enough non-option arguments: got (\d+), need at least (\d+)$/.exec(text);
  if (m) {
    const wanted = [...(cmd?.usage ?? '').matchAll(/<([^>]+)>/g)].map((x) => x[1]!);
    const missing = wanted.slice(Number(m[1]));
    const what = missing.length ? missing.map((w) => `<${w}>`).join(' ') : 'an argument';
    return `\`${cmd?.usage.split(' <')[0] ?? 'baton'}\` needs ${what}.${usage}`;
  }
  m = /^Too many non-option arguments: got (\d+), maximum of (\d+)$/.exec(text);
  if (m) {
    return `too many arguments: ${m[1]} given where ${m[2]} ${m[2] === '1' ? 'is' : 'are'} expected.${usage} Put a title with spaces in quotes ("Add login endpoint").`;
  }
  m = /^Unknown arguments?: (.+)$/s.exec(text);
  if (m) {
    const known = optionNames(cmd?.shape);
    const typed = new Set(ctx.args.filter((a) => a.startsWith('-')).map((a) => a.replace(/^--?(no-)?/, '').split('=')[0]!));
    const parts = m[1]!.split(', ').map((word) => {
      if (!typed.has(word) && !ctx.module && word === ctx.words[0]) return `unknown command \`${word}\`${didYouMean(word, ctx.commands)}`;
      if (!typed.has(word)) return `unexpected argument \`${word}\``;
      const near = closest(word, known);
      return `unknown option \`${dash(word)}\`${near ? `. Did you mean \`${dash(near)}\`?` : ''}`;
    });
    const quote = parts.some((p) => p.startsWith('unexpected')) ? ' Put text with spaces in quotes ("Add login endpoint").' : '';
    return `${parts.join('; ')}${parts.at(-1)!.endsWith('?') ? '' : '.'}${usage}${quote}`;
  }
  m = /^Not enough arguments following: (.+)$/.exec(text);
  if (m) return `\`${dash(m[1]!)}\` needs a value.`;
  m = /^Missing required argument: (.+)$/.exec(text);
  if (m) return `\`${dash(m[1]!)}\` is required.${usage}`;
  m = /^Invalid values:\s*Argument: (\S+), Given: (.+?), Choices: (.+)$/s.exec(text);
  if (m) {
    const choices = [...m[3]!.matchAll(/"([^"]*)"/g)].map((x) => x[1]!);
    const given = m[2]!.replace(/^"|"$/g, '');
    const near = closest(given, choices);
    return `\`${dash(m[1]!)} ${given}\` is not one of: ${choices.map((c) => `\`${c}\``).join(', ')}.${near ? ` Did you mean \`${near}\`?` : ''}`;
  }
  m = /^Did you mean (.+)\?$/.exec(text);
  if (m) return `unknown command \`${ctx.words[ctx.module ? 1 : 0] ?? ''}\`. Did you mean \`${m[1]}\`?`;
  return text;
}
