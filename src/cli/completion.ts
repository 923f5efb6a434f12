/**
 * Tab completion beyond yargs' commands and options: where a command takes a
 * task id (`start <id>`, `task show <id>`, `memory [id]`), the ids of the plan.
 */
import type { CommandModule } from 'yargs';
import { findRepoRoot } from '../git/gitdir.js';
import { shapeOf } from './command.js';

type Done = (completions: string[]) => void;
type Defaults = (onCompleted: (error: Error | null, completions: string[] | undefined) => void) => void;

/** The words typed so far (after `baton`), without the one being completed: from yargs' `--get-yargs-completions` arguments. */
function typedWords(args: readonly string[]): string[] {
  const at = args.indexOf('--get-yargs-completions');
  return at < 0 ? [] : args.slice(at + 2, -1);
}

/** Whether the word being completed is a command's task id: right after the (sub)command, not an option's value. */
export function completesTaskId(words: readonly string[], modules: readonly CommandModule<object, any>[]): boolean {
  const byName = (list: readonly CommandModule<object, any>[], name: string | undefined) =>
    list.map(shapeOf).find((s) => s && s.command.split(' ')[0] === name);
  const top = byName(modules, words[0]);
  if (!top) return false;
  const sub = top.subcommands ? byName(top.subcommands, words[1]) ?? top.subcommands.map(shapeOf).find((s) => s?.command.startsWith('$0')) : undefined;
  const shape = sub ?? top;
  const depth = sub && !sub.command.startsWith('$0') ? 2 : 1;
  if (!/[<[]id[>\]]/.test(shape.command)) return false;
  return words.length === depth && words.every((w) => !w.startsWith('-'));
}

/**
 * `ids`: the plan's task ids in `root` (loaded before yargs parses, only when completing:
 * yargs goes on to validate the line unless `done` is called before its callback returns).
 */
export function taskIdCompletion(args: readonly string[], cwd: string, modules: readonly CommandModule<object, any>[], ids: (root: string) => string[]) {
  return (current: string, _argv: unknown, defaults: Defaults, done: Done): void => {
    defaults((_error, completions) => {
      const out = (completions ?? []).filter((c) => c !== '$0'); // yargs lists a default subcommand by its placeholder
      if (current.startsWith('-') || !completesTaskId(typedWords(args), modules)) return done(out);
      const root = findRepoRoot(cwd);
      if (!root) return done(out);
      const wanted = current.toLowerCase();
      let found: string[] = [];
      try {
        found = ids(root).filter((id) => id.toLowerCase().startsWith(wanted) || id.slice(2).startsWith(wanted));
      } catch {
        // a broken plan must not break the shell's completion
      }
      done([...out, ...found]);
    });
  };
}
