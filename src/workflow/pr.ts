/**
 * `baton pr`: a pull request that carries the code and the memory of how it
 * was made: the goal, the success criteria (ticked or not), the result,
 * decisions and bugs, the commits and the checks.
 */
import { spawnSync } from 'node:child_process';
import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import type { MemoryEntry } from '../memory/entry.js';
import { standings } from '../memory/attempts.js';
import { redact } from '../core/redact.js';
import { onPath } from '../workspace/on-path.js';
import { checkboxes, findSection } from '../tasks/markdown.js';
import { gitRun, type CommitRecord } from '../git/task-branch.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { linkedIssue } from '../tasks/github-link.js';
import type { Project } from '../workspace/context.js';
import { isBookkeeping, taskBranchName, taskCommits, taskState } from '../tasks/checkout.js';
import { gitSaid } from '../git/run.js';

export interface PullRequestDraft {
  id: string;
  title: string;
  body: string;
  branch: string;
  base: string;
}

function bullets(entries: MemoryEntry[]): string {
  return entries.map((e) => `- ${e.body.trim().split('\n').join('\n  ')}`).join('\n');
}

/** Each check's last run recorded in memory, by command. */
function lastCheckRuns(memory: readonly MemoryEntry[]): Map<string, MemoryEntry> {
  const lastRun = new Map<string, MemoryEntry>();
  for (const e of memory) {
    if (e.kind !== 'check') continue;
    const command = /^`([^`]+)`/.exec(e.body)?.[1];
    if (command) lastRun.set(command, e);
  }
  return lastRun;
}

/**
 * A task reopened after a merge: its pull request is this attempt's work. What
 * the last merge of its branch into the base before this attempt began brought
 * in (and that merge itself) was an earlier pull request's.
 */
function sinceEarlierMerge(project: Project, commits: CommitRecord[], branch: string, memory: readonly MemoryEntry[]): CommitRecord[] {
  const attempt = memory.filter((e) => e.kind === 'attempt').pop()?.time;
  if (!attempt || !commits.length) return commits;
  const before = Math.floor(Date.parse(attempt) / 1000);
  // baton's merge message, `Merge <branch>: <title>`, or git's own `Merge branch '<branch>'`.
  const ancestor = (sha: string, of: string) => gitRun(project.root, ['merge-base', '--is-ancestor', sha, of]).code === 0;
  // Times are to the second: a merge in the attempt's own second is earlier only if the branch already holds it
  // (this attempt's own merge, made in the second it started, is no ancestor of its branch).
  const merges = gitRun(project.root, ['log', '--merges', '-F', `--grep=${branch}`, '--format=%H %ct %s', project.config.base_branch, '--']).stdout.split('\n')
    .map((l) => /^(\S+) (\d+) (.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && (m[3]!.startsWith(`Merge ${branch}:`) || m[3]!.startsWith(`Merge branch '${branch}'`)))
    .filter((m) => Number(m[2]) < before || (Number(m[2]) === before && ancestor(m[1]!, branch)));
  const last = merges[0]?.[1];
  if (!last) return commits;
  const merged = (sha: string) => sha === last.slice(0, sha.length) || ancestor(sha, last);
  return commits.filter((c) => !merged(c.sha));
}

export function draftPullRequest(project: Project, ref: string): PullRequestDraft {
  const local = resolveTask(loadTasksStrict(project.root), ref);
  const { task, memory } = taskState(project, local);
  const branch = taskBranchName(project, task);
  const parts: string[] = [];

  // Each section under its own name: a task's Context is background, not its goal.
  const goal = findSection(task.body, ['goal']);
  const context = findSection(task.body, ['context']);
  parts.push(`## Goal\n\n${goal?.content || task.title}`);
  if (context?.content) parts.push(`## Context\n\n${context.content}`);

  const result = memory.filter((e) => e.kind === 'result').pop();
  const lastRun = lastCheckRuns(memory);
  // The checks prove the task: when each passed at its last run, after the last result, and that result is a success, its criteria are met.
  const proven = result?.ref === 'success' && task.checks.length > 0
    && task.checks.every((c) => lastRun.get(c)?.ref === 'pass' && lastRun.get(c)!.time >= result.time);
  const criteriaSection = findSection(task.body, ['success criteria', 'acceptance criteria']);
  const boxes = criteriaSection ? checkboxes(criteriaSection.content) : [];
  if (boxes.length) parts.push(`## Success criteria\n\n${boxes.map((b) => `- [${b.checked || proven ? 'x' : ' '}] ${b.text}`).join('\n')}`);

  parts.push(`## Result\n\n${result ? `**${result.ref ?? 'unknown'}**: ${result.body.trim()}` : '_No result logged yet (`baton log`)._'}`);
  const since = result?.time ?? '';
  // A decision of a try that a later success superseded was the road not taken (often the bug): not the PR's.
  const standing = standings(memory);
  const decisions = memory.filter((e) => e.kind === 'decision' && standing.get(e) !== 'superseded');
  if (decisions.length) parts.push(`## Decisions\n\n${bullets(decisions)}`);
  const bugs = memory.filter((e) => e.kind === 'bug');
  if (bugs.length) parts.push(`## Bugs found\n\n${bullets(bugs)}`);
  // Blockers from before the last result were dealt with by that attempt.
  const blockers = memory.filter((e) => e.kind === 'blocker' && e.time >= since);
  if (blockers.length) parts.push(`## Open blockers\n\n${bullets(blockers)}`);

  const commits = sinceEarlierMerge(project, taskCommits(project, task, memory).filter((c) => !isBookkeeping(c.files)), branch, memory);
  if (commits.length) parts.push(`## Commits\n\n${commits.map((c) => `- ${c.sha} ${c.subject}`).join('\n')}`);

  if (task.checks.length) {
    const lines = task.checks.map((c) => {
      const e = lastRun.get(c);
      return `- \`${c}\`: ${e ? `${e.ref === 'pass' ? 'passed' : 'failed'} (${e.time})` : 'not run by baton'}`;
    });
    parts.push(`## Checks\n\n${lines.join('\n')}`);
  }
  const attempts = memory.filter((e) => e.kind === 'attempt').length;
  // Linked by `baton sync github`: GitHub closes the issue when this pull request merges.
  const issue = linkedIssue(project.root, local.path);
  if (issue) parts.push(`Closes #${issue}`);
  parts.push(`---\nTask \`${task.id}\` on \`${branch}\`${attempts > 1 ? ` after ${attempts} attempts` : ''}. Its full memory: \`.agents/memory/${task.id}.md\`.`);
  // A pull request is public: the title is redacted like the body (a key pasted into a title is still a key).
  return { id: task.id, title: redact(`${task.title} (${task.id})`), body: capBody(redact(`${parts.join('\n\n')}\n`), task.id), branch, base: project.config.base_branch };
}

/** GitHub refuses a pull request body over 65,536 characters. */
export const PR_BODY_MAX = 65_536;

/** Pure: `body` within GitHub's limit, cut at a line with a note that says where the rest is. */
export function capBody(body: string, id: string): string {
  if (body.length <= PR_BODY_MAX) return body;
  const note = `\n\n_Cut here: the body passed GitHub's ${PR_BODY_MAX.toLocaleString('en-US')} characters. The rest is in \`.agents/memory/${id}.md\`._\n`;
  const room = PR_BODY_MAX - note.length;
  const cut = body.lastIndexOf('\n', room);
  return `${body.slice(0, cut > room / 2 ? cut : room)}${note}`;
}

/** Open the pull request with GitHub's `gh`; returns what gh printed (the URL). `remote`: push the branch there (default: origin, else the first). */
export function createPullRequest(project: Project, draft: PullRequestDraft, opts: { remote?: string } = {}): string {
  if (!onPath('gh')) {
    throw new BatonError('`gh` (the GitHub CLI) is not installed, so no pull request was created', {
      hint: 'Install it from https://cli.github.com, or open the pull request by hand with the title and body printed above.',
    });
  }
  // gh needs the branch on the remote; push it (and set its upstream) when there is one.
  const remote = gitRun(project.root, ['remote']).stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const target = opts.remote ?? (remote.includes('origin') ? 'origin' : remote[0]);
  if (target) {
    const push = gitRun(project.root, ['push', '--quiet', '-u', target, `${draft.branch}:${draft.branch}`]);
    if (push.code !== 0) {
      throw new BatonError(`could not push \`${draft.branch}\` to \`${target}\`: ${gitSaid(push.stderr)}`, {
        hint: 'Check the remote and your access (`git push` by hand shows the details); no pull request was created.',
      });
    }
  }
  const r = spawnSync('gh', ['pr', 'create', '--title', draft.title, '--body-file', '-', '--base', draft.base, '--head', draft.branch], {
    cwd: project.root, input: draft.body, encoding: 'utf8',
  });
  if (r.status !== 0) {
    throw new BatonError(`\`gh pr create\` failed: ${(r.stderr || r.stdout || r.error?.message || '').trim().split('\n').slice(-3).join(' ')}`, {
      hint: 'Check `gh auth status` and that the repository has a GitHub remote.',
    });
  }
  return r.stdout.trim();
}
