/**
 * The merge a runner publishes, split from closing the task so the part that
 * races other runners is short: the task is closed on its branch once (status
 * done, memory complete: `baton done` without `--merge`), then each try only
 * merges the branch into the base as it is on the remote now. The merge is
 * the one `baton done --merge` makes: `--no-ff`, plan.md refreshed in it.
 */
import type { Task } from '../core/task.js';
import { gitRun, mergeConflicts, mergeInto } from '../git/task-branch.js';
import { BatonError } from '../core/errors.js';
import type { Project } from '../workspace/context.js';
import { doneTask, refusePlanChanges } from '../workflow/done.js';
import { checkoutOf, taskBranchName } from '../tasks/checkout.js';
import { refreshPlanFile } from '../tasks/write.js';
import { AGENTS } from '../workspace/paths.js';

export interface Finisher {
  /** Once: the task closed on its branch. */
  close(): Promise<void>;
  /** Each try: the branch merged into the local base (checked out at the project root). */
  merge(): void;
  /** After the push: the task's worktree goes, as after `baton done --merge`. */
  cleanUp(): void;
}

export function finisher(project: Project, task: Task): Finisher {
  const branch = taskBranchName(project, task);
  const base = project.config.base_branch;
  return {
    close: async () => {
      await doneTask(project, task.id, { merge: false, skipChecks: true });
    },
    merge: () => {
      // What decides the task is the base's: a branch that changed the plan is for a person to accept.
      refusePlanChanges(project, { task, base, branch });
      const conflicts = mergeConflicts(project.root, base, branch);
      if (conflicts.length) {
        throw new BatonError(`\`${branch}\` cannot be merged into \`${base}\`: ${conflicts.map((f) => `\`${f}\``).join(', ')} would conflict`, {
          hint: `Bring \`${base}\` into the branch and resolve there, then run \`baton done ${task.id} --merge\` and push \`${base}\`.`,
        });
      }
      mergeInto(project.root, branch, `Merge ${branch}: ${task.title}\n\nTask: ${task.id}`, () => (refreshPlanFile(project) ? [AGENTS.plan] : []));
    },
    cleanUp: () => {
      const co = checkoutOf(project, branch);
      if (co?.worktree) gitRun(project.root, ['worktree', 'remove', '--force', co.dir]);
    },
  };
}
