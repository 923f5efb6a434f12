/** Where things live under `.agents/`. */
import { join } from 'node:path';
import { commonGitDirOf, gitDirOf, STATE_DIR } from '../git/gitdir.js';

export const AGENTS_DIR = '.agents';

/** The same places relative to the repository root, with forward slashes: git pathspecs, file lists, messages. */
export const AGENTS = {
  dir: AGENTS_DIR,
  config: `${AGENTS_DIR}/config.yaml`,
  plan: `${AGENTS_DIR}/plan.md`,
  tasks: `${AGENTS_DIR}/tasks`,
  memory: `${AGENTS_DIR}/memory`,
  prompts: `${AGENTS_DIR}/prompts`,
  reviews: `${AGENTS_DIR}/reviews`,
  memoryFile: (id: string) => `${AGENTS_DIR}/memory/${id}.md`,
} as const;

/** Whether a repository-relative path is inside `folder` (one of AGENTS' folders). */
export function isUnder(path: string, folder: string): boolean {
  return path.startsWith(`${folder}/`);
}

export function agentsPaths(root: string) {
  const dir = join(root, AGENTS_DIR);
  return {
    root,
    dir,
    config: join(dir, 'config.yaml'),
    plan: join(dir, 'plan.md'),
    tasks: join(dir, 'tasks'),
    memory: join(dir, 'memory'),
    reviews: join(dir, 'reviews'),
    prompts: join(dir, 'prompts'),
    templates: join(dir, 'templates'),
    projectMemory: join(dir, 'memory', 'project.md'),
    memoryFile: (id: string) => join(dir, 'memory', `${id}.md`),
  };
}

export type AgentsPaths = ReturnType<typeof agentsPaths>;

/** A path relative to the repository root, with forward slashes, for messages. */
export function rel(root: string, path: string): string {
  const r = path.startsWith(root) ? path.slice(root.length).replace(/^[\\/]+/, '') : path;
  return r.split('\\').join('/');
}

/** `<git dir>/baton` of a git dir already found (the hooks find theirs without spawning git). */
export function stateDirIn(gitDir: string): string {
  return join(gitDir, STATE_DIR);
}

/** `<git dir>/baton` of this checkout (a worktree has its own): locks and caches. */
export function stateDir(root: string): string {
  return stateDirIn(gitDirOf(root));
}

/** `<common git dir>/baton`, shared by every worktree of the repository: hooks, pending prompts, run pids. */
export function sharedStateDir(root: string): string {
  return stateDirIn(commonGitDirOf(root));
}

/**
 * Where an agent saves its report for `baton log <id>` to read by default:
 * `<common git dir>/baton/reports/<id>.md`. In the git dir it dirties no
 * checkout (an untracked REPORT.md kept worktrees from being removed), and
 * every worktree of the clone finds it.
 */
export function reportPath(root: string, id: string): string {
  return join(sharedStateDir(root), 'reports', `${id}.md`);
}
