/**
 * A task's link to its GitHub issue, kept in its front matter under `github:`
 * by `baton sync github`: the issue number and, per synced field, a short
 * hash of the value both sides had at the last sync. The hashes are what let
 * the next sync tell which side changed a field since (see remote/github-sync.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFrontMatter } from '../workspace/frontmatter.js';

export const SYNCED_FIELDS = ['title', 'body', 'status', 'deps'] as const;
export type SyncedField = (typeof SYNCED_FIELDS)[number];

export interface GithubLink {
  issue: number;
  /** Field → hash of its value at the last sync; a field missing here has no known base. */
  synced: Partial<Record<SyncedField, string>>;
  /** The id of the comment that carries the task's memory summary, once posted. */
  comment?: number;
}

/** The `github:` value of a task's front matter, or undefined when it holds no issue number. */
export function githubLinkOf(data: Record<string, unknown>): GithubLink | undefined {
  const raw = data.github;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const obj = raw as Record<string, unknown>;
  const issue = Number(obj.issue);
  if (!Number.isSafeInteger(issue) || issue <= 0) return undefined;
  const synced: GithubLink['synced'] = {};
  for (const f of SYNCED_FIELDS) if (typeof obj[f] === 'string' || typeof obj[f] === 'number') synced[f] = String(obj[f]);
  const comment = Number(obj.comment);
  return { issue, synced, comment: Number.isSafeInteger(comment) && comment > 0 ? comment : undefined };
}

/** The front matter value that stores `link`: flat, stable key order. */
export function githubLinkValue(link: GithubLink): Record<string, unknown> {
  const out: Record<string, unknown> = { issue: link.issue };
  for (const f of SYNCED_FIELDS) if (link.synced[f] !== undefined) out[f] = link.synced[f];
  if (link.comment) out.comment = link.comment;
  return out;
}

/** The issue a task file is linked to, read from the file (undefined when none or unreadable). */
export function linkedIssue(root: string, taskPath: string): number | undefined {
  try {
    return githubLinkOf(parseFrontMatter(readFileSync(join(root, taskPath), 'utf8'), taskPath).data)?.issue;
  } catch {
    return undefined;
  }
}

/** A short fingerprint of a synced value (12 hex digits of SHA-256): enough to tell an edit, small in front matter. */
export function fieldHash(value: string): string {
  return `h${createHash('sha256').update(value).digest('hex').slice(0, 12)}`;
}
