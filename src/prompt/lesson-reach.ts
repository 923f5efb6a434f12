/**
 * Which open tasks each lesson reaches: the rule the prompt routes lessons by
 * (memory/lessons.ts `lessonApplies`), over every task not yet done, with the
 * files a task names and the files its recorded commits touched.
 */
import type { Task } from '../core/task.js';
import type { LessonView } from '../memory/lessons-file.js';
import { lessonApplies } from '../memory/lessons.js';
import { readMemory } from '../memory/file.js';
import { commitEntryFiles } from '../tasks/checkout.js';
import { AGENTS, isUnder } from '../workspace/paths.js';

const CLOSED = new Set(['done', 'cancelled']);

/** The files a task's prompt routes lessons by: those it names and those its recorded commits touched. */
function routingFiles(task: Task, commitFiles: readonly string[]): Set<string> {
  return new Set([...task.files, ...commitFiles.filter((p) => !isUnder(p, AGENTS.dir))]);
}

/** Lesson id → the ids of the open tasks whose prompt it reaches (none for a faded lesson). */
export function lessonReach(root: string, tasks: readonly Task[], lessons: readonly LessonView[]): Map<string, string[]> {
  const open = tasks.filter((t) => !CLOSED.has(t.status)).map((t) => ({
    task: t,
    files: routingFiles(t, readMemory(root, t.id).entries.filter((e) => e.kind === 'commit').flatMap((e) => commitEntryFiles(e).map((f) => f.path))),
  }));
  return new Map(lessons.map((l) => [l.id, l.faded ? [] : open.filter((o) => lessonApplies(l, o.task, o.files)).map((o) => o.task.id)]));
}
