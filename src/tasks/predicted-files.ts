/**
 * Gathers what core/overlap.ts predicts from: the task files, the memory
 * `commit` entries of its dependencies and of its own attempts (on its branch
 * or worktree while it runs), and the lessons of tasks that touched files they
 * did not name. One Predictor per scheduling round: each memory file is read once.
 */
import { namedFiles, outsideOf, predict, scheduleAround, type Lesson, type Overlap, type Prediction } from '../core/overlap.js';
import { existsSync } from 'node:fs';
import type { Task } from '../core/task.js';
import type { MemoryEntry } from '../memory/entry.js';
import { memoryFileNames, readMemory } from '../memory/file.js';
import type { Project } from '../workspace/context.js';
import { localBranches } from '../git/task-branch.js';
import { commitEntryFiles, taskBranchName, taskState } from './checkout.js';
import { FOLD_KIND, parseFold } from '../memory/compact.js';

export class Predictor {
  private lessonList?: Lesson[];
  private readonly byId: Map<string, Task>;
  private readonly cache = new Map<string, Prediction>();
  private branches?: Set<string>;
  private branchIds?: Set<string>;
  private memoryNames?: Set<string>;

  constructor(private readonly project: Project, tasks: readonly Task[]) {
    this.byId = new Map(tasks.map((t) => [t.id, t]));
  }

  /** The prediction for a task (cached for this round). */
  of(task: Task): Prediction {
    const hit = this.cache.get(task.id);
    if (hit) return hit;
    const dependencyFiles = task.depends_on.flatMap((d) => this.mergedTouched(d));
    // The task as its branch sees it: a retry's earlier commits, or a running task's commits so far.
    const earlierFiles = this.hasBranch(task) ? memoryTouched(taskState(this.project, task).memory) : [];
    const p = predict({ id: task.id, files: task.files, text: `${task.title}\n${task.body}`, dependencyFiles, earlierFiles }, this.lessons());
    this.cache.set(task.id, p);
    return p;
  }

  /** Ready tasks (in the order to take them) against the running ones: who waits for whom. */
  schedule(ready: readonly Task[], running: readonly Task[]): Map<string, Overlap> {
    const waits = new Map<string, Overlap>();
    for (const s of scheduleAround(ready.map((t) => this.of(t)), running.map((t) => this.of(t)))) if (s.waits) waits.set(s.id, s.waits);
    return waits;
  }

  /**
   * The files a finished attempt of `task` touched beyond the files it named
   * (what later predictions learn); none when it named no file, as nothing was predicted from it.
   */
  surprises(task: Task): string[] {
    const named = namedFiles({ files: task.files, text: `${task.title}\n${task.body}` });
    return named.length ? outsideOf(named, memoryTouched(taskState(this.project, task).memory)) : [];
  }

  /** Whether the task has a branch (one git call, the first time; its name is built only when a branch carries its id). */
  private hasBranch(task: Task): boolean {
    if (!this.branches) {
      this.branches = localBranches(this.project.root);
      const prefix = this.project.config.branch_prefix;
      this.branchIds = new Set([...this.branches].flatMap((b) => (b.startsWith(prefix) ? (/^T-[0-9a-f]+(?=-|$)/.exec(b.slice(prefix.length))?.[0] ?? []) : [])));
    }
    if (!task.branch && !this.branchIds!.has(task.id)) return false;
    return this.branches.has(taskBranchName(this.project, task));
  }

  /** Every task with commits on the base teaches which files go with the files it named. */
  private lessons(): Lesson[] {
    if (this.lessonList) return this.lessonList;
    const out: Lesson[] = [];
    for (const t of this.byId.values()) {
      const touched = memoryTouched(this.memoryOf(t.id));
      if (!touched.length) continue;
      const named = namedFiles({ files: t.files, text: `${t.title}\n${t.body}` });
      const outside = outsideOf(named, touched);
      if (outside.length && named.length) out.push({ id: t.id, named, outside });
    }
    return (this.lessonList = out);
  }

  /**
   * From the dependency's memory only: `done` backfills the commit entries the hooks missed, so a
   * task closed through baton has them. No git history per dependency here: that was three git
   * processes per dependency on every `status` and `next` (3.8 s at 1,000 tasks).
   */
  private mergedTouched(id: string): string[] {
    return this.byId.has(id) ? memoryTouched(this.memoryOf(id)) : [];
  }

  /** A task's memory entries; one listing of the folder instead of a look for each task's file (most have none yet). */
  private memoryOf(id: string): MemoryEntry[] {
    this.memoryNames ??= new Set(existsSync(this.project.paths.memory) ? memoryFileNames(this.project.paths.memory) : []);
    return this.memoryNames.has(`${id}.md`) ? readMemory(this.project.root, id).entries : [];
  }
}

/** Files of a memory's `commit` entries (and of its folds), in order, each once. */
export function memoryTouched(entries: readonly MemoryEntry[]): string[] {
  const out = new Set<string>();
  for (const e of entries) {
    if (e.kind === 'commit') for (const f of commitEntryFiles(e)) out.add(f.path);
    else if (e.kind === FOLD_KIND) for (const f of parseFold(e)?.files ?? []) out.add(f);
  }
  return [...out];
}
