/** `baton ci init github`: write the workflow, never over one a person has (without `force`). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError } from '../core/errors.js';
import type { Project } from '../workspace/context.js';
import { writeFileAtomic } from '../workspace/atomic.js';
import { githubWorkflow, secretNames, WORKFLOW_PATH, type WorkflowOptions } from './github-workflow.js';

export interface CiInitResult {
  path: string;
  written: boolean;
  /** Repository secrets the workflow reads. */
  secrets: string[];
}

/** This baton, pinned: a run of the workflow uses the version that wrote it. */
export function pinnedInstall(): string {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `npm install --global @baton-dev/baton@${version}`;
}

export function initGithubCi(project: Project, opts: Omit<WorkflowOptions, 'install'> & { install?: string; force?: boolean }): CiInitResult {
  const path = join(project.root, WORKFLOW_PATH);
  const text = githubWorkflow(project.config, { ...opts, install: opts.install ?? pinnedInstall() });
  const secrets = secretNames(project.config);
  if (existsSync(path)) {
    if (readFileSync(path, 'utf8') === text) return { path: WORKFLOW_PATH, written: false, secrets };
    if (!opts.force) {
      throw new BatonError(`\`${WORKFLOW_PATH}\` already exists and differs from what baton would write`, {
        file: WORKFLOW_PATH, hint: 'Nothing was written. Pass `--force` to replace it, or merge the changes by hand.',
      });
    }
  }
  writeFileAtomic(path, text);
  return { path: WORKFLOW_PATH, written: true, secrets };
}
