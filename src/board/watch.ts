/**
 * What makes the board live: `fs.watch` on `.agents/` and on git's refs
 * (a commit on any branch, in any worktree, moves a ref), folded into one
 * debounced "changed" call.
 */
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { commonGitDirOf, gitDirOf } from '../git/gitdir.js';
import type { Project } from '../project/context.js';

export function watchProject(project: Project, onChange: () => void, delayMs = 150): () => void {
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, delayMs);
  };
  const watchers: FSWatcher[] = [];
  const add = (path: string, recursive: boolean, filter?: (name: string) => boolean) => {
    try {
      const w = watch(path, { recursive, persistent: false }, (_event, name) => {
        if (!filter || (name !== null && filter(String(name)))) fire();
      });
      w.on('error', () => w.close());
      watchers.push(w);
    } catch {
      /* the folder does not exist (no reviews yet, no packed refs): nothing to watch there */
    }
  };
  add(project.paths.dir, true);
  const common = commonGitDirOf(project.root);
  add(join(common, 'refs'), true);
  // packed-refs and HEAD live beside the index and objects: only their names count.
  const refFiles = (name: string) => name === 'HEAD' || name === 'packed-refs';
  add(common, false, refFiles);
  const own = gitDirOf(project.root);
  if (own !== common) add(own, false, refFiles);
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
