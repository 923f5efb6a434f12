/**
 * A prompt is kept in the git dir when it is read (where it neither dirties the
 * tree nor blocks `git switch`); `baton start`, `log` and `done` move it onto
 * the branch in their commit, so the record of what the agent saw travels with
 * the work.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../workspace/atomic.js';
import { agentsPaths } from '../workspace/paths.js';
import { sharedStateDir } from '../workspace/paths.js';

export function pendingPromptPath(root: string, id: string): string {
  return join(sharedStateDir(root), 'prompts', `${id}.md`);
}

/** Move a pending prompt record (the latest prompt issued) into `dir`'s `.agents/prompts/`, for the commit about to be made there. */
export function adoptPendingPrompt(root: string, dir: string, id: string): void {
  const pending = pendingPromptPath(root, id);
  if (!existsSync(pending)) return;
  const text = readFileSync(pending, 'utf8');
  const target = join(agentsPaths(dir).prompts, `${id}.md`);
  if (!existsSync(target) || readFileSync(target, 'utf8') !== text) writeFileAtomic(target, text);
  rmSync(pending, { force: true });
}
