/**
 * `baton task edit`: the task file in a scratch copy, opened in the person's
 * editor, saved back through tasks/ only when it still reads as a task. A bad
 * edit stays in the scratch file, so nothing they typed is lost.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import type { Task } from '../core/task.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { replaceTaskText } from '../tasks/write.js';
import type { Project } from '../workspace/context.js';

/** Opens `file` in an editor and waits: its exit status (0 when saved), or undefined when there is no editor. */
export type RunEditor = (file: string) => number | string | undefined;

export function editTask(project: Project, ref: string, runEditor: RunEditor): { task: Task; changed: boolean } {
  const tasks = loadTasksStrict(project.root);
  const task = resolveTask(tasks, ref);
  const dir = mkdtempSync(join(process.getBuiltinModule('node:os').tmpdir(), 'baton-edit-'));
  const scratch = join(dir, task.path.split('/').pop()!);
  const original = readFileSync(join(project.root, task.path), 'utf8');
  writeFileSync(scratch, original);
  const status = runEditor(scratch);
  if (status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    if (status === undefined) throw new BatonError('no editor: set $EDITOR (or $VISUAL)', { hint: 'e.g. `EDITOR=nano baton task edit ' + task.id + '`' });
    throw new BatonError(`the editor exited with ${status}; the task is unchanged`, { file: task.path });
  }
  const edited = readFileSync(scratch, 'utf8');
  try {
    const saved = replaceTaskText(project, tasks, task, () => edited);
    rmSync(dir, { recursive: true, force: true });
    return { task: saved, changed: edited !== original };
  } catch (error) {
    if (error instanceof BatonError) {
      throw new BatonError(`${error.message}; the task is unchanged`, {
        file: error.file, line: error.line,
        hint: `${error.hint ?? ''}\n  Your edit is kept in ${scratch}: fix it and copy it over, or run \`baton task edit ${task.id}\` again.`.trim(),
      });
    }
    throw error;
  }
}
