/**
 * `baton review` as `baton auto` runs it. The same reviewer (same prompt,
 * schema, files), with one addition: failed attempts are recorded on their
 * task branches, which are not merged, so the memory the review reads is
 * completed with the entries of unmerged task branches since the last review.
 */
import type { MemoryEntry } from '../core/memory.js';
import { gatherReview } from '../agents/review-gather.js';
import { applyReview, prepareReview, reviewMessages } from '../agents/reviewer.js';
import { REVIEW_ALIASES, REVIEW_SCHEMA, type ReviewAnswer } from '../agents/review-schema.js';
import { parseAnswer } from '../agents/answer.js';
import { branchExists, showFile } from '../git/task-branch.js';
import { parseMemory } from '../store/memory.js';
import { rel } from '../store/paths.js';
import type { Project } from './context.js';
import { isMerged } from './auto-steps.js';
import { taskBranchName } from './task-checkout.js';

export interface AutoReview {
  id: string;
  summary: string;
  costUsd: number;
  filed: { id: string; title: string; follows?: string }[];
}

/** Entries on unmerged task branches that the base does not have yet. */
function branchEntries(project: Project, since: string | undefined, tasks: ReturnType<typeof gatherReview>['tasks']): MemoryEntry[] {
  const out: MemoryEntry[] = [];
  for (const t of tasks) {
    const branch = taskBranchName(project, t);
    if (!branchExists(project.root, branch) || isMerged(project, branch)) continue;
    const text = showFile(project.root, branch, rel(project.root, project.paths.memoryFile(t.id)));
    if (text === undefined) continue;
    for (const e of parseMemory(text, t.id).entries) {
      if (e.kind !== 'usage' && (!since || e.time > since)) out.push(e);
    }
  }
  return out;
}

export async function reviewWithModel(project: Project, signal: AbortSignal): Promise<AutoReview> {
  const input = gatherReview(project);
  const seen = new Set(input.entries.map((e) => `${e.task} ${e.time} ${e.kind} ${e.body}`));
  const extra = branchEntries(project, input.previous?.time, input.tasks).filter((e) => !seen.has(`${e.task} ${e.time} ${e.kind} ${e.body}`));
  input.entries = [...input.entries, ...extra].sort((a, b) => a.time.localeCompare(b.time));
  const { createModel } = await import('../llm/client.js');
  const model = createModel(project.config, 'reviewer', { env: process.env, signal });
  const result = await model.chatJson<ReviewAnswer>({
    messages: reviewMessages(input),
    schema: REVIEW_SCHEMA,
    schemaName: 'review',
    parse: (text) => parseAnswer(text, REVIEW_SCHEMA, REVIEW_ALIASES),
    validate: (answer) => {
      prepareReview(project, input, answer);
      return undefined;
    },
  });
  const change = prepareReview(project, input, result.value);
  await applyReview(project, change);
  const { recordUsage } = await import('../llm/usage.js');
  await recordUsage(project.root, 'project', { ...result.usage, purpose: `review ${input.id}` });
  const filed = change.filed.map((f) => ({ id: f.task.id, title: f.task.title, follows: f.follows }));
  const parts = [
    filed.length ? `filed ${filed.map((f) => `${f.id} (${f.title})`).join(', ')}` : 'no follow-ups',
    change.reopened.length ? `reopened ${change.reopened.map((r) => r.task.id).join(', ')}` : '',
  ].filter(Boolean);
  return { id: change.id, summary: parts.join('; '), costUsd: result.costUsd ?? 0, filed };
}
