/** Reading and writing `.agents/memory/lessons.md`: a hand-edited file, so a problem in it is located and refused. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { withLock, writeFileAtomic } from '../workspace/atomic.js';
import { agentsPaths, stateDir } from '../workspace/paths.js';
import type { MemoryEntry } from './entry.js';
import { readAllMemory } from './file.js';
import { DEFAULT_FADE_AFTER, isFaded, LESSONS_FILE, mergeFindings, parseLessons, serializeLessons, type Lesson, type LessonsFile } from './lessons.js';
import { findRecurring, type Finding, type HistoryTask } from './lessons-detect.js';

export const LESSONS_SHOWN = `.agents/memory/${LESSONS_FILE}`;

export function lessonsPath(root: string): string {
  return join(agentsPaths(root).memory, LESSONS_FILE);
}

/** The lessons kept (none when the file does not exist yet); a malformed lesson is an error naming its line. */
export function readLessons(root: string): LessonsFile {
  const path = lessonsPath(root);
  if (!existsSync(path)) return { preamble: '', lessons: [] };
  const parsed = parseLessons(readFileSync(path, 'utf8'));
  const first = parsed.problems[0];
  if (first) {
    throw new BatonError(first.message, {
      file: LESSONS_SHOWN, line: first.line,
      hint: 'Each lesson is `## L-<id>`, `key: value` lines (status: active | retired), a blank line, then its text.',
    });
  }
  return { preamble: parsed.preamble, lessons: parsed.lessons };
}

/** Write the lessons file atomically, under a lock in the git dir (a review and `lessons --update` at once). */
export async function writeLessons(root: string, update: (file: LessonsFile) => LessonsFile): Promise<LessonsFile> {
  const path = lessonsPath(root);
  return withLock(join(stateDir(root), 'lessons.lock'), () => {
    const next = update(readLessons(root));
    writeFileAtomic(path, serializeLessons(next));
    return next;
  });
}

/** Every memory file as detection reads it: a task's entries in file order (project.md as `project`). */
export function readHistory(root: string): HistoryTask[] {
  const byTask = new Map<string, MemoryEntry[]>();
  for (const e of readAllMemory(root)) {
    const id = e.task ?? 'project';
    const list = byTask.get(id);
    if (list) list.push(e);
    else byTask.set(id, [e]);
  }
  return [...byTask].map(([id, entries]) => ({ id, entries }));
}

/** Each task's latest result time: how many tasks finished since a lesson was last seen. */
export function resultTimes(history: readonly HistoryTask[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of history) {
    if (t.id === 'project') continue;
    const last = t.entries.filter((e) => e.kind === 'result').at(-1);
    if (last) out.set(t.id, last.time);
  }
  return out;
}

export interface LessonView extends Lesson {
  /** Retired, or unseen while `lessons_fade_after` tasks finished: it reaches no prompt. */
  faded: boolean;
}

/** The lessons kept, each with whether it has faded. */
export function lessonViews(root: string, fadeAfter = DEFAULT_FADE_AFTER, history = readHistory(root)): LessonView[] {
  const times = resultTimes(history);
  return readLessons(root).lessons.map((l) => ({ ...l, faded: isFaded(l, times, fadeAfter) }));
}

/** `baton lessons --update`: the detection pass, its findings merged into the file (nothing written when nothing changed). */
export async function updateLessons(root: string, opts: { dryRun?: boolean } = {}): Promise<{ added: Lesson[]; updated: Lesson[]; findings: Finding[] }> {
  const findings = findRecurring(readHistory(root));
  if (opts.dryRun) return { ...mergeFindings(readLessons(root), findings), findings };
  let result: { added: Lesson[]; updated: Lesson[] } = { added: [], updated: [] };
  const path = lessonsPath(root);
  await withLock(join(stateDir(root), 'lessons.lock'), () => {
    const merged = mergeFindings(readLessons(root), findings);
    result = merged;
    if (merged.added.length || merged.updated.length || (!existsSync(path) && findings.length)) writeFileAtomic(path, serializeLessons(merged.file));
  });
  return { ...result, findings };
}
