/**
 * The review use case: the reviewer (agents/reviewer.ts) returns a change as
 * data; this writes its task files, plan.md's notes and the review file through
 * tasks/ under the tasks lock (plan.md's table rebuilt from the files on disk
 * there), then appends its memory entries and records the cost.
 */
import { askReviewer, draftReviewFromText, type ReviewChange } from '../agents/reviewer.js';
import type { ModelOptions } from '../llm/client.js';
import { appendMemory } from '../memory/file.js';
import { writeLessons } from '../memory/lessons-file.js';
import { applyLessonOps } from '../memory/lessons.js';
import type { Usage } from '../memory/usage.js';
import type { Project } from '../workspace/context.js';
import { applyTaskChange, previewTaskChange } from '../tasks/change.js';
import { recordFailedUsage } from './failed-usage.js';

export type { ReviewChange } from '../agents/reviewer.js';

export interface ReviewResult {
  change: ReviewChange;
  usage?: Usage;
  written: boolean;
}

async function apply(project: Project, change: ReviewChange, dryRun: boolean | undefined): Promise<void> {
  if (dryRun) {
    previewTaskChange(project, change.writes); // the same refusals as a real run
    return;
  }
  applyTaskChange(project, change.writes);
  const l = change.lessons;
  if (l.detected.length || l.ops.length) {
    // Applied again to the file as it is now: a lesson edited by hand since the review read it keeps that edit.
    await writeLessons(project.root, (file) => applyLessonOps(file, l.findings, l.ops, { review: change.id, time: change.time }).file);
  }
  for (const m of change.memory) await appendMemory(project.root, m.target, m.entries);
}

/** `--import`: a pasted answer, applied as the API path would. */
export async function reviewFromText(project: Project, text: string, opts: { dryRun?: boolean; source: string }): Promise<ReviewResult> {
  const change = draftReviewFromText(project, text, opts.source);
  await apply(project, change, opts.dryRun);
  return { change, written: !opts.dryRun };
}

/** The API path: ask the reviewer model, then write its change and record what it cost. */
export async function reviewWithModel(project: Project, opts: { dryRun?: boolean }, modelOpts: ModelOptions): Promise<ReviewResult> {
  const { change, usage } = await askReviewer(project, modelOpts).catch(async (error: unknown) => {
    if (!opts.dryRun) await recordFailedUsage(project.root, error, 'review');
    throw error;
  });
  try {
    await apply(project, change, opts.dryRun);
  } finally {
    if (!opts.dryRun) {
      const { recordUsage } = await import('../memory/usage.js');
      await recordUsage(project.root, 'project', usage);
    }
  }
  return { change, usage, written: !opts.dryRun };
}
