/**
 * Issuing a prompt: compose it and keep a record of what the agent was given.
 *
 * The record goes in the repository's git dir (`.git/baton/prompts/<id>.md`),
 * not in the working tree: a prompt is often read before `baton start`, and an
 * untracked `.agents/prompts/<id>.md` on the base branch makes `git switch`
 * refuse to check out a task branch that has one. Reading a prompt must never
 * block the next step, so it leaves the working tree exactly as it was.
 * (`baton run`, which owns the task's worktree, still commits its prompt there.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commonGitDirOf } from '../git/gitdir.js';
import type { Project } from '../project/context.js';
import { writeFileAtomic } from '../store/atomic.js';
import { composePrompt, type ComposedPrompt, type ComposeOptions } from './compose.js';

export interface IssuedPrompt extends ComposedPrompt {
  /** Where the record was kept (absolute: it is outside the working tree). */
  file: string;
}

export function promptRecordPath(root: string, id: string): string {
  return join(commonGitDirOf(root), 'baton', 'prompts', `${id}.md`);
}

export async function issuePrompt(project: Project, ref: string, options: ComposeOptions = {}): Promise<IssuedPrompt> {
  const prompt = await composePrompt(project, ref, options);
  const path = promptRecordPath(project.root, prompt.id);
  // Unchanged prompt, unchanged file.
  if (!existsSync(path) || readFileSync(path, 'utf8') !== prompt.text) writeFileAtomic(path, prompt.text);
  return { ...prompt, file: path };
}
