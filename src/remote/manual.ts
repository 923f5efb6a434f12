/**
 * `baton start --remote` and `baton run --remote`: one task, claimed through
 * the remote first, so a person, a CI job and `baton auto` runners never work
 * on the same task at once. `run` renews the lease while the agent works and
 * releases it at the end; `start` leaves the claim on the remote (the person
 * works after the command ends), says until when it holds, and notes it in the
 * git dir so that `baton done` pushes the branch and gives that claim back.
 */
import { readFileSync, rmSync } from 'node:fs';
import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import type { Task } from '../core/task.js';
import type { Project } from '../workspace/context.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { isExpired, type Claim, claimRef, fetchClaims, releaseClaim } from './claims.js';
import { heldClaimPath } from '../workflow/done.js';
import { taskBranchName } from '../tasks/checkout.js';
import { writeFileAtomic } from '../workspace/atomic.js';
import { push, refSha, type PushSpec } from './git-remote.js';
import { RemoteRunner } from './runner.js';
import { remoteName, remoteSettings, stallMsOf } from './settings.js';

export interface Claimed {
  runner: RemoteRunner;
  task: Task;
}

/** Fetch, claim `ref`'s task (its remote branch brought in), or say who has it. */
export async function claimOne(project: Project, flag: string | undefined, ref: string, note?: (s: string) => void, signal?: AbortSignal): Promise<Claimed> {
  let settings = remoteSettings(project.config, flag);
  if (!settings) throw new BatonError('no remote to claim through', { hint: 'Pass `--remote origin`, or set `remote: origin` in .agents/config.yaml.' });
  // A claim this clone's `baton start` took is its own still (the default name differs per process): renewed, not refused.
  const held = heldNoteFor(project, ref);
  if (held?.remote === settings.remote) settings = { ...settings, runner: held.runner };
  const runner = new RemoteRunner(project, settings, note, signal);
  await runner.sync();
  const task = resolveTask(loadTasksStrict(project.root), ref);
  if (!(await runner.claim(task))) {
    throw heldBy(task, runner.holder(task.id), settings.remote);
  }
  return { runner, task };
}

/** `claimOne` when a remote is named (`--remote`, or `remote:` in the config); else nothing to claim. */
export async function claimIfShared(project: Project, flag: string | undefined, ref: string, note?: (s: string) => void, signal?: AbortSignal): Promise<Claimed | undefined> {
  return remoteName(project.config, flag) ? claimOne(project, flag, ref, note, signal) : undefined;
}

/**
 * `baton start` with a remote named (`--remote`, or `remote:` in the config): claim first, run
 * `start`, give the claim back if it fails, else push the branch and keep the claim for `done`.
 * The CLI command and the MCP `start` tool both go through here. No remote named: `start` alone.
 */
export async function startClaimed<R>(
  project: Project, flag: string | undefined, ref: string, start: () => Promise<R>,
): Promise<{ result: R; claim?: Claim; remote?: string; notes: string[] }> {
  // What the runner had to say (a claim taken over, an unreadable one): the caller shows it.
  const notes: string[] = [];
  const claimed = await claimIfShared(project, flag, ref, (s) => notes.push(s));
  let result: R;
  try {
    result = await start();
  } catch (error) {
    await claimed?.runner.release(claimed.task);
    throw error;
  }
  if (!claimed) return { result, notes };
  await claimed.runner.pushBranch(claimed.task);
  return { result, claim: keepClaim(project, claimed), remote: claimed.runner.settings.remote, notes };
}

function heldBy(task: Task, holder: Claim | undefined, remote: string): BatonError {
  const who = holder ? `\`${holder.runner}\` (lease until ${holder.expires}${isExpired(holder) ? ', just expired' : ''})` : 'another runner';
  return new BatonError(`\`${task.id}\` is claimed on \`${remote}\` by ${who}`, {
    hint: `Pick another task (\`baton next --remote ${remote}\`), or wait until the lease ends.`,
  });
}

interface HeldNote {
  remote: string;
  task: string;
  runner: string;
  sha: string;
}

/** `baton start --remote`: stop renewing, leave the claim on the remote, and note it for `baton done`. */
export function keepClaim(project: Project, claimed: Claimed): Claim | undefined {
  const claim = claimed.runner.detach(claimed.task.id);
  if (!claim) return undefined;
  const note: HeldNote = { remote: claimed.runner.settings.remote, task: claim.task, runner: claim.runner, sha: claim.sha };
  writeFileAtomic(heldClaimPath(project.root, claim.task), `${JSON.stringify(note)}\n`);
  return claim;
}

/** The note for `ref`'s task, if this clone knows the task yet (before the fetch that may bring it). */
function heldNoteFor(project: Project, ref: string): HeldNote | undefined {
  try {
    return readHeld(heldClaimPath(project.root, resolveTask(loadTasksStrict(project.root), ref).id));
  } catch {
    return undefined;
  }
}

function readHeld(path: string): HeldNote | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<HeldNote>;
    return typeof v.remote === 'string' && typeof v.sha === 'string' && /^[0-9a-f]{40,64}$/.test(v.sha) ? (v as HeldNote) : undefined;
  } catch {
    return undefined;
  }
}

export interface Released {
  remote: string;
  /** The claim was this runner's and is gone from the remote. */
  released: boolean;
  /** Left alone: another runner holds it now. */
  heldBy?: string;
  expires?: string;
  /** The task branch could not be pushed (the claim is released all the same). */
  pushRefused?: string;
  /** The remote could not be reached: the claim ends with its lease. */
  error?: string;
}

/**
 * `baton done ID`: push the task branch and delete the claim `baton start
 * --remote` took, in one atomic push, compare-and-swap against the claim it
 * noted (or, with no note, a claim under this runner's configured name). A
 * claim another runner holds now (taken over after the lease ran out) is left
 * alone. Undefined when there is no claim of this task to speak of.
 */
export async function releaseStarted(project: Project, id: string): Promise<Released | undefined> {
  const path = heldClaimPath(project.root, id);
  const held = readHeld(path);
  const settings = remoteSettings(project.config);
  const remote = held?.remote ?? settings?.remote;
  if (!remote) return undefined;
  const net = { stallMs: stallMsOf(project.config) };
  try {
    let current: Claim | undefined;
    let mine = held?.sha;
    if (!mine) {
      current = (await fetchClaims(project.root, remote, [], net)).find((c) => c.task === id);
      if (!current) return undefined;
      if (current.runner === settings?.runner) mine = current.sha;
    }
    if (mine) {
      const task = loadTasksStrict(project.root).find((t) => t.id === id);
      const branch = task ? `refs/heads/${taskBranchName(project, task)}` : undefined;
      const claim: PushSpec = { src: '', dst: claimRef(id), expect: mine };
      const both = branch && refSha(project.root, branch) ? [{ src: branch, dst: branch }, claim] : [claim];
      const r = await push(project.root, remote, both, { atomic: true }, net);
      if (r.ok) return gone(path, { remote, released: true });
      current = (await fetchClaims(project.root, remote, [], net)).find((c) => c.task === id);
      // Still ours: the branch was refused (the remote's has moved on); give the claim back alone.
      if (current?.sha === mine && both.length > 1 && (await releaseClaim(project.root, remote, { task: id, sha: mine }, net))) {
        return gone(path, { remote, released: true, pushRefused: r.detail });
      }
    }
    if (!current) return gone(path, undefined);
    return gone(path, { remote, released: false, heldBy: current.runner, expires: current.expires });
  } catch (error) {
    return { remote, released: false, error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

function gone<T>(path: string, result: T): T {
  rmSync(path, { force: true });
  return result;
}
