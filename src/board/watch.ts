/**
 * What makes the board live: `fs.watch` on `.agents/` (here and in every
 * worktree, where agents write memory before they commit) and on git's refs
 * (a commit on any branch, in any worktree, moves a ref), folded into one
 * debounced "changed" call.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { eventsPath } from '../workflow/notify.js';
import { commonGitDirOf, gitDirOf } from '../git/gitdir.js';
import { listWorktrees } from '../git/task-branch.js';
import type { Project } from '../workspace/context.js';

export function watchProject(project: Project, onChange: () => void, delayMs = 150): () => void {
  let timer: NodeJS.Timeout | undefined;
  const watchers = new Map<string, FSWatcher>();
  const fire = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      followWorktrees();
      onChange();
    }, delayMs);
  };
  const add = (path: string, recursive: boolean, filter?: (name: string) => boolean) => {
    if (watchers.has(path) || !existsSync(path)) return;
    try {
      const w = watch(path, { recursive, persistent: false }, (_event, name) => {
        if (!filter || (name !== null && filter(String(name)))) fire();
      });
      w.on('error', () => {
        w.close();
        watchers.delete(path);
      });
      watchers.set(path, w);
    } catch {
      /* gone between the check and the watch: nothing to follow there */
    }
  };
  const root = resolve(project.root);
  // Worktrees come and go (`baton start --worktree`, `baton done`): looked up again after each change.
  const followWorktrees = () => {
    let paths: string[];
    try {
      paths = listWorktrees(project.root).map((w) => resolve(w.path)).filter((p) => p !== root);
    } catch {
      return;
    }
    for (const p of paths) add(join(p, '.agents'), true);
  };
  add(project.paths.dir, true);
  const common = commonGitDirOf(project.root);
  add(join(common, 'refs'), true);
  // packed-refs and HEAD live beside the index and objects: only their names count.
  const refFiles = (name: string) => name === 'HEAD' || name === 'packed-refs';
  add(common, false, refFiles);
  // The events notify.command hears (workflow/notify.ts): the board shows them as they come.
  const events = eventsPath(project.root);
  add(dirname(events), false, (name) => name === basename(events));
  const own = gitDirOf(project.root);
  if (own !== common) add(own, false, refFiles);
  followWorktrees();
  return () => {
    clearTimeout(timer);
    for (const w of watchers.values()) w.close();
    watchers.clear();
  };
}
