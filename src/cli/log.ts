import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { BatonError } from '../core/errors.js';
import { OUTCOMES, type Outcome } from '../memory/entry.js';
import { openProject } from '../workspace/context.js';
import { logInputWithReport, logTask, savedReport, type LogInput } from '../workflow/log.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out } from './output.js';

function readReport(cwd: string, from: string): string {
  if (from === '-') return readFileSync(0, 'utf8');
  try {
    return readFileSync(resolve(cwd, from), 'utf8');
  } catch (error) {
    throw new BatonError(`cannot read the report \`${from}\`: ${(error as Error).message}`, { hint: 'Give the path of the report file, or `-` to read it from stdin.' });
  }
}

export default defineCommand({
  command: 'log <id>',
  describe: 'Record what happened on a task (outcome, summary, bugs, decisions, blockers), or read an agent\'s report',
  positionals: { id: { type: 'string', describe: 'Task id or unique prefix' } },
  options: {
    outcome: { type: 'string', choices: OUTCOMES as unknown as string[], describe: 'How the attempt ended' },
    summary: { alias: 'm', type: 'string', describe: 'What was done and what works now' },
    bug: { type: 'array', string: true, describe: 'A bug found (repeatable)' },
    decision: { type: 'array', string: true, describe: 'A decision a later task must know (repeatable)' },
    blocker: { type: 'array', string: true, describe: 'What stops the task (repeatable; sets it blocked)' },
    note: { type: 'array', string: true, describe: 'Anything else (repeatable)' },
    question: { type: 'array', string: true, describe: 'A question only a person can answer (repeatable; blocks the task until `baton answer`)' },
    from: { type: 'string', nargs: 1, describe: 'Read the report an agent wrote (`-` for stdin); with no option at all, `log` reads the report saved where the prompt said, in the git dir' },
    done: { type: 'boolean', default: false, describe: 'With success: mark the task done instead of review' },
    commit: { type: 'boolean', default: true, describe: 'Commit the record on the task branch (--no-commit: write it, do not commit)' },
  },
  examples: [
    ['$0 log 7f3a --outcome success -m "Login works" --decision "Sessions live in Redis"', 'record an attempt by hand'],
    ['$0 log 7f3a', 'read the report the agent saved where the prompt said (in the git dir)'],
    ['$0 log 7f3a --from -', 'read the report from stdin'],
    ['$0 log 7f3a --question "SQLite or Postgres?"', 'ask a person; the task waits for `baton answer`'],
  ],
  handler: async (argv) => {
    const cwd = cwdOf(argv);
    const flags: LogInput = {
      outcome: argv.outcome as Outcome | undefined,
      summary: argv.summary,
      bugs: argv.bug,
      decisions: argv.decision,
      blockers: argv.blocker,
      notes: argv.note,
      questions: argv.question,
    };
    const project = openProject(cwd);
    // The report file the prompt names: read when `--from` has no value, or when nothing else is given.
    const saved = argv.from === undefined ? savedReport(project.root, String(argv.id), flags) : undefined;
    const from = saved ?? argv.from;
    const source = from === '-' ? 'the report on stdin' : `\`${from}\``;
    const input = from === undefined ? flags : logInputWithReport(flags, readReport(cwd, from), source);
    const r = await logTask(project, String(argv.id), { ...input, done: argv.done, commit: argv.commit });
    // Logged: the saved report is in memory now, and must not be read again for the next attempt.
    if (saved) rmSync(saved, { force: true });
    if (argv.json) return json(r);
    const status = r.status === r.previous ? `status stays ${r.status}` : `status ${r.previous} → ${r.status}`;
    out(`${r.id}: ${r.entries} memory entr${r.entries === 1 ? 'y' : 'ies'} logged, ${status}${r.commit ? ` (commit ${r.commit})` : ''}.`);
    if (saved && !argv.json) out(`Read the report from ${saved} (removed, now in memory).`);
    if (!r.onTaskBranch) out(`Note: the task's branch is not checked out; the record was written in ${r.dir} (not committed).`);
  },
});
