/**
 * The two halves of a task's run in CI, split so the model-written code never
 * shares a job with a token that can push. `baton ci pack` runs in the job that
 * ran the agent and its checks (read-only token, model keys): it writes the task
 * branch as a git bundle with the run's outcome, for an artifact. `baton ci
 * publish` runs in a job that holds the write token but runs no project code:
 * it reads each artifact as untrusted input (the job that wrote it ran whatever
 * the agent wrote), takes only tasks the plan job scheduled, only the branch
 * name the base's plan gives that task, pushes that one ref without force, and
 * only for a run that succeeded opens the pull request or, with `merge`, merges
 * it into the base (`done --merge --skip-checks`: the checks ran in the run job;
 * running them here would run the agent's code beside the token).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import type { Task } from '../core/task.js';
import { gitRun } from '../git/task-branch.js';
import { gitSaid } from '../git/run.js';
import type { Project } from '../workspace/context.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { taskBranchName } from '../tasks/checkout.js';
import { push, refSha } from './git-remote.js';

const BUNDLE = 'task.bundle';
const RESULT = 'result.json';
/** What `steps.<id>.outcome` can be. */
const OUTCOMES = ['success', 'failure', 'cancelled', 'skipped'] as const;
type Outcome = (typeof OUTCOMES)[number];

export interface PackResult {
  task: string;
  branch: string;
  outcome: Outcome;
  /** False when the branch did not exist (the run stopped before `start`). */
  bundled: boolean;
}

function requireOutcome(value: string): Outcome {
  if (!(OUTCOMES as readonly string[]).includes(value)) {
    throw new BatonError(`\`--outcome ${value}\` is not a step outcome`, { hint: `Pass one of ${OUTCOMES.join(', ')} (\`\${{ steps.run.outcome }}\`).` });
  }
  return value as Outcome;
}

/** In the run job: the task branch (what is not on the base yet) as a bundle, and the outcome, in `out`. */
export function packTask(project: Project, ref: string, outcome: string, out: string): PackResult {
  const task = resolveTask(loadTasksStrict(project.root), ref);
  const branch = taskBranchName(project, task);
  const result: PackResult = { task: task.id, branch, outcome: requireOutcome(outcome), bundled: false };
  mkdirSync(out, { recursive: true });
  if (refSha(project.root, `refs/heads/${branch}`)) {
    const base = project.config.base_branch;
    const exclude = [`refs/remotes/origin/${base}`, `refs/heads/${base}`].find((r) => refSha(project.root, r));
    const r = gitRun(project.root, ['bundle', 'create', '--quiet', join(out, BUNDLE), `refs/heads/${branch}`, ...(exclude ? [`^${exclude}`] : [])]);
    if (r.code !== 0) throw new BatonError(`could not bundle \`${branch}\`: ${gitSaid(r.stderr)}`);
    result.bundled = true;
  }
  writeFileSync(join(out, RESULT), `${JSON.stringify(result)}\n`);
  return result;
}

export interface Published {
  /** The artifact folder. */
  from: string;
  task?: string;
  branch?: string;
  outcome?: Outcome;
  pushed: boolean;
  pullRequest?: string;
  merged?: string;
  /** Why it was refused or stopped. */
  error?: string;
}

export interface PublishOptions {
  remote: string;
  /** The task ids the plan job scheduled (its output): an artifact for any other is refused. */
  scheduled: readonly string[];
  /** Merge a succeeded task into the base instead of opening a pull request. */
  merge: boolean;
  note?: (line: string) => void;
}

/** An artifact's result.json, checked: the task id and outcome, nothing else is believed. */
function readResult(file: string, tasks: readonly Task[], scheduled: readonly string[]): { task: Task; outcome: Outcome } {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BatonError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const { task: id, outcome } = (data ?? {}) as { task?: unknown; outcome?: unknown };
  if (typeof id !== 'string' || !/^T-[0-9a-f]+$/.test(id)) throw new BatonError(`${file}: \`task\` is not a task id`);
  if (!scheduled.includes(id)) throw new BatonError(`${file}: \`${id}\` was not scheduled by this run's plan job (${scheduled.join(', ') || 'none'})`);
  const task = tasks.find((t) => t.id === id);
  if (!task) throw new BatonError(`${file}: \`${id}\` is not a task in the base's plan`);
  if (typeof outcome !== 'string' || !(OUTCOMES as readonly string[]).includes(outcome)) throw new BatonError(`${file}: \`outcome\` must be one of ${OUTCOMES.join(', ')}`);
  return { task, outcome: outcome as Outcome };
}

/** The bundle's heads must be exactly the task's branch; it is fetched into that local branch. Returns its SHA. */
function takeBundle(project: Project, file: string, branch: string): string {
  const want = `refs/heads/${branch}`;
  const verify = gitRun(project.root, ['bundle', 'verify', '--quiet', file]);
  if (verify.code !== 0) throw new BatonError(`${file} is not a bundle this repository can read: ${gitSaid(verify.stderr)}`);
  const heads = gitRun(project.root, ['bundle', 'list-heads', file]).stdout.split('\n').filter(Boolean).map((l) => l.split(' ')[1]);
  if (heads.length !== 1 || heads[0] !== want) {
    throw new BatonError(`${file} holds ${heads.map((h) => `\`${h}\``).join(', ') || 'no ref'}, not only \`${want}\``, { hint: 'Only the task\'s own branch, as the base\'s plan names it, is published.' });
  }
  if (gitRun(project.root, ['symbolic-ref', '-q', 'HEAD']).stdout.trim() === want) throw new BatonError(`\`${branch}\` is checked out here`);
  const fetched = gitRun(project.root, ['fetch', '--quiet', '--no-tags', '--force', file, `${want}:${want}`]);
  if (fetched.code !== 0) throw new BatonError(`could not read \`${branch}\` from ${file}: ${gitSaid(fetched.stderr)}`);
  return refSha(project.root, want)!;
}

/** In the publish job: every artifact under `dir` (one folder each), one at a time. */
export async function publishTasks(project: Project, dir: string, opts: PublishOptions): Promise<Published[]> {
  const tasks = loadTasksStrict(project.root);
  const folders = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(dir, d.name)).sort() : [];
  const done: Published[] = [];
  for (const from of folders) {
    const p: Published = { from, pushed: false };
    done.push(p);
    try {
      const { task, outcome } = readResult(join(from, RESULT), tasks, opts.scheduled);
      const branch = taskBranchName(project, task);
      Object.assign(p, { task: task.id, branch, outcome });
      if (!existsSync(join(from, BUNDLE))) {
        p.error = 'no branch to publish (the run stopped before the task started)';
        continue;
      }
      const sha = takeBundle(project, join(from, BUNDLE), branch);
      // That one ref, never forced: a branch someone else moved meanwhile is theirs to keep.
      const pushed = await push(project.root, opts.remote, [{ src: sha, dst: `refs/heads/${branch}` }]);
      if (!pushed.ok) throw new BatonError(`\`${opts.remote}\` refused \`${branch}\`: ${pushed.detail}`);
      p.pushed = true;
      opts.note?.(`${task.id}: pushed ${branch} (${outcome})`);
      // Only a run that succeeded goes further.
      if (outcome !== 'success') continue;
      if (opts.merge) {
        const { doneTask } = await import('../workflow/done.js');
        const r = await doneTask(project, task.id, { merge: true, skipChecks: true });
        const base = project.config.base_branch;
        const up = await push(project.root, opts.remote, [{ src: `refs/heads/${base}`, dst: `refs/heads/${base}` }, { src: `refs/heads/${branch}`, dst: `refs/heads/${branch}` }], { atomic: true });
        if (!up.ok) throw new BatonError(`\`${opts.remote}\` refused the merge of \`${branch}\` into \`${base}\`: ${up.detail}`, { hint: 'The base moved meanwhile; the next run merges it again.' });
        p.merged = r.merged?.commit;
        opts.note?.(`${task.id}: merged into ${base}`);
      } else {
        const { createPullRequest, draftPullRequest } = await import('../workflow/pr.js');
        p.pullRequest = createPullRequest(project, draftPullRequest(project, task.id), { remote: opts.remote });
        opts.note?.(`${task.id}: ${p.pullRequest}`);
      }
    } catch (error) {
      p.error = error instanceof BatonError ? error.message : String(error);
      opts.note?.(`${p.task ?? basename(from)}: not published: ${p.error}`);
    }
  }
  return done;
}
