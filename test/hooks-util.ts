/** Shared by the hooks and memory tests: a task branch with hooks, and what memory must hold. */
import { expect } from 'vitest';
import { addTask, git, makeProject, ok, read } from './helpers/repo.js';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function taskRepo(): { dir: string; id: string; branch: string } {
  const dir = makeProject({ hooks: true });
  const id = addTask(dir, 'Record commits');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'Add task']);
  const branch = `task/${id}-record-commits`;
  git(dir, ['checkout', '-q', '-b', branch]);
  return { dir, id, branch };
}

/** Write a file, commit it, return the new HEAD. */
export function commitFile(dir: string, path: string, content: string, message: string, extra: string[] = [], env: Record<string, string> = {}): string {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
  git(dir, ['add', '--', path], env);
  git(dir, ['commit', '-q', '-m', message, ...extra], env);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

/** Refs of the commit entries in a memory file, in file order. */
export function commitRefs(dir: string, id: string): string[] {
  const path = `.agents/memory/${id}.md`;
  if (!existsSync(join(dir, path))) return [];
  return [...read(dir, path).matchAll(/^## \S+ commit ([0-9a-f]+)$/gm)].map((m) => m[1]!);
}

export function shas(dir: string, range: string[]): string[] {
  return git(dir, ['log', '--reverse', '--format=%H', ...range]).split('\n').filter(Boolean);
}

export const short = (sha: string) => sha.slice(0, 12);

/** Memory holds exactly one entry per commit of `range`, under its current SHA, and nothing else. */
/** The memory of `id` holds exactly the commits of `range`, in order: all but baton's own (Start, Log, Done, Plan), which are never entries. */
export function expectExact(dir: string, id: string, range: string[]): void {
  expect(commitRefs(dir, id)).toEqual(shas(dir, ['--invert-grep', '--grep=^Baton-Commit: ', ...range]).map(short));
}

export function clean(dir: string): string {
  return git(dir, ['status', '--porcelain']);
}

export function flush(dir: string): string {
  return ok(dir, ['hooks', 'flush']);
}
