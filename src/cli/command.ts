/**
 * One way to define a command: typed options and positionals (the handler's argv is inferred
 * from them, camelCase aliases included), a description required on every option, examples
 * for `--help`, and numbers validated. `--json` and `-C` are global options (main.ts), so no
 * command declares them. Replaces the per-file `builder: … as never` casts.
 */
import type { Argv, CommandModule, InferredOptionTypes, Options, PositionalOptions } from 'yargs';
import { BatonError } from '../core/errors.js';
import { EXIT } from './exit-codes.js';
import type { GlobalArgs } from './output.js';

/** An option must say what it does; `min` refuses numbers below it. */
export type Option = Options & { describe: string; min?: number };
export type Positional = PositionalOptions & { describe: string };

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
type WithCamel<T> = T & { [K in keyof T as K extends string ? CamelCase<K> : never]: T[K] };

export type Parsed<O extends Record<string, Option>, P extends Record<string, Positional>> =
  GlobalArgs & WithCamel<InferredOptionTypes<O>> & InferredOptionTypes<P> & { _: (string | number)[] };

export interface CommandSpec<O extends Record<string, Option>, P extends Record<string, Positional>> {
  command: string;
  /** `false` hides a command people never type (git calls it). */
  describe: string | false;
  positionals?: P;
  options?: O;
  examples?: readonly (readonly [string, string])[];
  epilogue?: string;
  handler: (argv: Parsed<O, P>) => void | Promise<void>;
}

export function usageError(message: string, hint?: string): BatonError {
  return new BatonError(message, { hint, exitCode: EXIT.usage });
}

/** yargs turns `-n abc` into NaN; refuse it (and values below `min`) as a usage error. */
function checkedNumber(name: string, option: Option): Option {
  if (option.type !== 'number' || option.array) return option;
  const { min, ...rest } = option;
  return {
    ...rest,
    coerce: (value: unknown) => {
      if (value === undefined) return value;
      const n = typeof value === 'number' ? value : Number(value);
      const flag = `\`--${name}\``;
      if (!Number.isFinite(n)) throw usageError(`${flag} takes a number`, `e.g. \`--${name} ${min ?? 5}\``);
      if (min !== undefined && n < min) throw usageError(`${flag} must be ${min} or more, not ${n}`);
      return n;
    },
  };
}

export function defineCommand<
  O extends Record<string, Option> = Record<never, Option>,
  P extends Record<string, Positional> = Record<never, Positional>,
>(spec: CommandSpec<O, P>): CommandModule<object, Parsed<O, P>> {
  return withShape({ command: spec.command, options: spec.options ?? {} }, {
    command: spec.command,
    describe: spec.describe,
    builder: (y: Argv) => {
      for (const [name, p] of Object.entries(spec.positionals ?? {})) y.positional(name, p);
      for (const [name, o] of Object.entries(spec.options ?? {})) y.option(name, checkedNumber(name, o));
      for (const [cmd, what] of spec.examples ?? []) y.example(cmd, what);
      if (spec.epilogue) y.epilogue(spec.epilogue);
      return y as unknown as Argv<Parsed<O, P>>;
    },
    handler: (argv) => spec.handler(argv as unknown as Parsed<O, P>),
  });
}

/** What a command accepts, kept beside its yargs module for messages about a wrong command line (usage-text.ts). */
export interface CommandShape {
  command: string;
  options: Record<string, Option>;
  subcommands?: CommandModule<object, any>[];
}

const SHAPE = Symbol('baton command shape');

function withShape<M extends object>(shape: CommandShape, module: M): M {
  return Object.assign(module, { [SHAPE]: shape });
}

export function shapeOf(module: CommandModule<object, any>): CommandShape | undefined {
  return (module as { [SHAPE]?: CommandShape })[SHAPE];
}

/**
 * A command group (`baton hooks`, `baton task`): its subcommands, and when none is named,
 * the list of them on stdout instead of an error.
 */
export function defineGroup(spec: {
  command: string;
  describe: string;
  subcommands: CommandModule<object, any>[];
  examples?: readonly (readonly [string, string])[];
}): CommandModule<object, GlobalArgs> {
  let group: Argv | undefined;
  return withShape({ command: spec.command, options: {}, subcommands: spec.subcommands }, {
    command: spec.command,
    describe: spec.describe,
    builder: (y: Argv) => {
      group = y;
      for (const c of spec.subcommands) y.command(c);
      for (const [cmd, what] of spec.examples ?? []) y.example(cmd, what);
      return y as Argv<GlobalArgs>;
    },
    handler: () => {
      group?.showHelp('log');
    },
  });
}
