/** `--no-commit` and the line about the commit, shared by the commands that change the plan. */
import type { Option } from './command.js';
import { err, out } from './output.js';
import { planCommitNote, type PlanCommit } from '../workflow/plan-commit.js';

export const COMMIT_OPTION = {
  commit: {
    type: 'boolean',
    describe: 'Commit the files it writes, alone, on this branch (--no-commit: leave them uncommitted; default: `commit_plan_changes` in config.yaml)',
  },
} as const satisfies Record<string, Option>;

/** Print what was committed (stdout), or why the written files were not (stderr, with the command that does it). */
export function printPlanCommit(r: PlanCommit, subject: string): void {
  const note = planCommitNote(r, subject);
  if (!note) return;
  if (r.commit) out(note);
  else err(`baton: ${note}`);
}
