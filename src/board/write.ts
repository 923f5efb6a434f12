/**
 * `baton board --write`: the board's changes go through the same use
 * cases as `baton task set`, `baton task edit` and `baton review-task` (validation of the whole
 * plan, the tasks lock, plan.md's table), so they are refused or applied
 * exactly as the CLI would.
 */
import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import type { Project } from '../workspace/context.js';
import { replaceTaskText, setTask } from '../tasks/write.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { answerTask } from '../workflow/questions.js';
import { parseWhere, reviewTask, type LineComment, type ReviewAction } from '../workflow/review-task.js';

export function boardWrite(project: Project, id: string, action: 'status' | 'edit', form: URLSearchParams): void {
  if (action === 'status') {
    const status = form.get('status');
    if (!status) throw new BatonError('no status in the form', { hint: 'Choose a status and save again.' });
    setTask(project, id, { status });
    return;
  }
  const text = form.get('text');
  if (text === null || !text.trim()) throw new BatonError('the task text is empty', { hint: 'Edit the text instead of clearing it.' });
  const tasks = loadTasksStrict(project.root);
  const task = resolveTask(tasks, id);
  // Browsers send CRLF from a textarea; the file keeps the line ends it had.
  replaceTaskText(project, tasks, task, () => text.replace(/\r\n/g, '\n'));
}

/**
 * The review form: line comments from the page's script (`comment`: `FILE:LINE`,
 * a newline, the text) or typed as text without it (`comments`: `FILE:LINE text`
 * per line), then the same use case as `baton review-task`.
 */
export async function boardReview(project: Project, id: string, form: URLSearchParams): Promise<void> {
  const action = form.get('action');
  if (!action) throw new BatonError('no action in the form', { hint: 'Press "Request changes", "Approve and merge" or "Cancel the task".' });
  const comments: LineComment[] = [];
  for (const c of form.getAll('comment')) {
    const at = c.indexOf('\n');
    comments.push({ ...parseWhere(at === -1 ? c : c.slice(0, at)), text: at === -1 ? '' : c.slice(at + 1) });
  }
  for (const line of (form.get('comments') ?? '').split(/\r?\n/)) {
    if (!line.trim()) continue;
    const m = /^\s*(\S+:\d+)\s+(.*)$/.exec(line);
    if (!m) throw new BatonError(`\`${line.trim().slice(0, 120)}\` is not a line comment`, { hint: 'Write one per line as `FILE:LINE text`, e.g. `src/login.ts:12 Check the length`.' });
    comments.push({ ...parseWhere(m[1]!), text: m[2]! });
  }
  await reviewTask(project, id, { action: action as ReviewAction, comments, message: form.get('message') ?? undefined, via: 'the board' });
}

/** What the person wrote in a review that was refused, to show back. */
export function typedReview(form: URLSearchParams): string {
  const parts = [
    ...form.getAll('comment').map((c) => c.replace('\n', ' ')),
    form.get('comments')?.trim() ?? '',
    form.get('message')?.trim() ? `Message: ${form.get('message')!.trim()}` : '',
  ].filter(Boolean);
  return parts.length ? `\n\nNothing was saved; what you wrote:\n\n${parts.join('\n')}` : '';
}

/** An answer typed on the board: `baton answer`'s use case (recorded where the task's branch is, the task unblocked). */
export async function boardAnswer(project: Project, id: string, form: URLSearchParams): Promise<void> {
  await answerTask(project, id, form.get('answer') ?? '', { forProject: form.get('for_project') === '1' });
}
