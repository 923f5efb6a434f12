/**
 * Write what the hooks queued into memory: run by `baton log`, `baton done`
 * and `baton sync`, and by the pre-commit hook after an amend or a rebase.
 *
 * On a task branch it leaves the task's memory exactly right whatever the
 * hooks saw: one entry per commit of the branch, under its current SHA, none
 * for commits rewritten away. Entries it writes pass through baton's secret
 * redaction; the sh hooks cannot do that, and write git's text as is (it is
 * already in the repository's history, so memory shows nothing new).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commonGitDirOf, gitDirOf } from '../git/gitdir.js';
import { safeBranch } from '../workspace/context.js';
import { commitRefs, isAncestor, stageFiles } from '../git/history.js';
import { readConfig } from '../workspace/config.js';
import { agentsPaths, rel, stateDirIn } from '../workspace/paths.js';
import { taskCommitsOnBranch, taskOfBranch } from './attribution.js';
import { syncCommitEntries, type SyncResult } from './sync.js';
import { expectedCommits } from './rebuild.js';
import { claimQueue, finalSha } from './queue.js';

export interface FlushOptions {
  /** `git add` the memory files written (the pre-commit hook: they go into the commit being made). */
  stage?: boolean;
}

/** Returns how many entries were added, replaced or removed. */
export async function flushQueue(root: string, opts: FlushOptions = {}): Promise<number> {
  return (await flushQueueDetailed(root, opts)).reduce((n, r) => n + r.added + r.replaced + r.removed, 0);
}

export async function flushQueueDetailed(root: string, opts: FlushOptions = {}): Promise<SyncResult[]> {
  if (!existsSync(agentsPaths(root).dir)) return [];
  const branch = safeBranch(root);
  if (!branch) return [];
  const config = readConfig(root);
  const claim = claimQueue(gitDirOf(root), branch);
  // Committing a merge (the pre-commit hook): the tips merged in go into this commit, as in baton.sh.
  const merging = opts.stage ? mergeHeads(gitDirOf(root)) : [];
  claim.queued.push(...merging.map((sha) => ({ sha, task: TIP })));
  try {
    // Off task branches a merged tip without a trailer is recorded here (as in baton.sh): its own branch's queue is never read again.
  if (!taskOfBranch(branch, config.branch_prefix) && config.record_off_task_commits) {
    for (const q of claim.queued) if (q.task === TIP) q.task = 'project';
  }
  const results = await flushClaim(root, branch, config.branch_prefix, config.base_branch, claim, new Set(merging));
    // Off task branches, what reached this history by ways the hooks did not see (a detached HEAD,
    // a `reset --hard` that dropped the commit holding earlier entries, a queue lost with its
    // worktree) is found in the newest commits and recorded, as `baton memory rebuild` would.
    // Without baton's hooks nothing records commits as they are made (doctor expects none; `done` backfills).
    if (!taskOfBranch(branch, config.branch_prefix) && hooksInstalled(root)) results.push(...(await recordRecent(root, config, new Set(results.map((r) => r.id)))));
    const written = results.filter((r) => r.added + r.replaced + r.removed > 0);
    if (opts.stage) await stageFiles(root, written.map((r) => rel(root, r.path)));
    claim.release();
    return results;
  } catch (error) {
    claim.restore();
    throw error;
  }
}

async function flushClaim(
  root: string, branch: string, prefix: string, base: string, claim: ReturnType<typeof claimQueue>, merging: ReadonlySet<string>,
): Promise<SyncResult[]> {
  const rewrites = new Map(claim.rewrites);
  const branchTask = taskOfBranch(branch, prefix);
  // Queued commits by file, under their current SHA, if still in this branch.
  // A `Task:` trailer naming another task sends the commit there, as the sh hook does.
  const finals = claim.queued.map((q) => finalSha(rewrites, q.sha));
  const refs = await commitRefs(root, [...new Set(finals)]);
  const trailer = new Map(refs.map((c) => [c.sha, c.task]));
  const own = new Set(refs.filter((c) => c.baton).map((c) => c.sha));
  const byFile = new Map<string, string[]>();
  claim.queued.forEach((q, i) => {
    const sha = finals[i]!;
    if (own.has(sha)) return; // baton's own bookkeeping commit: no entry
    const id = trailer.get(sha) ?? q.task;
    if (id === TIP) return; // a merged tip with no trailer was recorded on its own branch
    const list = byFile.get(id) ?? [];
    if (!list.includes(sha)) byFile.set(id, [...list, sha]);
  });
  if (branchTask && !byFile.has(branchTask)) byFile.set(branchTask, []);
  const results: SyncResult[] = [];
  for (const [id, queued] of byFile) {
    const reachable: string[] = [];
    for (const sha of queued) if (merging.has(sha) || (await isAncestor(root, sha))) reachable.push(sha);
    if (id === branchTask) {
      const own = await taskCommitsOnBranch(root, id, base);
      const expected = [...own, ...reachable.filter((s) => !own.includes(s))];
      results.push(await syncCommitEntries(root, id, { expected, rewrites }));
    } else if (reachable.length || rewrites.size) {
      // On a task branch another task's file is short, and may hold entries that are not this
      // branch's: a cherry-pick of that task's commit brings the entries of its own branch along
      // (the memory merge is a union). They are checked against HEAD's history and go; they are
      // right on their own branch and come back when it is merged. project.md is long: not checked.
      const validate = !!branchTask && id !== 'project';
      results.push(await syncCommitEntries(root, id, { expected: reachable, rewrites, validate }));
    }
  }
  return results;
}

/** baton's hooks were installed in this repository (their manifest, in the common git dir). */
function hooksInstalled(root: string): boolean {
  return existsSync(join(stateDirIn(commonGitDirOf(root)), 'hooks.json'));
}

/**
 * How far back a flush looks for commits with no entry: one `git log` of this
 * many commits (linear, bounded); `baton doctor` checks the whole history and
 * `doctor --fix` rebuilds it.
 */
export const RECENT_COMMITS = 500;

async function recordRecent(root: string, config: ReturnType<typeof readConfig>, done: ReadonlySet<string>): Promise<SyncResult[]> {
  const { groups } = await expectedCommits(root, config, { recent: RECENT_COMMITS });
  const results: SyncResult[] = [];
  for (const [id, expected] of groups) {
    const r = await syncCommitEntries(root, id, { expected, validate: false });
    // A file the queue wrote too is reported once, with both counts.
    if (done.has(id) && !(r.added + r.replaced + r.removed)) continue;
    results.push(r);
  }
  return results;
}

/** A merged tip, queued by the hooks (baton.sh) and recorded only where its `Task:` trailer sends it. */
const TIP = 'tip';

/** The commits being merged (`MERGE_HEAD`), while a merge waits to be committed. */
function mergeHeads(gitDir: string): string[] {
  const path = join(gitDir, 'MERGE_HEAD');
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').map((l) => l.trim()).filter((l) => /^[0-9a-f]{40,64}$/.test(l)) : [];
}
