/**
 * `baton review` as `baton auto` runs it: the same reviewer, prompt, schema and
 * files (the reviewer also reads memory on unmerged task branches, where failed
 * attempts are logged), summarized for the progress display.
 */
import { reviewWithModel as review } from './review.js';
import type { Project } from '../workspace/context.js';

export interface AutoReview {
  id: string;
  summary: string;
  costUsd: number;
  filed: { id: string; title: string; follows?: string }[];
  /** Partial work the reviewer accepted: auto merges it. */
  accepted: string[];
}

export async function reviewWithModel(project: Project, signal: AbortSignal): Promise<AutoReview> {
  const { change, usage } = await review(project, {}, { env: process.env, signal });
  const filed = change.filed.map((f) => ({ id: f.task.id, title: f.task.title, follows: f.follows }));
  const parts = [
    filed.length ? `filed ${filed.map((f) => `${f.id} (${f.title})`).join(', ')}` : 'no follow-ups',
    change.reopened.length ? `reopened ${change.reopened.map((r) => r.task.id).join(', ')}` : '',
    change.accepted.length ? `accepted ${change.accepted.map((r) => r.task.id).join(', ')}` : '',
  ].filter(Boolean);
  return { id: change.id, summary: parts.join('; '), costUsd: usage?.costUsd ?? 0, filed, accepted: change.accepted.map((r) => r.task.id) };
}
