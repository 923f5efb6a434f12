/**
 * `baton review-task`: a person's review of one task's work, the same from the
 * CLI, MCP and the board. "Request changes" reopens the task with the comments
 * (file:line and text) as the reason, which its next prompt carries first and
 * which keeps `auto` from merging the branch as finished; "Approve" merges it;
 * "Cancel" cancels it. Each writes a `review` entry to the task's memory on
 * the base and commits it there, like `baton review` does.
 */
import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import type { Task } from '../core/task.js';
import { isoNow } from '../memory/entry.js';
import { appendMemory } from '../memory/file.js';
import { CHANGES_REQUESTED } from '../memory/change-requests.js';
import { branchExists, showFile } from '../git/task-branch.js';
import { taskBranchName } from '../tasks/checkout.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { setTask } from '../tasks/write.js';
import { safeBranch, type Project } from '../workspace/context.js';
import { commitWritten, snapshotAgents, type PlanCommit } from './plan-commit.js';
import { doneTask, type DoneResult } from './done.js';

export const REVIEW_ACTIONS = ['request-changes', 'approve', 'cancel'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/** The `ref` of the memory entry each action writes: `## <time> review changes-requested`. */
const REVIEW_REFS: Record<ReviewAction, string> = { 'request-changes': CHANGES_REQUESTED, approve: 'approved', cancel: 'cancelled' };

export interface LineComment {
  path: string;
  line: number;
  text: string;
}

export interface ReviewTaskInput {
  action: ReviewAction;
  comments?: LineComment[];
  /** A comment on the whole change. */
  message?: string;
  /** Where the review was made, said in memory: `the board`, `the CLI`, `MCP`. */
  via: string;
}

export interface ReviewTaskResult {
  id: string;
  action: ReviewAction;
  status: string;
  /** The memory entry written (its body). */
  entry: string;
  commit?: string;
  merged?: DoneResult['merged'];
}

const TEXT_MAX = 4000;
const COMMENTS_MAX = 100;

/** `src/a.ts:12` → path and line; the error names what was given and the shape expected. */
export function parseWhere(where: string): { path: string; line: number } {
  const m = /^(.+):(\d+)$/.exec(where.trim());
  const line = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(line) || line < 1 || /[\r\n\0]/.test(m[1]!)) {
    throw new BatonError(`\`${where.slice(0, 200)}\` is not a place in a file`, { hint: 'Give it as FILE:LINE, e.g. `src/login.ts:12` (the line on the task branch, as the diff numbers it).' });
  }
  return { path: m[1]!.trim().replace(/^\.\//, ''), line };
}

function checkedText(text: string, what: string): string {
  const t = text.replace(/\r\n?/g, '\n').trim();
  if (!t) throw new BatonError(`${what} is empty`, { hint: 'Say what should change.' });
  if (t.length > TEXT_MAX) throw new BatonError(`${what} is ${t.length} characters long; at most ${TEXT_MAX} are kept`, { hint: 'Shorten it, or split it over several comments.' });
  return t;
}

/** A comment must name a line of a file as the task branch has it (the diff's right-hand numbers). */
function checkComment(project: Project, task: Task, branch: string | undefined, c: LineComment): LineComment {
  const text = checkedText(c.text, `the comment on \`${c.path}:${c.line}\``);
  const rev = branch ?? project.config.base_branch;
  const content = showFile(project.root, rev, c.path);
  if (content === undefined) {
    throw new BatonError(`\`${c.path}\` is not a file on \`${rev}\`; the comment on line ${c.line} was not saved`, {
      hint: `Name a file of the task's change, as \`git diff ${project.config.base_branch}...${rev} --stat\` lists it.`,
    });
  }
  const lines = content.split('\n').length - (content.endsWith('\n') ? 1 : 0);
  if (c.line > Math.max(lines, 1)) {
    throw new BatonError(`\`${c.path}\` has ${lines} line${lines === 1 ? '' : 's'} on \`${rev}\`; line ${c.line} is past its end`, {
      hint: `Give a line from 1 to ${lines}, as the diff numbers the branch's side.`,
    });
  }
  return { path: c.path, line: c.line, text };
}

/** The memory entry's body: one list item per comment, `file:line` first. */
function reviewBody(action: ReviewAction, via: string, comments: readonly LineComment[], message?: string): string {
  const head = action === 'request-changes' ? `Changes requested by a person on ${via}.` : action === 'approve' ? `Approved by a person on ${via}: merged.` : `Cancelled by a person on ${via}.`;
  const indent = (t: string) => t.split('\n').join('\n  ');
  const items = [
    ...(message ? [`- ${indent(message)}`] : []),
    ...comments.map((c) => `- \`${c.path}:${c.line}\`: ${indent(c.text)}`),
  ];
  return items.length ? `${head}\n\n${items.join('\n')}` : head;
}

function onBase(project: Project, action: ReviewAction, id: string): void {
  const base = project.config.base_branch;
  const here = safeBranch(project.root);
  if (here === base) return;
  throw new BatonError(`a review is recorded on \`${base}\`, and this checkout is on \`${here ?? 'a detached HEAD'}\``, {
    hint: `Run it from the main checkout (\`git switch ${base}\`), e.g. \`baton review-task ${id} --${action}\`.`,
  });
}

/** What each action checks before anything is written. */
function refusal(task: Task, action: ReviewAction, hasBranch: boolean): string | undefined {
  if (task.status === 'cancelled') return `\`${task.id}\` is cancelled`;
  if (action === 'approve' && task.status === 'done') return `\`${task.id}\` is done and merged already`;
  if (action === 'request-changes' && !hasBranch && task.status !== 'done') return `\`${task.id}\` has no work to review yet (no task branch)`;
  return undefined;
}

export async function reviewTask(project: Project, ref: string, input: ReviewTaskInput): Promise<ReviewTaskResult> {
  if (!(REVIEW_ACTIONS as readonly string[]).includes(input.action)) {
    throw new BatonError(`unknown review action \`${String(input.action)}\``, { hint: `Use one of: ${REVIEW_ACTIONS.join(', ')}.` });
  }
  const task = resolveTask(loadTasksStrict(project.root), ref);
  const { action } = input;
  onBase(project, action, task.id);
  const branchName = taskBranchName(project, task);
  const hasBranch = branchExists(project.root, branchName);
  const why = refusal(task, action, hasBranch);
  if (why) throw new BatonError(`${why}; nothing was changed`, { file: task.path, line: task.lines.status, hint: 'Review a task whose work is on its branch (`baton status` lists them under review).' });
  const raw = input.comments ?? [];
  if (raw.length > COMMENTS_MAX) throw new BatonError(`${raw.length} comments in one review; at most ${COMMENTS_MAX}`, { hint: 'Send the rest in a second review.' });
  const comments = raw.map((c) => checkComment(project, task, hasBranch ? branchName : undefined, c));
  const message = input.message?.trim() ? checkedText(input.message, 'the message') : undefined;
  if (action === 'request-changes' && !comments.length && !message) {
    throw new BatonError(`requesting changes on \`${task.id}\` needs a comment or a message saying what to change`, {
      hint: `e.g. \`baton review-task ${task.id} --comment src/login.ts:12 "Check the password length" --request-changes\`.`,
    });
  }
  const body = reviewBody(action, input.via, comments, message);
  let merged: DoneResult['merged'];
  if (action === 'approve') merged = (await approveMerge(project, task.id)).merged;
  const before = snapshotAgents(project.root);
  const entry = { time: isoNow(), kind: 'review', ref: REVIEW_REFS[action], body };
  let status = action === 'approve' ? 'done' : task.status;
  if (action === 'cancel') status = setTask(project, task.id, { status: 'cancelled' }).status;
  // Reopened: `todo` on the base (a merged task too), and its branch's finished work is no longer taken as final.
  if (action === 'request-changes' && task.status !== 'todo' && task.status !== 'in-progress') status = setTask(project, task.id, { status: 'todo' }).status;
  await appendMemory(project.root, task.id, [entry], task.title);
  const subject = `Review ${task.id}: ${action === 'request-changes' ? `changes requested (${comments.length} comment${comments.length === 1 ? '' : 's'})` : action === 'approve' ? 'approved' : 'cancelled'}`;
  const committed: PlanCommit = await commitWritten(before, subject);
  return { id: task.id, action, status, entry: body, ...(committed.commit ? { commit: committed.commit } : {}), ...(merged ? { merged } : {}) };
}

/**
 * The one place an approval merges. Today `baton done --merge`'s use case;
 * where a merge queue runs, this is the call that hands the task to it.
 */
async function approveMerge(project: Project, id: string): Promise<DoneResult> {
  return doneTask(project, id, { merge: true });
}
