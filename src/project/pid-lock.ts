/**
 * A lock held by a live process: a file with its pid in the repository's
 * common git dir (shared by all worktrees). A lock whose process is gone
 * (killed, or quit with a second Ctrl-C) is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { commonGitDirOf } from '../git/gitdir.js';

export function acquirePidLock(root: string, name: string, busy: (pid: number) => BatonError): () => void {
  const path = join(commonGitDirOf(root), 'baton', `${name}.pid`);
  mkdirSync(dirname(path), { recursive: true });
  for (let tries = 0; ; tries++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 0) throw error;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (pid && alive(pid)) throw busy(pid);
      rmSync(path, { force: true });
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
