/** Where things live under `.agents/`. */
import { join } from 'node:path';

export const AGENTS_DIR = '.agents';

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
