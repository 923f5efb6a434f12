import { USAGE_EXIT } from '../core/errors.js';

/** One exit-code scheme for every command; the table is printed by `baton --help` and kept in the README. */
export const EXIT = {
  ok: 0,
  /** A failure, or problems found (doctor errors, a failed attempt, nothing ready). */
  failure: 1,
  /** The command line is wrong: unknown command or option, missing argument, a malformed number. */
  usage: USAGE_EXIT,
  /** Stopped short: a partial result, or a limit (--max-tasks, --budget-usd, --time-limit) reached. */
  incomplete: 3,
  /** Interrupted with Ctrl-C; run the command again to resume. */
  interrupted: 130,
} as const;

export const EXIT_TABLE = [
  'Exit codes:',
  `  ${EXIT.ok}    success`,
  `  ${EXIT.failure}    failure, or problems found (doctor errors, a failed attempt, nothing ready)`,
  `  ${EXIT.usage}    usage error: unknown command or option, missing argument, malformed number`,
  `  ${EXIT.incomplete}    stopped short: partial result, or a limit (--max-tasks, --budget-usd, --time-limit)`,
  `  ${EXIT.interrupted}  interrupted (Ctrl-C); run the command again to resume`,
  '  143  stopped by SIGTERM (129: by SIGHUP), like Ctrl-C; run the command again to resume',
].join('\n');
