/**
 * The steps of one attempt that the manual loop already defines (`baton
 * start --worktree`, `baton log`), wrapped for `baton run`: the same files
 * and commits whether a person or baton drives the task.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isoNow, type MemoryEntry, type Outcome } from '../memory/entry.js';
import type { Task } from '../core/task.js';
import { commitPaths, gitRun } from '../git/task-branch.js';
import type { Report } from '../prompt/report.js';
import { appendMemory } from '../memory/file.js';
import { agentsPaths } from '../workspace/paths.js';
import type { Project } from '../workspace/context.js';
import { logTask, reportToLog } from './log.js';
import { ownPaths, startTask } from './start.js';
import { gitSaid } from '../git/run.js';

export interface Begun {
  dir: string;
  branch: string;
  attempt: number;
}

/**
 * `baton start ID --worktree`: a new worktree, or the one an earlier attempt
 * left (a retry or a resume). A retry first brings the base into the branch,
 * so it sees what was merged since (a follow-up's fix, a dependency).
 */
export async function beginAttempt(project: Project, task: Task, worktree = true): Promise<Begun> {
  const r = await startTask(project, task.id, { worktree });
  if (!r.created) {
    const base = project.config.base_branch;
    const merge = gitRun(r.dir, ['merge', '--no-edit', '-m', `Bring ${base} into ${r.branch} for attempt ${r.attempt}\n\nTask: ${task.id}`, base]);
    if (merge.code !== 0) {
      gitRun(r.dir, ['merge', '--abort']);
      await appendMemory(r.dir, task.id, [{
        time: isoNow(), kind: 'note',
        body: `Could not bring \`${base}\` into the branch before attempt ${r.attempt} (${gitSaid(merge.stdout + merge.stderr)}); this attempt works on the branch as it was.`,
      }]);
    }
  }
  return { dir: r.dir, branch: r.branch, attempt: r.attempt };
}

/** Commit baton's own files of this task (task file, memory, prompt) in `dir`. */
export function commitBatonFiles(dir: string, task: Pick<Task, 'id' | 'path'>, message: string): string | undefined {
  const here = { root: dir, paths: agentsPaths(dir) } as Project;
  const paths = ownPaths(here, task).filter((p) => existsSync(join(dir, p)));
  return commitPaths(dir, paths, `${message}\n\nTask: ${task.id}`);
}


export interface AttemptLog {
  /** Undefined: interrupted, no result. */
  outcome?: Outcome;
  summary: string;
  report: Report;
  /** Entries that come before the result: checks, a false claim, the agent's report. */
  entries: Pick<MemoryEntry, 'time' | 'kind' | 'ref' | 'body'>[];
}

/** `baton log` with the verdict (checks decide) and the agent's bugs, decisions and notes; committed on the branch. */
export async function logAttempt(project: Project, task: Task, log: AttemptLog): Promise<void> {
  await appendMemory(project.root, task.id, log.entries, task.title);
  const fromReport = reportToLog(log.report);
  await logTask(project, task.id, {
    ...fromReport,
    outcome: log.outcome,
    summary: log.summary,
    // An interrupted attempt is no verdict on the task: no blockers that would mark it blocked.
    blockers: log.outcome ? fromReport.blockers : [],
    commit: true,
  });
}
