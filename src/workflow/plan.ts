/**
 * The plan use case: the planner (agents/planner.ts) returns a change as data
 * and this applies it through tasks/, under the tasks lock, where plan.md's
 * table is rebuilt from the task files on disk. A task someone adds while the
 * model answers (or while an answer is imported) keeps its file and its row.
 */
import { askPlanner, draftPlanFromText, type PlanDraft, type PlanOptions } from '../agents/planner.js';
import type { ModelOptions } from '../llm/client.js';
import type { Usage } from '../memory/usage.js';
import type { Project } from '../workspace/context.js';
import { applyTaskChange, previewTaskChange } from '../tasks/change.js';

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

/** `--import`: a pasted answer, applied as the API path would. */
export function planFromText(project: Project, text: string, opts: PlanOptions & { dryRun?: boolean; source: string }): PlanResult {
  const change = apply(project, draftPlanFromText(project, text, opts), opts.dryRun);
  return { change, written: !opts.dryRun };
}

/** The API path: ask the planner model, then write its change and record what it cost. */
export async function planWithModel(project: Project, opts: PlanOptions & { dryRun?: boolean }, modelOpts: ModelOptions): Promise<PlanResult> {
  const { draft, usage } = await askPlanner(project, opts, modelOpts);
  const change = apply(project, draft, opts.dryRun);
  if (!opts.dryRun) {
    const { recordUsage } = await import('../memory/usage.js');
    await recordUsage(project.root, 'project', usage);
  }
  return { change, usage, written: !opts.dryRun };
}
