/**
 * Claims: who works on which task, kept on the shared remote as
 * `refs/baton/claims/<id>`, each pointing at a small commit whose message is
 * JSON (runner, lease expiry). Creating the ref is the claim: the push says
 * "this ref must not exist yet" (`--force-with-lease=<ref>:`), so when many
 * runners try at once the remote lets exactly one through. Renewing, taking
 * over an expired lease and releasing are compare-and-swap pushes against the
 * SHA the runner last saw, so nobody overwrites a claim they did not read.
 */
import { BatonError } from '../core/errors.js';
import { gitRun } from '../git/task-branch.js';
import { fetchRefs, gitRunEnv, push, type NetworkOptions, type PushResult } from './git-remote.js';

export interface ClaimInfo {
  task: string;
  runner: string;
  /** ISO time the lease ends unless renewed. */
  expires: string;
  /** ISO time of the claim (kept across renewals). */
  since: string;
}

export interface Claim extends ClaimInfo {
  /** The claim commit the remote ref points at. */
  sha: string;
  /** Why the ref could not be read as a claim (not a commit, or its message not baton's JSON): it counts as expired, to be taken over. */
  unreadable?: string;
}

export const CLAIMS = 'refs/baton/claims';

export function claimRef(id: string): string {
  return `${CLAIMS}/${id}`;
}

/** Where a fetch keeps the remote's claims in this repository. */
export function seenPrefix(remote: string): string {
  return `refs/baton/remotes/${remote}/claims`;
}

export function claimsRefspec(remote: string): string {
  return `+${CLAIMS}/*:${seenPrefix(remote)}/*`;
}

export function serializeClaim(info: ClaimInfo): string {
  return `${JSON.stringify({ task: info.task, runner: info.runner, expires: info.expires, since: info.since })}\n`;
}

/** A claim commit's message → info; undefined for anything that is not one of ours. Pure. */
export function parseClaim(message: string): ClaimInfo | undefined {
  try {
    const v = JSON.parse(message.trim()) as Partial<ClaimInfo>;
    if (typeof v.task !== 'string' || typeof v.runner !== 'string' || typeof v.expires !== 'string') return undefined;
    return { task: v.task, runner: v.runner, expires: v.expires, since: typeof v.since === 'string' ? v.since : v.expires };
  } catch {
    return undefined;
  }
}

export function isExpired(claim: Pick<ClaimInfo, 'expires'>, now = Date.now()): boolean {
  const t = Date.parse(claim.expires);
  return Number.isNaN(t) || t <= now;
}

/** A commit (of the empty tree) that carries the claim; it is never part of any branch. */
export function claimObject(root: string, info: ClaimInfo): string {
  const tree = gitRun(root, ['hash-object', '-t', 'tree', '-w', '--stdin'], '');
  // The identity is the runner's: CI machines often have no git user configured.
  const who = `baton ${info.runner}`.replace(/[<>\n]/g, '');
  const env = { ...process.env, GIT_AUTHOR_NAME: who, GIT_AUTHOR_EMAIL: 'baton@localhost', GIT_COMMITTER_NAME: who, GIT_COMMITTER_EMAIL: 'baton@localhost' };
  const r = gitRunEnv(root, ['commit-tree', tree.stdout.trim(), '-F', '-'], env, serializeClaim(info));
  if (r.code !== 0) throw new BatonError(`could not write a claim for ${info.task}: ${r.stderr.trim()}`, { hint: 'Check that the repository is writable (`git fsck`).' });
  return r.stdout.trim();
}

/** The claims as last fetched (see `fetchClaims`), read in one `git for-each-ref`. */
export function readSeenClaims(root: string, remote: string): Claim[] {
  const r = gitRun(root, ['for-each-ref', '--format=%(objectname)%00%(objecttype)%00%(refname:lstrip=-1)%00%(contents)%00%00', `${seenPrefix(remote)}/`]);
  if (r.code !== 0) return [];
  const out: Claim[] = [];
  for (const rec of r.stdout.split('\0\0\n')) {
    const [sha, type, task, message] = rec.split('\0');
    if (!sha?.trim() || !task) continue;
    const info = type === 'commit' && message !== undefined ? parseClaim(message) : undefined;
    if (info) {
      out.push({ ...info, sha: sha.trim() });
      continue;
    }
    // A ref that is no claim of baton's would block the task for ever: it is shown, and taken over like an expired one.
    const why = type !== 'commit' ? `a ${type ?? 'missing object'}, not a claim commit` : 'its message is not a claim';
    out.push({ task, runner: 'unreadable claim', expires: new Date(0).toISOString(), since: new Date(0).toISOString(), sha: sha.trim(), unreadable: why });
  }
  return out;
}

/** Fetch the remote's claims (and whatever other refspecs come along in the same fetch). */
export async function fetchClaims(root: string, remote: string, more: readonly string[] = [], net: NetworkOptions = {}): Promise<Claim[]> {
  await fetchRefs(root, remote, [claimsRefspec(remote), ...more], net);
  return readSeenClaims(root, remote);
}

export type ClaimAttempt = { won: true; claim: Claim } | { won: false; holder?: Claim };

/**
 * Claim `task`: create the ref, or take over `expired` (the claim this runner
 * read, whose lease has run out). Exactly one of several runners wins.
 */
export async function tryClaim(root: string, remote: string, info: ClaimInfo, expired?: Claim, net: NetworkOptions = {}): Promise<ClaimAttempt> {
  const sha = claimObject(root, info);
  const r = await push(root, remote, [{ src: sha, dst: claimRef(info.task), expect: expired?.sha ?? '' }], {}, net);
  if (r.ok) return { won: true, claim: { ...info, sha } };
  return { won: false, holder: readSeenClaims(root, remote).find((c) => c.task === info.task) };
}

/** Extend the lease; false when the claim is no longer ours (taken over after it expired). */
export async function renewClaim(root: string, remote: string, claim: Claim, expires: string, net: NetworkOptions = {}): Promise<{ claim: Claim; result: PushResult }> {
  const info = { task: claim.task, runner: claim.runner, since: claim.since, expires };
  const sha = claimObject(root, info);
  // A renewal that cannot reach the remote is a failed renewal (the lease runs on), not a crash beside the agents.
  const result = await push(root, remote, [{ src: sha, dst: claimRef(claim.task), expect: claim.sha }], {}, net)
    .catch((e: unknown): PushResult => ({ ok: false, rejected: false, detail: e instanceof Error ? e.message : String(e) }));
  return { claim: result.ok ? { ...info, sha } : claim, result };
}

/** Delete the claim if it is still the one we hold. */
export async function releaseClaim(root: string, remote: string, claim: Pick<Claim, 'task' | 'sha'>, net: NetworkOptions = {}): Promise<boolean> {
  return (await push(root, remote, [{ src: '', dst: claimRef(claim.task), expect: claim.sha }], {}, net)).ok;
}
