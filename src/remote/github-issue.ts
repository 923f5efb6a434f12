/**
 * How a task reads as a GitHub issue and back. Pure: no I/O.
 *
 * The issue body is the task's body, then its dependencies as a "Blocked by"
 * task list (`- [ ] #12`, ticked when that issue is closed), then a hidden
 * marker with the task id. The marker is how a sync that crashed between
 * creating an issue and recording its number finds the issue again instead of
 * creating a second one.
 */
import { lfText } from '../core/eol.js';
import type { Status } from '../core/task.js';

/** The label every issue baton creates carries; issues with it and no task become tasks. */
export const BATON_LABEL = 'baton';
/** Open issues carry at most one of these; `todo` is an open issue with none. */
export const STATUS_LABELS = ['in-progress', 'review', 'blocked'] as const;

export interface IssueFields {
  title: string;
  /** The body without the "Blocked by" list and the marker, trimmed, LF line ends. */
  text: string;
  status: Status;
  /** Issue numbers from the "Blocked by" list, in the order written. */
  blockedBy: number[];
  /** The task id in the marker, if any. */
  marker?: string;
}

/** What the sync reads of an issue: the fields of the REST API's issue object it needs. */
export interface IssueLike {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  state_reason?: string | null;
  labels: (string | { name?: string | null })[];
  pull_request?: unknown;
}

const MARKER_RE = /<!-- baton:(T-[0-9a-f]{3,16}) -->/;
// The list may sit anywhere in the body (a person may write below it); baton writes it at the end.
const BLOCKED_RE = /(?:^|\n)#{1,6} Blocked by[ \t]*\n+((?:[ \t]*[-*] \[[ xX]\] #\d+[^\n]*(?:\n|$))+)/i;

function marker(id: string): string {
  return `<!-- baton:${id} -->`;
}

/** A body as compared and stored: LF line ends, no trailing spaces at line ends, trimmed. */
export function normalText(text: string): string {
  return lfText(text).replace(/[ \t]+$/gm, '').trim();
}

export function labelNames(issue: Pick<IssueLike, 'labels'>): string[] {
  return issue.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean);
}

/** The task status an issue's state and labels say. */
export function statusOfIssue(issue: Pick<IssueLike, 'state' | 'state_reason' | 'labels'>): Status {
  if (issue.state === 'closed') return issue.state_reason === 'not_planned' ? 'cancelled' : 'done';
  const names = new Set(labelNames(issue));
  // More than one status label (edited by hand): the one that holds the work up most wins.
  for (const s of ['blocked', 'review', 'in-progress'] as const) if (names.has(s)) return s;
  return 'todo';
}

/** The state, state reason and labels that say `status`, keeping the issue's other labels. */
export function issueStatePatch(status: Status, labels: readonly string[]): { state: 'open' | 'closed'; state_reason?: 'completed' | 'not_planned'; labels: string[] } {
  const others = labels.filter((l) => !(STATUS_LABELS as readonly string[]).includes(l) && l !== BATON_LABEL);
  const own = (STATUS_LABELS as readonly string[]).includes(status) ? [status] : [];
  const next = [BATON_LABEL, ...others, ...own];
  if (status === 'done') return { state: 'closed', state_reason: 'completed', labels: next };
  if (status === 'cancelled') return { state: 'closed', state_reason: 'not_planned', labels: next };
  return { state: 'open', labels: next };
}

/** Read an issue's body into its parts. */
export function parseIssueBody(body: string | null | undefined): Pick<IssueFields, 'text' | 'blockedBy' | 'marker'> {
  let text = lfText(body ?? '');
  const mark = MARKER_RE.exec(text);
  if (mark) text = text.replace(MARKER_RE, '');
  text = text.replace(/\s+$/, '');
  const blocked = BLOCKED_RE.exec(text);
  const blockedBy: number[] = [];
  if (blocked) {
    for (const m of blocked[1]!.matchAll(/#(\d+)/g)) blockedBy.push(Number(m[1]));
    const before = text.slice(0, blocked.index).replace(/\s+$/, '');
    const after = text.slice(blocked.index + blocked[0].length).replace(/^\s+/, '');
    text = before && after ? `${before}\n\n${after}` : before || after;
  }
  return { text: normalText(text), blockedBy: [...new Set(blockedBy)], marker: mark?.[1] };
}

export function issueFields(issue: IssueLike): IssueFields {
  return { title: issue.title, status: statusOfIssue(issue), ...parseIssueBody(issue.body) };
}

/** The body of the issue for a task: its text, its "Blocked by" list (`closed`: numbers to tick) and its marker. */
export function renderIssueBody(text: string, blockedBy: readonly number[], id: string, closed: ReadonlySet<number> = new Set()): string {
  const parts = [normalText(text)];
  if (blockedBy.length) parts.push(`### Blocked by\n${blockedBy.map((n) => `- [${closed.has(n) ? 'x' : ' '}] #${n}`).join('\n')}`);
  parts.push(marker(id));
  return `${parts.filter(Boolean).join('\n\n')}\n`;
}
