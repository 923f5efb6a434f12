/**
 * Bringing a runner's clone up to date with the shared remote in one fetch:
 * the base branch, the task branches and the claims. The local base follows
 * the remote's (fast-forward, or a merge when this clone has commits of its
 * own, such as a review); local task branches that are not checked out follow
 * theirs, so a task another runner started is continued from its work.
 */
import { BatonError } from '../core/errors.js';
import { gitRun, listWorktrees } from '../git/task-branch.js';
import type { Project } from '../workspace/context.js';
import { fetchClaims, type Claim } from './claims.js';
import { queueRefspec } from './queue-refs.js';
import { isAncestorRef, refSha, type NetworkOptions } from './git-remote.js';
import { stallMsOf } from './settings.js';
import { gitSaid } from '../git/run.js';

export function remoteBranchRef(remote: string, branch: string): string {
  return `refs/remotes/${remote}/${branch}`;
}

/** One fetch: base, task branches, claims. Returns the claims. */
export async function fetchShared(project: Project, remote: string, opts: { branches?: boolean; net?: NetworkOptions } = {}): Promise<Claim[]> {
  const { base_branch: base, branch_prefix: prefix } = project.config;
  const specs = [`+refs/heads/${base}:${remoteBranchRef(remote, base)}`];
  if (opts.branches !== false) specs.push(`+refs/heads/${prefix}*:${remoteBranchRef(remote, prefix)}*`);
  specs.push(queueRefspec(remote));
  return fetchClaims(project.root, remote, specs, opts.net ?? { stallMs: stallMsOf(project.config) });
}

/** The local base takes what the remote's has. `dir`: the checkout that has the base (undefined: none). */
export function followBase(project: Project, remote: string, dir: string | undefined): void {
  const base = project.config.base_branch;
  const theirs = refSha(project.root, remoteBranchRef(remote, base));
  const ours = refSha(project.root, `refs/heads/${base}`);
  if (!theirs || theirs === ours || (ours && isAncestorRef(project.root, theirs, ours))) return;
  if (!ours || isAncestorRef(project.root, ours, theirs)) {
    const r = dir ? gitRun(dir, ['merge', '--ff-only', '--quiet', theirs]) : gitRun(project.root, ['update-ref', `refs/heads/${base}`, theirs, ...(ours ? [ours] : [])]);
    if (r.code !== 0) throw cannotFollow(base, remote, r.stderr);
    return;
  }
  if (!dir) throw cannotFollow(base, remote, 'the two have diverged');
  const r = gitRun(dir, ['merge', '--no-edit', '--quiet', '-m', `Merge ${remote}/${base} (commits made by other runners)`, theirs]);
  if (r.code !== 0) {
    gitRun(dir, ['merge', '--abort']);
    throw cannotFollow(base, remote, gitSaid(r.stdout + r.stderr));
  }
}

function cannotFollow(base: string, remote: string, detail: string): BatonError {
  return new BatonError(`could not bring \`${remote}/${base}\` into \`${base}\`: ${detail.trim()}`, {
    hint: `Nothing was pushed. Bring them together by hand (\`git pull ${remote} ${base}\`), then run the command again.`,
  });
}

/** Local task branches follow the remote's where they can fast-forward and are not checked out. */
export function followTaskBranches(project: Project, remote: string): void {
  const prefix = project.config.branch_prefix;
  const theirsRoot = `refs/remotes/${remote}/`;
  // One call for both sides; git runs again only for branches that differ.
  const r = gitRun(project.root, ['for-each-ref', '--format=%(refname)%00%(objectname)', theirsRoot, 'refs/heads/']);
  if (r.code !== 0) return;
  const ours = new Map<string, string>();
  const theirs = new Map<string, string>();
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const [ref, sha] = line.split('\0') as [string, string];
    if (ref.startsWith('refs/heads/')) ours.set(ref.slice('refs/heads/'.length), sha);
    else theirs.set(ref.slice(theirsRoot.length), sha);
  }
  let checkedOut: Set<string> | undefined;
  for (const [branch, sha] of theirs) {
    const mine = ours.get(branch);
    if (!branch.startsWith(prefix) || mine === sha) continue;
    checkedOut ??= new Set(listWorktrees(project.root).map((w) => w.branch).filter((b): b is string => !!b));
    if (checkedOut.has(branch) || (mine && !isAncestorRef(project.root, mine, sha))) continue;
    gitRun(project.root, ['update-ref', `refs/heads/${branch}`, sha, ...(mine ? [mine] : [])]);
  }
}
