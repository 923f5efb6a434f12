/**
 * `baton board --write`: the board's changes go through the same use
 * cases as `baton task set` and `baton task edit` (validation of the whole
 * plan, the tasks lock, plan.md's table), so they are refused or applied
 * exactly as the CLI would.
 */
import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import type { Project } from '../workspace/context.js';
import { replaceTaskText, setTask } from '../tasks/write.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { answerTask } from '../workflow/questions.js';

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

/** An answer typed on the board: `baton answer`'s use case (recorded where the task's branch is, the task unblocked). */
export async function boardAnswer(project: Project, id: string, form: URLSearchParams): Promise<void> {
  await answerTask(project, id, form.get('answer') ?? '', { forProject: form.get('for_project') === '1' });
}
