/**
 * The plan use case: the planner (agents/planner.ts) returns a change as data
 * and this applies it through tasks/, under the tasks lock, where plan.md's
 * table is rebuilt from the task files on disk. A task someone adds while the
 * model answers (or while an answer is imported) keeps its file and its row.
 */
import { askPlanner, draftPlanFromText, type PlanDraft, type PlanOptions } from '../agents/planner.js';
import { BatonError } from '../core/errors.js';
import type { ModelOptions } from '../llm/client.js';
import type { Usage } from '../memory/usage.js';
import type { Project } from '../workspace/context.js';
import { acquirePidLock } from '../workspace/pid-lock.js';
import { applyTaskChange, previewTaskChange } from '../tasks/change.js';
import { recordFailedUsage } from './failed-usage.js';

export interface PlanResult {
  change: PlanDraft & { planChanged: boolean };
  usage?: Usage;
  written: boolean;
}

/** Write the draft (or, with `dryRun`, only say what it would change). */
function apply(project: Project, draft: PlanDraft, dryRun: boolean | undefined): PlanResult['change'] {
  const outcome = dryRun ? previewTaskChange(project, draft.change) : applyTaskChange(project, draft.change);
  return { ...draft, planChanged: outcome.planChanged };
}

/**
 * One plan written at a time, from reading the project to the last file: two
 * `plan --from` started together would each plan from nothing and write both
 * (6 task files for a 3-task plan). The second refuses; `task add` still runs.
 */
function planLock(project: Project, dryRun: boolean | undefined): () => void {
  if (dryRun) return () => {};
  try {
    return acquirePidLock(project.root, 'plan', (pid) => new BatonError(`another \`baton plan\` (pid ${pid}) is writing the plan of this repository`, {
      hint: 'Wait for it to finish, then run `baton plan --update` to change its plan. Nothing was written.',
    }));
  } catch (error) {
    if (error instanceof BatonError) throw error;
    return () => {}; // not a checkout git knows (no git dir): nobody to race with
  }
}

/** `--import`: a pasted answer, applied as the API path would. */
export function planFromText(project: Project, text: string, opts: PlanOptions & { dryRun?: boolean; source: string }): PlanResult {
  const release = planLock(project, opts.dryRun);
  try {
    const change = apply(project, draftPlanFromText(project, text, opts), opts.dryRun);
    return { change, written: !opts.dryRun };
  } finally {
    release();
  }
}

/** The API path: ask the planner model, then write its change and record what it cost (also when the answer was refused). */
export async function planWithModel(project: Project, opts: PlanOptions & { dryRun?: boolean }, modelOpts: ModelOptions): Promise<PlanResult> {
  const release = planLock(project, opts.dryRun);
  try {
    const { draft, usage } = await askPlanner(project, opts, modelOpts).catch(async (error: unknown) => {
      if (!opts.dryRun) await recordFailedUsage(project.root, error, opts.update ? 'plan --update' : 'plan');
      throw error;
    });
    let change: PlanResult['change'];
    try {
      change = apply(project, draft, opts.dryRun);
    } finally {
      if (!opts.dryRun) {
        const { recordUsage } = await import('../memory/usage.js');
        await recordUsage(project.root, 'project', usage);
      }
    }
    return { change, usage, written: !opts.dryRun };
  } finally {
    release();
  }
}
