/** Memory entries: the model and the heading format. Pure. */

export const ENTRY_KINDS = ['commit', 'attempt', 'result', 'bug', 'decision', 'blocker', 'note', 'review', 'usage', 'check', 'question', 'answer'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
export const OUTCOMES = ['success', 'partial', 'failure'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface MemoryEntry {
  /** ISO-8601 UTC time, second precision: `2026-11-22T10:31:05Z`. */
  time: string;
  kind: string;
  ref?: string;
  /** Markdown body, without the heading and without trailing blank lines. */
  body: string;
  /** Task id the entry belongs to (`project` for memory/project.md). */
  task?: string;
  /** 1-based line of the heading in its file. */
  line?: number;
}

export const ENTRY_HEADING_RE = /^## (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) ([a-z][a-z-]*)(?: +(.*?))? *$/;

export function isoNow(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Entries are kept to this many characters of body, and a line to LINE_MAX (the hooks cut lines alike). */
export const BODY_MAX = 16_384;
export const LINE_MAX = 1000;

/** Pure: a body within BODY_MAX characters, each line within LINE_MAX: a pasted megabyte becomes a note that it was cut. */
export function boundedBody(body: string): string {
  const lines = body.split('\n').map((l) => (l.length > LINE_MAX ? `${l.slice(0, LINE_MAX)} … (cut)` : l));
  const text = lines.join('\n');
  return text.length > BODY_MAX ? `${text.slice(0, BODY_MAX)}\n… (cut: ${text.length.toLocaleString('en-US')} characters in all)` : text;
}

export function formatEntry(entry: Pick<MemoryEntry, 'time' | 'kind' | 'ref' | 'body'>): string {
  const heading = `## ${entry.time} ${entry.kind}${entry.ref ? ' ' + entry.ref : ''}`;
  const body = entry.body.replace(/\s+$/, '');
  return body ? `${heading}\n${body}\n` : `${heading}\n`;
}
