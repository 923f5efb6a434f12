/**
 * Issuing a prompt: compose it and keep a record of what the agent was given.
 *
 * Where the record goes is chosen so that reading a prompt never blocks the
 * next step:
 * - the task's branch is checked out (here or in a worktree): in that
 *   checkout's `.agents/prompts/<id>.md`, so it travels with the branch (the
 *   next `baton log` or `baton done` commits it there);
 * - it is not (the prompt is read before `baton start`, or for a retry from the
 *   base branch): in the git dir, `.git/baton/prompts/<id>.md`. An untracked
 *   `.agents/prompts/<id>.md` on the base branch would make `git switch`
 *   refuse a task branch that tracks one; the git dir is never in the way.
 *   `baton start` moves that record onto the branch it starts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from '../workspace/context.js';
import { checkoutOf } from '../tasks/checkout.js';
import { writeFileAtomic } from '../workspace/atomic.js';
import { agentsPaths, rel } from '../workspace/paths.js';
import { composePrompt, type ComposedPrompt, type ComposeOptions } from './compose.js';
import { pendingPromptPath } from './pending.js';

export interface IssuedPrompt extends ComposedPrompt {
  /** Where the record was kept: relative to this checkout, else absolute. */
  file: string;
}

export async function issuePrompt(project: Project, ref: string, options: ComposeOptions = {}): Promise<IssuedPrompt> {
  const prompt = await composePrompt(project, ref, options);
  const co = checkoutOf(project, prompt.branch);
  const path = co ? join(agentsPaths(co.dir).prompts, `${prompt.id}.md`) : pendingPromptPath(project.root, prompt.id);
  // Unchanged prompt, unchanged file: no spurious diff for git.
  if (!existsSync(path) || readFileSync(path, 'utf8') !== prompt.text) writeFileAtomic(path, prompt.text);
  return { ...prompt, file: co?.dir === project.root ? rel(project.root, path) : path };
}
