/** What every operation needs to know about the repository it works on. */
import { existsSync } from 'node:fs';
import { BatonError, type Problem } from '../core/errors.js';
import { findRepoRoot, safeBranch } from '../git/gitdir.js';
import { defaultConfig, readConfig, type Config } from './config.js';
import { agentsPaths } from './paths.js';

export interface Project {
  root: string;
  config: Config;
  paths: ReturnType<typeof agentsPaths>;
}

/** A check `baton doctor` runs beside its own, registered by the part of baton it is about (memory: commits missing from it). */
export type DoctorCheck = (project: Project, opts?: { fix?: boolean; fixed?: string[] }) => Promise<Problem[]>;

export function requireRepo(cwd: string): string {
  const root = findRepoRoot(cwd);
  if (!root) {
    throw new BatonError(`not a git repository: ${cwd}`, {
      hint: 'Run baton inside a git repository (`git init` creates one).',
    });
  }
  return root;
}

/** The project at `cwd`, which must have been set up with `baton init`. */
export function openProject(cwd: string, opts: { lenientConfig?: boolean } = {}): Project {
  const root = requireRepo(cwd);
  const paths = agentsPaths(root);
  if (!existsSync(paths.dir)) {
    throw new BatonError(`no .agents/ folder in ${root}`, { hint: 'Run `baton init` first.' });
  }
  let config: Config;
  try {
    config = readConfig(root);
  } catch (error) {
    // `doctor` must still run (and report the config's problem with the rest).
    if (!opts.lenientConfig || !(error instanceof BatonError)) throw error;
    config = defaultConfig();
  }
  return { root, config, paths };
}

/** On a task branch, plan.md is left alone: the base branch owns its generated block. */
export function onTaskBranch(project: Project): boolean {
  const branch = safeBranch(project.root);
  return branch !== undefined && branch.startsWith(project.config.branch_prefix);
}

export { safeBranch };
