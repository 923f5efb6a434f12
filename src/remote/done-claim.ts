/**
 * What `baton done` does after the task is closed, for the CLI command and the
 * MCP `done` tool alike: give back the claim `baton start --remote` took.
 * Light on purpose: the remote modules load only when this clone noted a claim
 * or the config names a remote, so a project without one talks to no remote.
 */
import { existsSync } from 'node:fs';
import { heldClaimPath } from '../workflow/done.js';
import type { Project } from '../workspace/context.js';
import type { Released } from './manual.js';

export type { Released };

/** The claim given back (the branch pushed with it), left alone, or not reached; undefined: none to speak of. */
export async function releaseClaimAfterDone(project: Project, id: string): Promise<Released | undefined> {
  if (project.config.raw.remote === undefined && !existsSync(heldClaimPath(project.root, id))) return undefined;
  const { releaseStarted } = await import('./manual.js');
  return releaseStarted(project, id);
}
