import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BatonError } from '../core/errors.js';
import { OUTCOMES, type Outcome } from '../memory/entry.js';
import { openProject } from '../workspace/context.js';
import { logTask, reportMissingOutcome, reportToLog, type LogInput } from '../workflow/log.js';
import { parseReport } from '../prompt/report.js';
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
    from: { type: 'string', nargs: 1, describe: 'Read the report an agent wrote (`-` for stdin)' },
    done: { type: 'boolean', default: false, describe: 'With success: mark the task done instead of review' },
    commit: { type: 'boolean', default: true, describe: 'Commit the record on the task branch (--no-commit: write it, do not commit)' },
  },
  examples: [
    ['$0 log 7f3a --outcome success -m "Login works" --decision "Sessions live in Redis"', 'record an attempt by hand'],
    ['$0 log 7f3a --from REPORT.md', 'read the report the agent wrote'],
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
    };
    let input = flags;
    if (argv.from !== undefined) {
      const report = parseReport(readReport(cwd, argv.from));
      if (!report.outcome && !flags.outcome) throw reportMissingOutcome(argv.from === '-' ? 'the report on stdin' : `\`${argv.from}\``);
      const fromReport = reportToLog(report);
      // Flags given next to --from add to (or, for outcome and summary, override) the report.
      input = {
        outcome: flags.outcome ?? fromReport.outcome,
        summary: flags.summary ?? fromReport.summary,
        bugs: [...(fromReport.bugs ?? []), ...(flags.bugs ?? [])],
        decisions: [...(fromReport.decisions ?? []), ...(flags.decisions ?? [])],
        blockers: [...(fromReport.blockers ?? []), ...(flags.blockers ?? [])],
        notes: [...(fromReport.notes ?? []), ...(flags.notes ?? [])],
      };
    }
    const r = await logTask(openProject(cwd), String(argv.id), { ...input, done: argv.done, commit: argv.commit });
    if (argv.json) return json(r);
    const status = r.status === r.previous ? `status stays ${r.status}` : `status ${r.previous} → ${r.status}`;
    out(`${r.id}: ${r.entries} memory entr${r.entries === 1 ? 'y' : 'ies'} logged, ${status}${r.commit ? ` (commit ${r.commit})` : ''}.`);
    if (!r.onTaskBranch) out(`Note: the task's branch is not checked out; the record was written in ${r.dir} (not committed).`);
  },
});
