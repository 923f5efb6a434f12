/**
 * `baton start --remote` and `baton run --remote`: one task, claimed through
 * the remote first, so a person, a CI job and `baton auto` runners never work
 * on the same task at once. `run` renews the lease while the agent works and
 * releases it at the end; `start` leaves the claim to its lease (the person
 * works after the command ends) and says until when it holds.
 */
import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import type { Task } from '../core/task.js';
import type { Project } from '../workspace/context.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { isExpired, type Claim } from './claims.js';
import { RemoteRunner } from './runner.js';
import { remoteName, remoteSettings } from './settings.js';

export interface Claimed {
  runner: RemoteRunner;
  task: Task;
}

/** Fetch, claim `ref`'s task (its remote branch brought in), or say who has it. */
export function claimOne(project: Project, flag: string | undefined, ref: string, note?: (s: string) => void): Claimed {
  const settings = remoteSettings(project.config, flag);
  if (!settings) throw new BatonError('no remote to claim through', { hint: 'Pass `--remote origin`, or set `remote: origin` in .agents/config.yaml.' });
  const runner = new RemoteRunner(project, settings, note);
  runner.sync();
  const task = resolveTask(loadTasksStrict(project.root), ref);
  if (!runner.claim(task)) {
    throw heldBy(task, runner.holder(task.id), settings.remote);
  }
  return { runner, task };
}

/** `claimOne` when a remote is named (`--remote`, or `remote:` in the config); else nothing to claim. */
export function claimIfShared(project: Project, flag: string | undefined, ref: string, note?: (s: string) => void): Claimed | undefined {
  return remoteName(project.config, flag) ? claimOne(project, flag, ref, note) : undefined;
}

function heldBy(task: Task, holder: Claim | undefined, remote: string): BatonError {
  const who = holder ? `\`${holder.runner}\` (lease until ${holder.expires}${isExpired(holder) ? ', just expired' : ''})` : 'another runner';
  return new BatonError(`\`${task.id}\` is claimed on \`${remote}\` by ${who}`, {
    hint: `Pick another task (\`baton next --remote ${remote}\`), or wait until the lease ends.`,
  });
}
