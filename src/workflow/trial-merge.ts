/**
 * Trial merges while tasks run (`baton auto`): each running branch, after each
 * of its commits, is merged in trial with the base and with the other running
 * branches (`git merge-tree --write-tree`: no checkout touched). A conflict
 * found this way is written to both tasks' memory as a `note` naming the other
 * task and the files, so it reaches their next prompt before either finishes.
 */
import type { Task } from '../core/task.js';
import { isoNow } from '../memory/entry.js';
import { appendMemory } from '../memory/file.js';
import { branchTips, mergeConflicts } from '../git/task-branch.js';
import { checkoutOf, taskBranchName } from '../tasks/checkout.js';
import type { Project } from '../workspace/context.js';
import { AGENTS, isUnder } from '../workspace/paths.js';

export interface TrialConflict {
  task: string;
  /** The other task, or undefined for the base. */
  with?: string;
  files: string[];
}

export class TrialMerges {
  /** Branch tip last tried, per task. */
  private readonly tried = new Map<string, string>();
  private baseTip?: string;
  /** Conflicts already written (task, other side, files): each is told once. */
  private readonly told = new Set<string>();

  constructor(private readonly project: Project) {}

  /** Try the merges that a new commit (on a running branch or the base) may have changed; write what conflicts. */
  async check(running: readonly Task[]): Promise<TrialConflict[]> {
    const { project } = this;
    const base = project.config.base_branch;
    const branch = new Map(running.map((t) => [t.id, taskBranchName(project, t)]));
    for (const id of [...this.tried.keys()]) if (!branch.has(id)) this.tried.delete(id);
    const tips = branchTips(project.root, [base, ...branch.values()]);
    const baseMoved = tips.get(base) !== this.baseTip;
    this.baseTip = tips.get(base);
    const live = running.filter((t) => tips.has(branch.get(t.id)!));
    const changed = new Set(live.filter((t) => tips.get(branch.get(t.id)!) !== this.tried.get(t.id)).map((t) => t.id));
    for (const t of live) this.tried.set(t.id, tips.get(branch.get(t.id)!)!);
    const found: TrialConflict[] = [];
    for (const t of live) {
      if (!baseMoved && !changed.has(t.id)) continue;
      const files = codeConflicts(project, base, branch.get(t.id)!);
      if (files.length && (await this.tell(t, undefined, files))) found.push({ task: t.id, files });
    }
    for (let i = 0; i < live.length; i++) {
      for (let j = i + 1; j < live.length; j++) {
        const [a, b] = [live[i]!, live[j]!];
        if (!changed.has(a.id) && !changed.has(b.id)) continue;
        const files = codeConflicts(project, branch.get(a.id)!, branch.get(b.id)!);
        if (!files.length) continue;
        const told = [await this.tell(a, b, files), await this.tell(b, a, files)];
        if (told.some(Boolean)) found.push({ task: a.id, with: b.id, files });
      }
    }
    return found;
  }

  /** A `note` in the task's memory, in the checkout where its agent works. False when already told (or nowhere to write). */
  private async tell(task: Task, other: Task | undefined, files: string[]): Promise<boolean> {
    const key = `${task.id}\0${other?.id ?? ''}\0${files.join('\0')}`;
    if (this.told.has(key)) return false;
    const dir = checkoutOf(this.project, taskBranchName(this.project, task))?.dir;
    if (!dir) return false;
    this.told.add(key);
    await appendMemory(dir, task.id, [{ time: isoNow(), kind: 'note', body: noteBody(this.project, other, files) }], task.title);
    return true;
  }
}

/** Conflicting files of a trial merge, without baton's own (their merge drivers resolve them). */
function codeConflicts(project: Project, a: string, b: string): string[] {
  return mergeConflicts(project.root, a, b).filter((f) => !isUnder(f, AGENTS.dir));
}

function noteBody(project: Project, other: Task | undefined, files: string[]): string {
  const list = files.map((f) => `- ${f}`).join('\n');
  if (!other) {
    const base = project.config.base_branch;
    return `Trial merge: this branch conflicts with \`${base}\` in the files below. Merge \`${base}\` into your branch (\`git merge ${base}\`) and resolve them before you finish.\n\n${list}`;
  }
  // The prompt shows a task id with its title; a branch name (which holds the id) would be shown mangled.
  return `Trial merge: this branch conflicts with ${other.id} (at work now on its own branch) in the files below. `
    + `Whichever merges second will not merge cleanly: change only what this task needs in them, and keep clear of what ${other.id} is changing.\n\n${list}`;
}
