/**
 * Tools that write: task_add, task_set, start, log, done, review_import, plan_import, review_task.
 * Domain modules are imported on the first call, not at start: the server answers `initialize` sooner.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { OUTCOMES } from '../memory/entry.js';
import { STATUSES } from '../core/task.js';
import { logged, status, task as taskShape, taskData, taskRef } from './schemas.js';
import { defineTool, project, type ServerContext } from './tool-kit.js';

const id = taskRef;
const list = (what: string) => z.array(z.string()).optional().describe(what);

export function registerWriteTools(server: McpServer, ctx: ServerContext): void {
  defineTool(server, ctx, 'task_add', {
    title: 'Add a task',
    description: 'Create one task file under .agents/tasks/ with a fresh id (ids never collide across branches). Call it when you find work that needs its own task: a follow-up, a bug to fix later. Returns the task, with its id and file path.',
    input: {
      title: z.string().min(1).describe('Short imperative title, e.g. "Add login endpoint"'),
      dependsOn: list('Ids (or unique prefixes) of tasks it waits on'),
      phase: z.string().optional(),
      checks: list('Commands whose success proves the task, e.g. "npm test -- login"'),
      files: list('Files to look at'),
      role: z.string().optional().describe('Role (model or executor) that implements it'),
      context: z.string().optional().describe('Text for the Context section'),
      requirements: list('Requirements, one per item'),
      criteria: list('Success criteria, one per item'),
    },
    output: taskShape,
    writes: true,
    idempotent: false,
  }, async (a) => {
    const { addTasks } = await import('../tasks/write.js');
    const { commitWritten, snapshotAgents } = await import('../workflow/plan-commit.js');
    const p = await project(ctx);
    const before = snapshotAgents(p.root);
    const [made] = addTasks(p, [{
      title: a.title, dependsOn: a.dependsOn, phase: a.phase, checks: a.checks, files: a.files, role: a.role,
      context: a.context, requirements: a.requirements, criteria: a.criteria,
    }]);
    // The plan lives in git, over MCP as on the command line (commit_plan_changes).
    await commitWritten(before, `Plan: add ${made!.id} ${JSON.stringify(made!.title)}`, {}, [made!.path, '.agents/plan.md']);
    return { data: taskData(made!) };
  });

  defineTool(server, ctx, 'task_set', {
    title: 'Change a task',
    description: `Change front matter fields of one task; only those fields change in its file, the rest stays as written. Status is one of ${STATUSES.join(', ')}. To record the outcome of your work use \`log\` instead (it sets the status from the outcome and keeps the record in memory).`,
    input: {
      id,
      status: status.optional(),
      title: z.string().optional(),
      phase: z.string().optional().describe('Empty string to remove'),
      role: z.string().optional(),
      dependsOn: list('Replace the dependencies'),
      addDeps: list('Dependencies to add'),
      removeDeps: list('Dependencies to remove'),
      checks: list('Replace the checks'),
      files: list('Replace the file hints'),
    },
    output: taskShape,
    writes: true,
  }, async (a) => {
    const { setTask } = await import('../tasks/write.js');
    const { commitWritten, setSubject, snapshotAgents } = await import('../workflow/plan-commit.js');
    const p = await project(ctx);
    const before = snapshotAgents(p.root);
    const changes = {
      status: a.status, title: a.title, phase: a.phase, role: a.role, dependsOn: a.dependsOn,
      addDeps: a.addDeps, removeDeps: a.removeDeps, checks: a.checks, files: a.files,
    };
    const t = setTask(p, a.id, changes);
    await commitWritten(before, setSubject(t.id, changes), {}, [t.path, '.agents/plan.md']);
    return { data: taskData(t) };
  });

  defineTool(server, ctx, 'start', {
    title: 'Start a task',
    description: 'Take a task: switch to its branch (or create a worktree on it), set it in-progress, add an attempt entry to its memory and commit those. Call it before working on a task; then call `prompt` for the brief, work and commit in `dir`, and finish with `log`.',
    input: {
      id,
      worktree: z.boolean().optional().describe('Work in a separate worktree instead of switching this checkout'),
      force: z.boolean().optional().describe('Start it even if it is not ready'),
      remote: z.string().optional().describe('Claim it on this git remote first (`refs/baton/claims/<id>`; refused if another runner holds it) and push its branch there; `done` gives the claim back. Default: `remote:` in .agents/config.yaml, else no claim'),
    },
    output: {
      id: z.string(), title: z.string(), branch: z.string(),
      dir: z.string().describe('The folder to work and commit in'),
      worktree: z.boolean(), created: z.boolean().describe('False when an earlier attempt\'s branch was reused'),
      attempt: z.number(), commit: z.string().optional(),
      claim: z.object({ task: z.string(), runner: z.string(), expires: z.string(), since: z.string(), sha: z.string() }).optional()
        .describe('The claim taken on the remote, when one is named: held until `expires`'),
    },
    writes: true,
    idempotent: false,
  }, async (a) => {
    const { startTask } = await import('../workflow/start.js');
    const { startClaimed } = await import('../remote/manual.js');
    const p = await project(ctx);
    // The same steps as `baton start [--remote]`: claimed first, given back if the start fails.
    const { result, claim } = await startClaimed(p, a.remote, a.id, () => startTask(p, a.id, { worktree: a.worktree, force: a.force }));
    return { data: claim ? { ...result, claim } : result };
  });

  defineTool(server, ctx, 'log', {
    title: 'Log the outcome',
    description: 'Record what happened on a task in its memory and set its status from the outcome: success → review (or done with `done: true`), partial → in-progress, failure or any blocker → blocked. Call it when you stop working on a task, with a summary a later agent can build on, every bug you found and every decision a later task must know: either as fields, or as your whole report in `report` (the markdown the task prompt asks for: Outcome, Summary, Decisions, Bugs, Blockers, Notes), read as `baton log --from` reads it; with neither, the report you saved where the prompt said is read. It commits the record on the task branch.',
    input: {
      id,
      report: z.string().optional().describe('Your whole report as written (markdown with ## Outcome, ## Summary, ## Decisions, ## Bugs, ## Blockers, ## Notes; headings and wording may vary). It needs an outcome unless `outcome` is given. Beside it, `outcome` and `summary` replace the report\'s; `bugs`, `decisions`, `blockers` and `notes` are added after its own'),
      outcome: z.enum(OUTCOMES).optional().describe('How the attempt ended'),
      summary: z.string().optional().describe('What was done and what works now'),
      bugs: list('Bugs found, one per item'),
      decisions: list('Decisions a later task must know, one per item'),
      blockers: list('What stops the task, one per item (sets it blocked)'),
      notes: list('Anything else, one per item'),
      done: z.boolean().optional().describe('With success: mark the task done instead of review'),
      commit: z.boolean().optional().describe('Commit the record on the task branch (default true)'),
    },
    output: logged,
    writes: true,
    idempotent: false,
  }, async (a) => {
    const { logInputWithReport, logTask, savedReport } = await import('../workflow/log.js');
    const { readFileSync, rmSync } = await import('node:fs');
    const p = await project(ctx);
    const fields = { outcome: a.outcome, summary: a.summary, bugs: a.bugs, decisions: a.decisions, blockers: a.blockers, notes: a.notes };
    // Nothing given: the report saved where the prompt said, as `baton log <id>` reads it.
    const saved = a.report === undefined ? savedReport(p.root, a.id, fields) : undefined;
    const report = saved ? readFileSync(saved, 'utf8') : a.report;
    // The same merge of report and fields as `baton log --from REPORT.md` with flags beside it.
    const input = report === undefined ? fields : logInputWithReport(fields, report, saved ?? 'the `report` argument');
    const logged = await logTask(p, a.id, { ...input, done: a.done, commit: a.commit });
    if (saved) rmSync(saved, { force: true });
    return { data: logged };
  });

  defineTool(server, ctx, 'done', {
    title: 'Close a task',
    description: 'Close a task on its branch: memory flushed (commits the hooks missed recorded from history), status done, committed. With `merge: true` its checks run and the branch is merged into the base branch (refused on a conflict or a failing check). A task that was never started (call `start` first) or whose dependencies are not done is refused before anything runs. A claim on the task taken through a git remote (`baton start --remote`, or `remote:` in the config) is given back and the branch pushed there, as `baton done` does; `claim` says how that went. Call it when the work is finished and reviewed.',
    input: {
      id,
      merge: z.boolean().optional().describe('Merge the branch into the base branch'),
      skipChecks: z.boolean().optional().describe('Merge without running the task\'s checks'),
      force: z.boolean().optional().describe('Close a task that shows no work, was never started or waits on others, or merge one that is blocked or partial; only when the person asked for it'),
      acceptPlanChanges: z.boolean().optional().describe('Merge a branch that changed other tasks\' files or its own checks, criteria, dependencies or role (refused otherwise, with the diff); only when the person read the diff and asked for it'),
    },
    output: {
      id: z.string(), branch: z.string(), commit: z.string().optional(), backfilled: z.number(),
      checks: z.array(z.object({ command: z.string(), passed: z.boolean(), code: z.number().optional(), timedOut: z.boolean(), ms: z.number(), tail: z.string() })),
      merged: z.object({ into: z.string(), commit: z.string(), dir: z.string() }).optional(),
      worktreeRemoved: z.string().optional(),
      worktreePruned: z.string().optional().describe('The task\'s worktree whose folder was gone: git forgot it, and the task was closed from the main checkout'),
      worktreeKept: z.object({ dir: z.string(), why: z.string() }).optional().describe('The worktree kept (untracked or changed files, work under way), and why'),
      checkout: z.string().optional().describe('The branch this checkout is on afterwards'),
      inPlace: z.boolean().optional(),
      claim: claimShape.optional().describe('Only when the task had a claim on a remote to speak of'),
    },
    writes: true,
  }, async (a) => {
    const { doneTask } = await import('../workflow/done.js');
    const { releaseClaimAfterDone } = await import('../remote/done-claim.js');
    const p = await project(ctx);
    const done = await doneTask(p, a.id, { merge: a.merge, skipChecks: a.skipChecks, force: a.force, acceptPlanChanges: a.acceptPlanChanges });
    // After the close, as the CLI does: a remote that cannot be reached is reported, not an error (the lease ends it).
    const claim = await releaseClaimAfterDone(p, done.id);
    return { data: claim ? { ...done, claim } : done };
  });

  registerImportTools(server, ctx);
  registerReviewTaskTool(server, ctx);
}

/** `baton done --json`'s `claim`: what became of the claim `start --remote` took. */
const claimShape = z.object({
  remote: z.string(),
  released: z.boolean().describe('The claim was this runner\'s and is gone from the remote'),
  heldBy: z.string().optional().describe('Left alone: another runner holds it now (taken over after the lease ran out)'),
  expires: z.string().optional(),
  pushRefused: z.string().optional().describe('The claim was given back, but the remote refused the task branch'),
  error: z.string().optional().describe('The remote could not be reached: the claim ends with its lease'),
});

/** `review_task`: a person's review through their MCP client, as `baton review-task` and the board do it. */
function registerReviewTaskTool(server: McpServer, ctx: ServerContext): void {
  defineTool(server, ctx, 'review_task', {
    title: 'Review a task\'s work',
    description: 'Record a person\'s review of one task\'s work on its branch. `request-changes` reopens the task with the comments (each on a FILE:LINE of the branch) as the reason: its next prompt starts with them and `baton auto` runs it again. `approve` merges it into the base (its checks run first, as `done` with merge). `cancel` cancels it. Each writes a `review` entry to the task\'s memory on the base branch and commits it. Call it only for a decision the person made; run it on the base branch.',
    input: {
      id,
      action: z.enum(['request-changes', 'approve', 'cancel']),
      comments: z.array(z.object({
        file: z.string().min(1).describe('Path in the repository, as the diff names it'),
        line: z.number().int().positive().describe('Line number on the task branch (the diff\'s right-hand side)'),
        text: z.string().min(1),
      })).optional().describe('Comments on lines'),
      message: z.string().optional().describe('A comment on the whole change'),
    },
    output: {
      id: z.string(), action: z.string(), status: z.string(), entry: z.string().describe('The memory entry written'),
      commit: z.string().optional(),
      merged: z.object({ into: z.string(), commit: z.string() }).optional(),
    },
    writes: true,
    idempotent: false,
  }, async (a) => {
    const { parseWhere, reviewTask } = await import('../workflow/review-task.js');
    const p = await project(ctx);
    // Checked as the CLI and the board check FILE:LINE; the output schema keeps only the keys it names.
    const comments = (a.comments ?? []).map((c) => ({ ...parseWhere(`${c.file}:${c.line}`), text: c.text }));
    return { data: await reviewTask(p, a.id, { action: a.action, comments, message: a.message, via: 'MCP' }) };
  });
}

const answer = z.string().min(1).describe('The whole answer, as written (JSON or markdown)');

function registerImportTools(server: McpServer, ctx: ServerContext): void {
  const ref = z.object({ id: z.string(), title: z.string(), path: z.string() });
  defineTool(server, ctx, 'review_import', {
    title: 'Apply a review',
    description: 'Apply the answer to `review_prompt`: writes .agents/reviews/R-<n>.md, files follow-up tasks, reopens, accepts or splits tasks, and records decisions. Call it on the base branch with your whole answer. With `dryRun` it only says what it would change. A malformed answer is refused and nothing is written.',
    input: { answer, dryRun: z.boolean().optional().describe('Show the changes without writing them') },
    output: {
      id: z.string(), path: z.string(), written: z.boolean(),
      filed: z.array(ref.extend({ follows: z.string().nullable() })),
      reopened: z.array(z.object({ id: z.string(), reason: z.string() })),
      accepted: z.array(z.object({ id: z.string(), reason: z.string() })),
      split: z.array(z.object({ id: z.string(), into: z.array(z.string()) })),
      decisions: z.array(z.string()), planChanges: z.array(z.string()),
    },
    writes: true,
    idempotent: false,
  }, async (a) => {
    const { reviewFromText } = await import('../workflow/review.js');
    const { commitWritten, reviewSubject, snapshotAgents } = await import('../workflow/plan-commit.js');
    const p = await project(ctx);
    const before = snapshotAgents(p.root);
    const r = await reviewFromText(p, a.answer, { dryRun: a.dryRun, source: 'the `answer` argument' });
    if (r.written) await commitWritten(before, reviewSubject(r.change));
    const c = r.change;
    return {
      data: {
        id: c.id, path: `.agents/reviews/${c.id}.md`, written: r.written,
        filed: c.filed.map((f) => ({ id: f.task.id, title: f.task.title, path: f.task.path, follows: f.follows ?? null })),
        reopened: c.reopened.map((x) => ({ id: x.task.id, reason: x.reason })),
        accepted: c.accepted.map((x) => ({ id: x.task.id, reason: x.reason })),
        split: c.split.map((s) => ({ id: s.task.id, into: s.into.map((t) => t.id) })),
        decisions: c.decisions, planChanges: c.planChanges,
      },
    };
  });

  defineTool(server, ctx, 'plan_import', {
    title: 'Apply a plan',
    description: 'Apply a planner\'s answer (a JSON object, or markdown with ## Goal and ## Tasks sections): writes .agents/plan.md and one task file per task. With `update` it amends the existing plan and keeps in-progress and done tasks. Call it after you have written a plan for requirements. With `dryRun` it only says what it would change. A malformed answer is refused and nothing is written.',
    input: {
      answer,
      update: z.boolean().optional().describe('Amend the existing plan instead of starting one'),
      dryRun: z.boolean().optional().describe('Show the changes without writing them'),
    },
    output: {
      written: z.boolean(),
      created: z.array(ref.extend({ dependsOn: z.array(z.string()) })),
      amended: z.array(ref.extend({ fields: z.array(z.string()) })),
      kept: z.array(z.object({ id: z.string(), title: z.string(), status })),
      planChanged: z.boolean(),
    },
    writes: true,
    idempotent: false,
  }, async (a) => {
    const { planFromText } = await import('../workflow/plan.js');
    const { commitWritten, planSubject, snapshotAgents } = await import('../workflow/plan-commit.js');
    const p = await project(ctx);
    const before = snapshotAgents(p.root);
    const r = planFromText(p, a.answer, { update: a.update, dryRun: a.dryRun, source: 'the `answer` argument' });
    if (r.written) await commitWritten(before, planSubject(r.change));
    const c = r.change;
    return {
      data: {
        written: r.written,
        created: c.created.map((t) => ({ id: t.task.id, title: t.task.title, path: t.task.path, dependsOn: t.task.depends_on })),
        amended: c.amended.map((t) => ({ id: t.task.id, title: t.task.title, path: t.task.path, fields: t.fields })),
        kept: c.kept.map((t) => ({ id: t.task.id, title: t.task.title, status: t.task.status })),
        planChanged: c.planChanged,
      },
    };
  });
}
