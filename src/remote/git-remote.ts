/**
 * git's side of sharing a plan through a remote: fetches and pushes whose
 * outcome is data. A push the remote refuses (a lease that no longer holds, a
 * base that moved) is a normal result, `rejected`; only a remote that cannot
 * be reached at all is an error.
 */
import { spawnSync } from 'node:child_process';
import { BatonError } from '../core/errors.js';
import { gitRun, type GitResult } from '../git/task-branch.js';
import { gitSaid } from '../git/run.js';
import { gitNetwork, type NetworkOptions } from '../git/network.js';

export type { NetworkOptions } from '../git/network.js';

export interface PushSpec {
  /** What to push: a SHA or a ref; empty deletes `dst`. */
  src: string;
  dst: string;
  /** Compare-and-swap: the SHA `dst` must have on the remote now; '' means it must not exist. */
  expect?: string;
}

export interface PushResult {
  ok: boolean;
  /** Refused by the remote (stale lease, not a fast-forward, atomic push failed). */
  rejected: boolean;
  detail: string;
}

export function pushArgs(remote: string, specs: readonly PushSpec[], atomic: boolean): string[] {
  const args = ['push', '--porcelain', '--no-verify'];
  if (atomic) args.push('--atomic');
  for (const s of specs) if (s.expect !== undefined) args.push(`--force-with-lease=${s.dst}:${s.expect}`);
  args.push(remote, ...specs.map((s) => `${s.src}:${s.dst}`));
  return args;
}

/** `git push --porcelain` output and exit code → result. Pure. */
export function parsePush(r: GitResult): PushResult {
  if (r.code === 0) return { ok: true, rejected: false, detail: '' };
  const refused = r.stdout.split('\n').filter((l) => l.startsWith('!'));
  if (refused.length) return { ok: false, rejected: true, detail: refused.map((l) => l.split('\t').slice(1).join(' ')).join('; ') };
  return { ok: false, rejected: false, detail: gitSaid(r.stderr || r.stdout) };
}

function unreachable(remote: string, what: string, detail: string): BatonError {
  return new BatonError(`could not ${what} \`${remote}\`: ${detail}`, {
    hint: `Check the remote (\`git remote -v\`, \`git fetch ${remote}\`) and your access to it; nothing was changed there.`,
  });
}

/** Push through simple-git (a stalled remote ends at `net.stallMs`); a refusal is a result, anything else throws. */
export async function push(root: string, remote: string, specs: readonly PushSpec[], opts: { atomic?: boolean } = {}, net: NetworkOptions = {}): Promise<PushResult> {
  const r = parsePush(await gitNetwork(root, remote, pushArgs(remote, specs, opts.atomic ?? false), net));
  if (!r.ok && !r.rejected) throw unreachable(remote, 'push to', r.detail);
  return r;
}

/** One `git fetch` of these refspecs (forced, pruned): what the remote has now. */
export async function fetchRefs(root: string, remote: string, refspecs: readonly string[], net: NetworkOptions = {}): Promise<void> {
  const r = await gitNetwork(root, remote, ['fetch', '--prune', '--no-tags', '--no-write-fetch-head', remote, ...refspecs], net);
  if (r.code !== 0) throw unreachable(remote, 'fetch from', gitSaid(r.stderr || r.stdout));
}

/** SHA of a local ref, undefined when it does not exist. */
export function refSha(root: string, ref: string): string | undefined {
  const r = gitRun(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

export function isAncestorRef(root: string, a: string, b: string): boolean {
  return gitRun(root, ['merge-base', '--is-ancestor', a, b]).code === 0;
}

/** `git` with extra environment variables (an identity for baton's own objects). */
export function gitRunEnv(root: string, args: string[], env: NodeJS.ProcessEnv, input?: string): GitResult {
  const r = spawnSync('git', args, { cwd: root, input, env, encoding: 'utf8' });
  if (r.error) throw new BatonError(`could not run git: ${r.error.message}`, { hint: 'Install git and make sure it is on PATH.', cause: r.error });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}
