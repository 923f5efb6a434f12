/**
 * Issuing a prompt: compose it and keep it in `.agents/prompts/<id>.md`, the
 * record of what the agent actually saw. The file goes where the task's
 * branch is checked out (this checkout or its worktree), so it travels with
 * the branch and never lies untracked in the way of its merge.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from '../project/context.js';
import { checkoutOf } from '../project/task-checkout.js';
import { writeFileAtomic } from '../store/atomic.js';
import { agentsPaths, rel } from '../store/paths.js';
import { composePrompt, type ComposedPrompt, type ComposeOptions } from './compose.js';

export interface IssuedPrompt extends ComposedPrompt {
  /** Where it was kept: relative to this checkout, or absolute when in a worktree. */
  file: string;
}

export async function issuePrompt(project: Project, ref: string, options: ComposeOptions = {}): Promise<IssuedPrompt> {
  const prompt = await composePrompt(project, ref, options);
  const dir = checkoutOf(project, prompt.branch)?.dir ?? project.root;
  const path = join(agentsPaths(dir).prompts, `${prompt.id}.md`);
  // Unchanged prompt, unchanged file: no spurious diff for git.
  if (!existsSync(path) || readFileSync(path, 'utf8') !== prompt.text) writeFileAtomic(path, prompt.text);
  return { ...prompt, file: dir === project.root ? rel(project.root, path) : path };
}
