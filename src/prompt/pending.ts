/**
 * A prompt read before its task's branch was checked out is kept in the git
 * dir (where it cannot block `git switch`); `baton start` moves it onto the
 * branch, so the record of what the agent saw travels with the work.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../workspace/atomic.js';
import { agentsPaths } from '../workspace/paths.js';
import { sharedStateDir } from '../workspace/paths.js';

export function pendingPromptPath(root: string, id: string): string {
  return join(sharedStateDir(root), 'prompts', `${id}.md`);
}

/** Move a pending prompt record into `dir`'s `.agents/prompts/` (unless one is there already). */
export function adoptPendingPrompt(root: string, dir: string, id: string): void {
  const pending = pendingPromptPath(root, id);
  if (!existsSync(pending)) return;
  const target = join(agentsPaths(dir).prompts, `${id}.md`);
  if (!existsSync(target)) writeFileAtomic(target, readFileSync(pending, 'utf8'));
  rmSync(pending, { force: true });
}
