/** For `baton auto`: whether a candidate's predicted files overlap a task at work (core/overlap.ts decides). */
import { firstOverlap, type Overlap, type Prediction } from '../core/overlap.js';
import type { Task } from '../core/task.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { Predictor } from '../tasks/predicted-files.js';
import type { Project } from '../workspace/context.js';

/**
 * One scheduling round: the predictions of the tasks at work (this run's
 * attempts, and with a remote the tasks other runners hold), read only when a
 * candidate is checked, and grown by each task the round starts.
 */
export class OverlapCheck {
  private state?: { predictor: Predictor; busy: Prediction[] };

  constructor(private readonly project: Project, private readonly busyIds: readonly string[]) {}

  /** The task at work that `task` must wait for, and the files they share. */
  waitsFor(task: Task): Overlap | undefined {
    const { predictor, busy } = this.prepare();
    return firstOverlap(predictor.of(task), busy);
  }

  started(task: Task): void {
    const { predictor, busy } = this.prepare();
    busy.push(predictor.of(task));
  }

  private prepare(): { predictor: Predictor; busy: Prediction[] } {
    if (this.state) return this.state;
    const tasks = loadTasksStrict(this.project.root);
    const byId = new Map(tasks.map((t) => [t.id, t]));
    const predictor = new Predictor(this.project, tasks);
    const busy = [...new Set(this.busyIds)].map((id) => byId.get(id)).filter((t): t is Task => t !== undefined).map((t) => predictor.of(t));
    return (this.state = { predictor, busy });
  }
}
