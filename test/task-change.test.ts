/**
 * The writer of an agent's change (tasks/change.ts) on a real project: it is
 * checked against the files as they are when it is written, so a task file
 * changed, an id taken or a review written since the agent read the project
 * is refused with the file named, and nothing is written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatonError } from '../src/core/errors.js';
import { applyTaskChange, previewTaskChange, type TaskChange } from '../src/tasks/change.js';
import { loadTasksStrict } from '../src/tasks/task-files.js';
import { taskFileWithId } from '../src/tasks/write.js';
import { openProject } from '../src/workspace/context.js';
import { setFrontMatterFields } from '../src/workspace/frontmatter.js';
import { addTask, makeProject, ok, read, snapshotFiles, write } from './helpers/repo.js';

function refused(fn: () => unknown): BatonError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BatonError) return error;
    throw error;
  }
  throw new Error('the change was not refused');
}

describe('writing an agent\'s change', () => {
  const dir = makeProject();
  const id = addTask(dir, 'Existing work');
  const project = openProject(dir);
  const task = () => loadTasksStrict(dir).find((t) => t.id === id)!;
  const retitle = (title: string): TaskChange => {
    const base = readFileSync(join(dir, task().path), 'utf8');
    const text = setFrontMatterFields(base, task().path, { title });
    return { created: [], updated: [{ task: { ...task(), title }, text, base }] };
  };

  it('refuses a task file changed since the change was made, names it, and writes nothing', () => {
    const change = retitle('Retitled by the planner');
    ok(dir, ['task', 'set', id, '--phase', 'Ops']); // someone else, meanwhile
    const before = snapshotFiles(dir);
    const error = refused(() => applyTaskChange(project, change));
    expect(error.message).toBe(`\`${id}\` was changed while this change was made`);
    expect(error.file).toBe(task().path);
    expect(error.hint).toContain('Nothing was written');
    expect(snapshotFiles(dir)).toEqual(before);
    expect(read(dir, task().path)).toContain('phase: Ops');
  });

  it('refuses a new task whose id was taken meanwhile, and a review file written meanwhile', () => {
    write(dir, '.agents/reviews/R-001.md', '# Review R-001\n\nWritten by another review.\n');
    const before = snapshotFiles(dir);
    const clash = taskFileWithId({ title: 'Same id, other task' }, id, []);
    expect(refused(() => applyTaskChange(project, { created: [clash], updated: [] })).message).toContain(`the id \`${id}\` was taken`);
    const review = { path: join(dir, '.agents', 'reviews', 'R-001.md'), text: '# Review R-001\n\nMine.\n' };
    expect(refused(() => applyTaskChange(project, { created: [], updated: [], added: [review] })).file).toBe('.agents/reviews/R-001.md');
    expect(snapshotFiles(dir)).toEqual(before);
  });

  it('--dry-run says plan.md would change and writes nothing; applying writes the task and its row', () => {
    const change = retitle('Retitled by the planner');
    const before = snapshotFiles(dir);
    expect(previewTaskChange(project, change).planChanged).toBe(true);
    expect(snapshotFiles(dir)).toEqual(before);
    const outcome = applyTaskChange(project, change);
    expect(outcome.planChanged).toBe(true);
    expect(read(dir, task().path)).toContain('title: Retitled by the planner');
    expect(read(dir, '.agents/plan.md')).toContain(`| Retitled by the planner | ready | Ops |`);
  });
});
