/**
 * Issuing a prompt: compose it and keep a record of what the agent was given.
 *
 * The record goes in the git dir, `.git/baton/prompts/<id>.md`, so that
 * reading a prompt never leaves the working tree dirty: an agent's `git add -A`
 * would otherwise sweep it into its own commit, and an untracked file on the
 * base would make `git switch` refuse a branch that tracks one. `baton start`,
 * `baton log` and `baton done` move it into the task branch's
 * `.agents/prompts/<id>.md` within the commit they make anyway, so the record
 * of what the agent saw travels with the work at no commit of its own.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { reportPath } from '../workspace/paths.js';
import type { Project } from '../workspace/context.js';
import { writeFileAtomic } from '../workspace/atomic.js';
import { composePrompt, type ComposedPrompt, type ComposeOptions } from './compose.js';
import { pendingPromptPath } from './pending.js';

export interface IssuedPrompt extends ComposedPrompt {
  /** Where the record was kept: relative to this checkout, else absolute. */
  file: string;
}

export async function issuePrompt(project: Project, ref: string, options: ComposeOptions = {}): Promise<IssuedPrompt> {
  const prompt = await composePrompt(project, ref, options);
  const path = pendingPromptPath(project.root, prompt.id);
  // The folder the prompt tells the agent to save its report in exists, so a plain redirect works.
  mkdirSync(dirname(reportPath(project.root, prompt.id)), { recursive: true });
  if (!existsSync(path) || readFileSync(path, 'utf8') !== prompt.text) writeFileAtomic(path, prompt.text);
  return { ...prompt, file: path };
}
