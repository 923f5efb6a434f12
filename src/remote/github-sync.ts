/**
 * `baton sync github`: tasks and GitHub issues kept in step, both ways.
 *
 * 1. Issues with the `baton` label (or named with `--issue`) that no task is
 *    linked to become tasks (an issue whose marker names a task id keeps it).
 * 2. Tasks with no issue get one, dependencies first, each link written to
 *    the task's front matter as soon as GitHub answers; but first the listed
 *    issues are searched for the task's marker, so a run that crashed after
 *    creating an issue adopts it instead of creating another.
 * 3. Every linked pair is merged field by field (github-merge.ts): only a
 *    field that differs is written, so a sync with nothing edited writes
 *    nothing to GitHub or to the files.
 * The files written are committed as one plan commit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { topoOrder } from '../core/graph.js';
import { newTaskId } from '../core/ids.js';
import { TASK_ID_RE, type Task } from '../core/task.js';
import { githubLinkOf, githubLinkValue, type GithubLink } from '../tasks/github-link.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { assertGraph, taskFileWithId, writeTasks } from '../tasks/write.js';
import type { Project } from '../workspace/context.js';
import { parseFrontMatter, setFrontMatterFields } from '../workspace/frontmatter.js';
import { commitWritten, snapshotAgents } from '../workflow/plan-commit.js';
import { listAll, type GitHubApi, GitHubApiError } from './github-api.js';
import { BATON_LABEL, issueFields, renderIssueBody, STATUS_LABELS, type IssueLike } from './github-issue.js';
import { depsFromValue, type Side } from './github-merge.js';
import { hashes, issueValues, leakedField, mergePairs, taskValues, withBody, type Linked } from './github-pairs.js';
import type { GithubSyncReport } from './github-report.js';

export type { FieldChange, GithubSyncReport, IssueRef, SyncConflict } from './github-report.js';

export interface SyncGithubOptions {
  api: GitHubApi;
  /** `OWNER/NAME`. */
  repo: string;
  dryRun?: boolean;
  /** Issues to bring in as tasks although they lack the `baton` label. */
  issues?: number[];
  /** Settle every conflict in this side's favour. */
  prefer?: Side;
  /** false: leave the written files uncommitted. */
  commit?: boolean;
  /** Items per page of a list call (GitHub allows up to 100). */
  perPage?: number;
}

const statusLabelColours: Record<string, string> = { [BATON_LABEL]: '5319e7', 'in-progress': 'fbca04', review: '0e8a16', blocked: 'd93f0b' };

function countingApi(api: GitHubApi, report: GithubSyncReport): GitHubApi {
  return {
    call: async (method, path, body) => {
      if (method !== 'GET') {
        if (report.dryRun) throw new BatonError(`internal: a dry run tried to write (${method} ${path})`);
        report.writes++;
      }
      return api.call(method, path, body);
    },
  };
}

export async function syncGithub(project: Project, opts: SyncGithubOptions): Promise<GithubSyncReport> {
  const report: GithubSyncReport = { repo: opts.repo, dryRun: !!opts.dryRun, created: [], imported: [], adopted: [], changes: [], conflicts: [], comments: [], problems: [], writes: 0 };
  const before = snapshotAgents(project.root);
  try {
    await runSync(project, opts, report, countingApi(opts.api, report));
  } finally {
    // Whatever was written before a failure (links to issues just created above all) is committed too.
    if (!report.dryRun) {
      report.subject = syncSubject(report);
      report.commit = await commitWritten(before, report.subject, { commit: opts.commit });
    }
  }
  return report;
}

export function syncSubject(r: GithubSyncReport): string {
  const parts = [
    r.created.length ? `${r.created.length} issue${r.created.length === 1 ? '' : 's'} created` : '',
    r.imported.length ? `${r.imported.length} task${r.imported.length === 1 ? '' : 's'} from issues` : '',
    r.changes.some((c) => c.to === 'baton') ? `${new Set(r.changes.filter((c) => c.to === 'baton').map((c) => c.id)).size} updated from GitHub` : '',
  ].filter(Boolean);
  return `Sync GitHub ${r.repo}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

function readLinked(project: Project): Linked[] {
  return loadTasksStrict(project.root).map((task) => {
    const text = readFileSync(join(project.root, task.path), 'utf8');
    return { task, text, link: githubLinkOf(parseFrontMatter(text, task.path).data) };
  });
}

async function runSync(project: Project, opts: SyncGithubOptions, report: GithubSyncReport, api: GitHubApi): Promise<void> {
  const { repo } = opts;
  const perPage = opts.perPage ?? 100;
  const items = readLinked(project);
  await ensureLabels(api, repo, perPage, report.dryRun);

  const issues = new Map<number, IssueLike>();
  for (const i of await listAll<IssueLike>(api, `repos/${repo}/issues?state=all&labels=${BATON_LABEL}`, perPage)) if (!i.pull_request) issues.set(i.number, i);
  const wanted = [...items.flatMap((it) => (it.link ? [it.link.issue] : [])), ...(opts.issues ?? [])];
  for (const n of new Set(wanted)) {
    if (issues.has(n)) continue;
    const got = await getIssue(api, repo, n);
    if (!got) report.problems.push(`issue #${n} is gone (deleted or moved)${items.find((it) => it.link?.issue === n) ? `; ${items.find((it) => it.link?.issue === n)!.task.id} keeps its link` : ''}`);
    else if (got.pull_request) report.problems.push(`#${n} is a pull request, not an issue; skipped`);
    else issues.set(n, got);
  }

  const taskOf = new Map<number, string>();
  for (const it of items) {
    if (!it.link) continue;
    const other = taskOf.get(it.link.issue);
    if (other) report.problems.push(`${it.task.id} and ${other} are both linked to issue #${it.link.issue}; ${it.task.id} is skipped (remove one link from its front matter)`);
    else taskOf.set(it.link.issue, it.task.id);
  }
  const byId = new Map(items.map((it) => [it.task.id, it]));
  await importIssues(project, issues, taskOf, byId, report);
  await createIssues(project, api, repo, issues, taskOf, byId, report);
  for (const issue of issues.values()) {
    const mark = issueFields(issue).marker;
    if (!taskOf.has(issue.number) && mark) report.problems.push(`#${issue.number} carries the marker of ${mark}, which is linked to #${[...taskOf].find(([, id]) => id === mark)?.[0] ?? '?'}; it is not synced (close it as a duplicate)`);
  }
  await mergePairs({ project, api, repo, issues, taskOf, byId, prefer: opts.prefer, perPage, report });
}

async function getIssue(api: GitHubApi, repo: string, n: number): Promise<IssueLike | undefined> {
  try {
    return (await api.call('GET', `repos/${repo}/issues/${n}`)) as IssueLike;
  } catch (error) {
    if (error instanceof GitHubApiError && (error.status === 404 || error.status === 410)) return undefined;
    throw error;
  }
}

async function ensureLabels(api: GitHubApi, repo: string, perPage: number, dryRun: boolean): Promise<void> {
  const have = new Set((await listAll<{ name: string }>(api, `repos/${repo}/labels`, perPage)).map((l) => l.name));
  if (dryRun) return;
  for (const name of [BATON_LABEL, ...STATUS_LABELS]) {
    if (!have.has(name)) await api.call('POST', `repos/${repo}/labels`, { name, color: statusLabelColours[name] });
  }
}

/** Step 1: each issue no task is linked to becomes a task (ids chosen for all first: they may depend on each other). */
async function importIssues(project: Project, issues: Map<number, IssueLike>, taskOf: Map<number, string>, byId: Map<string, Linked>, report: GithubSyncReport): Promise<void> {
  const ids = new Set(byId.keys());
  const fresh: [IssueLike, string][] = [];
  for (const issue of [...issues.values()].sort((a, b) => a.number - b.number)) {
    if (taskOf.has(issue.number)) continue;
    const mark = issueFields(issue).marker;
    if (mark && byId.has(mark)) continue; // the task exists: step 2 adopts the issue
    const id = mark && TASK_ID_RE.test(mark) && !ids.has(mark) ? mark : newTaskId(ids);
    ids.add(id);
    taskOf.set(issue.number, id);
    fresh.push([issue, id]);
  }
  if (!fresh.length) return;
  const made: (Linked & { link: GithubLink })[] = [];
  for (const [issue, id] of fresh) {
    const values = issueValues(issue, taskOf);
    const title = values.title || `Issue #${issue.number}`;
    const base = taskFileWithId({ title, status: values.status }, id, depsFromValue(values.deps));
    let text = withBody(base.text, values.body);
    const link: GithubLink = { issue: issue.number, synced: hashes({ ...values, title }) };
    text = setFrontMatterFields(text, base.task.path, { github: githubLinkValue(link) });
    const task = { ...base.task, body: values.body ? `${values.body}\n` : '' };
    made.push({ task, text, link });
    report.imported.push({ id, issue: issue.number });
  }
  if (report.dryRun) return;
  const current = [...byId.values()].map((it) => it.task);
  const all = [...current, ...made.map((m) => m.task)];
  assertGraph(current, all);
  writeTasks(project, made, all);
  for (const m of made) byId.set(m.task.id, m);
}

/** Step 2: an issue for each task without one, dependencies first; a marker already on GitHub is adopted instead. */
async function createIssues(project: Project, api: GitHubApi, repo: string, issues: Map<number, IssueLike>, taskOf: Map<number, string>, byId: Map<string, Linked>, report: GithubSyncReport): Promise<void> {
  const unlinked = [...byId.values()].filter((it) => !it.link);
  if (!unlinked.length) return;
  const markers = new Map<string, number>();
  for (const issue of [...issues.values()].sort((a, b) => a.number - b.number)) {
    const mark = issueFields(issue).marker;
    if (mark && !taskOf.has(issue.number) && !markers.has(mark)) markers.set(mark, issue.number); // the oldest carrier of a marker
  }
  const numberOf = new Map([...taskOf].map(([n, id]) => [id, n]));
  for (const task of topoOrder(unlinked.map((it) => it.task))) {
    const it = byId.get(task.id)!;
    const found = markers.get(task.id);
    let link: GithubLink;
    if (found !== undefined) {
      link = { issue: found, synced: {} };
      report.adopted.push({ id: task.id, issue: found });
    } else {
      const secret = leakedField(taskValues(task));
      if (secret) {
        report.problems.push(`${task.id}: its ${secret} holds what looks like a secret; no issue was created (remove it, then sync again)`);
        continue;
      }
      if (report.dryRun) {
        report.created.push({ id: task.id, issue: 0 });
        continue;
      }
      const deps = task.depends_on.flatMap((d) => (numberOf.has(d) ? [numberOf.get(d)!] : []));
      const created = (await api.call('POST', `repos/${repo}/issues`, { title: task.title, body: renderIssueBody(task.body, deps, task.id), labels: [BATON_LABEL] })) as IssueLike;
      issues.set(created.number, created);
      // The base is what GitHub now holds: a status it could not take on creation (closed) is sent by step 3.
      link = { issue: created.number, synced: hashes(issueValues(created, new Map([...taskOf, [created.number, task.id]]))) };
      report.created.push({ id: task.id, issue: created.number });
    }
    taskOf.set(link.issue, task.id);
    numberOf.set(task.id, link.issue);
    if (report.dryRun) continue;
    const text = setFrontMatterFields(it.text, task.path, { github: githubLinkValue(link) });
    writeTasks(project, [{ task, text }], [...byId.values()].map((x) => x.task));
    byId.set(task.id, { task, text, link });
  }
}
