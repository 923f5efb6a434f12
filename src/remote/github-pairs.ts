/**
 * Step 3 of `baton sync github`: each task and its issue merged field by
 * field. GitHub is written first, the task file last (with the new bases), so
 * a run that stops in between finds both sides equal next time and writes
 * nothing twice.
 */
import { redact } from '../core/redact.js';
import { oneLineTitle, type Task } from '../core/task.js';
import { CONTROL_RE } from '../core/terminal.js';
import { readMemory } from '../memory/file.js';
import { fieldHash, githubLinkValue, SYNCED_FIELDS, type GithubLink, type SyncedField } from '../tasks/github-link.js';
import { parseTaskText, tasksInvalid } from '../tasks/task-files.js';
import { newGraphProblem, withChanged, writeTasks } from '../tasks/write.js';
import type { Project } from '../workspace/context.js';
import { setFrontMatterFields, splitFrontMatter } from '../workspace/frontmatter.js';
import { listAll, type GitHubApi } from './github-api.js';
import { issueFields, issueStatePatch, labelNames, normalText, renderIssueBody, type IssueLike } from './github-issue.js';
import { decideField, depsFromValue, depsValue, type FieldValues, type Side } from './github-merge.js';
import type { GithubSyncReport } from './github-report.js';

export interface Linked {
  task: Task;
  text: string;
  link?: GithubLink;
}

/** The task ids an issue's "Blocked by" numbers stand for (numbers of issues with no task are left out). */
function idsOf(numbers: readonly number[], taskOf: ReadonlyMap<number, string>): string[] {
  return numbers.flatMap((n) => (taskOf.has(n) ? [taskOf.get(n)!] : []));
}

export function issueValues(issue: IssueLike, taskOf: ReadonlyMap<number, string>): FieldValues {
  const f = issueFields(issue);
  return { title: cleanTitle(f.title), body: f.text, status: f.status, deps: depsValue(idsOf(f.blockedBy, taskOf)) };
}

export function taskValues(task: Task): FieldValues {
  return { title: task.title, body: normalText(task.body), status: task.status, deps: depsValue(task.depends_on) };
}

function cleanTitle(raw: string): string {
  return oneLineTitle(raw).replace(new RegExp(CONTROL_RE.source, 'g'), '').trim();
}

export function hashes(values: FieldValues): GithubLink['synced'] {
  return Object.fromEntries(SYNCED_FIELDS.map((f) => [f, fieldHash(values[f])]));
}

/** A task file's text with its body replaced. */
export function withBody(text: string, body: string): string {
  const split = splitFrontMatter(text)!;
  return `${text.slice(0, split.bodyStart)}${body ? `${body}\n` : ''}`;
}

/** A title or body whose value would put a secret on GitHub (issues are often public). */
export function leakedField(values: FieldValues, fields: readonly SyncedField[] = ['title', 'body']): SyncedField | undefined {
  return fields.find((f) => (f === 'title' || f === 'body') && redact(values[f]) !== values[f]);
}

export interface PairContext {
  project: Project;
  api: GitHubApi;
  repo: string;
  issues: Map<number, IssueLike>;
  taskOf: ReadonlyMap<number, string>;
  byId: Map<string, Linked>;
  prefer?: Side;
  perPage: number;
  report: GithubSyncReport;
}

export async function mergePairs(ctx: PairContext): Promise<void> {
  const { report } = ctx;
  let all = [...ctx.byId.values()].map((it) => it.task);
  const changed: { task: Task; text: string }[] = [];
  try {
    for (const it of [...ctx.byId.values()].sort((a, b) => a.task.id.localeCompare(b.task.id))) {
      if (!it.link || ctx.taskOf.get(it.link.issue) !== it.task.id) continue;
      const issue = ctx.issues.get(it.link.issue);
      if (!issue) continue;
      const next = await mergePair(ctx, it, issue);
      if (!next) continue;
      const after = withChanged(all, [next.task]);
      const fresh = newGraphProblem(all, after);
      if (fresh) {
        report.problems.push(`${it.task.id}: GitHub's "Blocked by" list of #${it.link.issue} is not taken: ${fresh.message}`);
        continue;
      }
      all = after;
      changed.push(next);
    }
  } finally {
    if (changed.length && !report.dryRun) writeTasks(ctx.project, changed, all);
  }
}

/** Merge one pair; the task file's new text when it changed. */
async function mergePair(ctx: PairContext, it: Linked, issue: IssueLike): Promise<{ task: Task; text: string } | undefined> {
  const { report } = ctx;
  const link = it.link!;
  const id = it.task.id;
  const n = issue.number;
  const local = taskValues(it.task);
  const remote = issueValues(issue, ctx.taskOf);
  const toBaton: FieldValues = { ...local };
  const toGithub: FieldValues = { ...remote };
  const synced = { ...link.synced };
  const sent: SyncedField[] = [];
  const taken: SyncedField[] = [];
  for (const f of SYNCED_FIELDS) {
    const d = decideField(link.synced[f], local[f], remote[f], ctx.prefer);
    if (d.kind === 'conflict') {
      report.conflicts.push({ id, issue: n, field: f, baton: d.baton, github: d.github });
      continue;
    }
    if (d.kind === 'take' && d.from === 'baton') {
      if (leakedField(local, [f])) {
        report.problems.push(`${id}: its ${f} holds what looks like a secret; not sent to #${n} (remove it, then sync again)`);
        continue;
      }
      toGithub[f] = d.value;
      sent.push(f);
    } else if (d.kind === 'take') {
      if (f === 'title' && !d.value) {
        report.problems.push(`#${n}: its title is empty once control characters are removed; ${id} keeps its title`);
        continue;
      }
      toBaton[f] = d.value;
      taken.push(f);
    }
    synced[f] = fieldHash(d.value);
  }
  for (const f of sent) report.changes.push({ id, issue: n, field: f, to: 'github' });
  for (const f of taken) report.changes.push({ id, issue: n, field: f, to: 'baton' });
  if (report.dryRun) return undefined;

  if (sent.length) {
    const patch: Record<string, unknown> = {};
    if (sent.includes('title')) patch.title = toGithub.title;
    if (sent.includes('body') || sent.includes('deps')) {
      const numberOf = new Map([...ctx.taskOf].map(([num, tid]) => [tid, num]));
      const { blockedBy } = issueFields(issue);
      const foreign = blockedBy.filter((b) => !ctx.taskOf.has(b)); // issues baton does not track stay listed
      const numbers = [...depsFromValue(toGithub.deps).flatMap((d) => (numberOf.has(d) ? [numberOf.get(d)!] : [])), ...foreign];
      const closed = new Set([...ctx.issues.values()].filter((i) => i.state === 'closed').map((i) => i.number));
      patch.body = renderIssueBody(toGithub.body, numbers, id, closed);
    }
    if (sent.includes('status')) Object.assign(patch, issueStatePatch(toGithub.status as Task['status'], labelNames(issue)));
    ctx.issues.set(n, (await ctx.api.call('PATCH', `repos/${ctx.repo}/issues/${n}`, patch)) as IssueLike);
  }

  const next: GithubLink = { ...link, synced };
  if (toBaton.status === 'done' && toGithub.status === 'done' && !link.comment) next.comment = await postSummary(ctx, id, n);

  const updates: Record<string, unknown> = {};
  if (taken.includes('title')) updates.title = toBaton.title;
  if (taken.includes('status')) updates.status = toBaton.status;
  if (taken.includes('deps')) {
    // GitHub's order, as its list reads.
    updates.depends_on = [...new Set(idsOf(issueFields(issue).blockedBy, ctx.taskOf))];
  }
  if (JSON.stringify(githubLinkValue(next)) !== JSON.stringify(githubLinkValue(link))) updates.github = githubLinkValue(next);
  if (!Object.keys(updates).length && !taken.includes('body')) return undefined;
  let text = setFrontMatterFields(it.text, it.task.path, updates);
  if (taken.includes('body')) text = withBody(text, toBaton.body);
  const parsed = parseTaskText(text, it.task.path);
  if (!parsed.task) throw tasksInvalid(parsed.problems);
  return { task: parsed.task, text };
}

/**
 * The task's memory summary (its last result, and its decisions) as a comment
 * on the closed issue, once. The comment carries a marker, so a run that
 * stopped before recording it finds it instead of posting it twice.
 */
async function postSummary(ctx: PairContext, id: string, n: number): Promise<number | undefined> {
  const entries = readMemory(ctx.project.root, id).entries;
  const result = entries.filter((e) => e.kind === 'result').pop();
  if (!result) return undefined;
  const tag = `<!-- baton:summary ${id} -->`;
  const comments = await listAll<{ id: number; body?: string }>(ctx.api, `repos/${ctx.repo}/issues/${n}/comments`, ctx.perPage);
  const posted = comments.find((c) => c.body?.includes(tag));
  if (posted) return posted.id;
  const decisions = entries.filter((e) => e.kind === 'decision').map((e) => `- ${e.body.trim().split('\n').join('\n  ')}`);
  const body = redact([
    `**${id} ${result.ref ?? 'result'}** (from baton's memory, \`.agents/memory/${id}.md\`)`,
    result.body.trim(),
    decisions.length ? `Decisions:\n${decisions.join('\n')}` : '',
    tag,
  ].filter(Boolean).join('\n\n'));
  const made = (await ctx.api.call('POST', `repos/${ctx.repo}/issues/${n}/comments`, { body })) as { id: number };
  ctx.report.comments.push({ id, issue: n });
  return made.id;
}
