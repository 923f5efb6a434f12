/**
 * Reading and writing task files. Front matter is parsed once per file
 * version and cached in the git directory (never committed), so large plans
 * stay fast: like git's index, an entry is keyed by the file's stat (size,
 * mtime, ctime, inode) and holds the parsed task and its body, so an
 * unchanged file is not even read. Racy-git rule: a file whose mtime falls in
 * the same second as the cache was written (or later) may have changed
 * without its stat showing it, so it is read and parsed again.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { BatonError, type Problem } from '../core/errors.js';
import { taskFromData, type Task } from '../core/task.js';
import { writeFileAtomic } from '../workspace/atomic.js';
import { parseFrontMatter, setFrontMatterFields } from '../workspace/frontmatter.js';
import { agentsPaths, AGENTS } from '../workspace/paths.js';
import { stateDir } from '../workspace/paths.js';

export interface TaskSet {
  tasks: Task[];
  /** Problems in individual files (those files are left out of `tasks`). */
  problems: Problem[];
}

type CachedTask = Omit<Task, 'path' | 'body'>;
/** `stat`: size, mtimeMs, ctimeMs, ino of the file the entry was parsed from. */
interface CacheEntry { stat: number[]; task?: CachedTask; body?: string; problems?: Problem[] }
const CACHE_VERSION = 3;

/** Files in `tasks/` that are not tasks (README, AGENTS) are skipped, like changesets does. */
function isTaskFileName(name: string): boolean {
  return name.endsWith('.md') && !name.startsWith('.') && !/^(readme|agents)\.md$/i.test(name);
}

/** Parse one task file's text. Pure. */
export function parseTaskText(text: string, path: string): { task?: Task; problems: Problem[] } {
  let fm;
  try {
    fm = parseFrontMatter(text, path);
  } catch (error) {
    if (error instanceof BatonError) {
      return { problems: [{ file: path, line: error.line, message: error.message, hint: error.hint, severity: 'error' }] };
    }
    throw error;
  }
  return taskFromData(fm.data, { path, body: fm.body, lines: fm.lines, fmLine: fm.line });
}

function cachePath(root: string): string | undefined {
  try {
    return join(stateDir(root), 'task-cache.json');
  } catch {
    return undefined;
  }
}

/** The cache's entries by file name, and when it was written (its own mtime, on the same clock as the task files'). */
function loadCache(path: string | undefined): { entries: Map<string, CacheEntry>; writtenMs: number } {
  const none = { entries: new Map<string, CacheEntry>(), writtenMs: 0 };
  if (!path) return none;
  try {
    const writtenMs = statSync(path).mtimeMs;
    const raw = JSON.parse(readFileSync(path, 'utf8')) as { version: number; entries: Record<string, CacheEntry> };
    return raw.version === CACHE_VERSION ? { entries: new Map(Object.entries(raw.entries)), writtenMs } : none;
  } catch {
    return none; // missing or broken: only a slower run
  }
}

const statKey = (st: Stats): number[] => [st.size, st.mtimeMs, st.ctimeMs, st.ino];

function sameStat(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function loadTasks(root: string): TaskSet {
  const dir = agentsPaths(root).tasks;
  if (!existsSync(dir)) return { tasks: [], problems: [] };
  const names = readdirSync(dir).filter(isTaskFileName).sort();
  const cacheFile = cachePath(root);
  const { entries: cache, writtenMs } = loadCache(cacheFile);
  // Whole seconds, as git compares: a coarse file system clock cannot hide an edit.
  const racyFrom = Math.floor(writtenMs / 1000) * 1000;
  const fresh = new Map<string, CacheEntry>();
  let changed = cache.size !== names.length;
  const tasks: Task[] = [];
  const problems: Problem[] = [];
  for (const name of names) {
    const path = `${AGENTS.tasks}/${name}`;
    const abs = join(dir, name);
    const st = statTaskFile(abs, path);
    if ('problem' in st) {
      problems.push(st.problem);
      changed = true;
      continue;
    }
    const stat = statKey(st.stats);
    let entry = cache.get(name);
    if (!entry || !sameStat(entry.stat, stat) || st.stats.mtimeMs >= racyFrom) {
      const read = readTaskFile(abs, path);
      if ('problem' in read) {
        problems.push(read.problem);
        changed = true;
        continue;
      }
      const parsed = parseTaskText(read.text, path);
      entry = parsed.task
        ? { stat, task: withoutBody(parsed.task), body: parsed.task.body }
        : { stat, problems: parsed.problems };
      changed = true;
    }
    fresh.set(name, entry);
    if (entry.task) tasks.push({ ...entry.task, path, body: entry.body ?? '' });
    else problems.push(...(entry.problems ?? []));
  }
  if (cacheFile && changed) {
    try {
      mkdirSync(join(cacheFile, '..'), { recursive: true });
      writeFileAtomic(cacheFile, JSON.stringify({ version: CACHE_VERSION, entries: Object.fromEntries(fresh) }));
    } catch {
      /* read-only git dir: no cache, still correct */
    }
  }
  return { tasks, problems };
}

/** A task file's stat, or the warning for a folder or dangling link named like a task (see readTaskFile). */
function statTaskFile(abs: string, path: string): { stats: Stats } | { problem: Problem } {
  try {
    const stats = statSync(abs);
    if (!stats.isDirectory()) return { stats };
  } catch {
    /* readTaskFile names what is wrong */
  }
  const read = readTaskFile(abs, path);
  return 'problem' in read ? read : { stats: statSync(abs) };
}

/**
 * A task file's text, or why there is none: a folder or a dangling link
 * named like a task holds no task (a warning: it is skipped, every command
 * goes on); a file that cannot be read is an error, located like a parse error.
 */
function readTaskFile(abs: string, path: string): { text: string } | { problem: Problem } {
  try {
    if (statSync(abs).isDirectory()) {
      return { problem: { file: path, severity: 'warning', message: 'a folder named like a task file; it is skipped', hint: 'Rename the folder, or move its contents out: a task is one `.md` file.' } };
    }
    return { text: readFileSync(abs, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP') {
      let target = '';
      try {
        target = ` to \`${readlinkSync(abs)}\``;
      } catch {
        /* gone since the listing */
      }
      return { problem: { file: path, severity: 'warning', message: `a symbolic link${target} that leads nowhere; it is skipped`, hint: 'Remove the link, or restore the file it points to.' } };
    }
    return { problem: { file: path, severity: 'error', message: `cannot read the task file: ${(error as Error).message}`, hint: 'Check its permissions (`ls -l`).' } };
  }
}

function withoutBody(task: Task): Omit<Task, 'path' | 'body'> {
  const { path: _path, body: _body, ...rest } = task;
  return rest;
}

/** Load tasks and refuse to go on if any file is broken, naming every problem. */
export function loadTasksStrict(root: string): Task[] {
  const { tasks, problems } = loadTasks(root);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw tasksInvalid(errors);
  return tasks;
}

export function tasksInvalid(errors: Problem[]): BatonError {
  const first = errors[0]!;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''}; \`baton doctor\` lists them all)` : '';
  return new BatonError(`${first.message}${more}`, { file: first.file, line: first.line, hint: first.hint });
}

export function renderTaskFile(fields: Record<string, unknown>, body: string): string {
  const lines = Object.entries(fields)
    .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0 && v !== fields.depends_on))
    .map(([k, v]) => `${k}: ${yamlInline(v)}`);
  return `---\n${lines.join('\n')}\n---\n${body}`;
}

function yamlInline(value: unknown): string {
  // setFrontMatterFields renders values the same way; reuse it on an empty block.
  const text = setFrontMatterFields('---\n---\n', 'inline', { v: value });
  return text.slice('---\nv: '.length, text.lastIndexOf('\n---')).trimEnd();
}


/**
 * One task by id or unique prefix, reading only the file whose name holds
 * that id (`T-7f3a-slug.md`), so `baton task show` costs the same at 5,000
 * tasks as at 10. Anything the names cannot settle (no file by that name,
 * several, a file whose id is not the one its name says) is left to
 * `resolve` over every task, which gives the same answers and errors as before.
 */
export function loadTaskByRef<T>(root: string, ref: string, resolve: (tasks: Task[], ref: string) => T): T | Task {
  const raw = ref.trim().toLowerCase();
  const wanted = raw.startsWith('t-') ? `T-${raw.slice(2)}` : `T-${raw}`;
  const dir = agentsPaths(root).tasks;
  if (/^T-[0-9a-f]{1,16}$/.test(wanted) && existsSync(dir)) {
    const names = readdirSync(dir).filter((n) => isTaskFileName(n) && n.startsWith(wanted));
    const exact = names.filter((n) => n === `${wanted}.md` || n.startsWith(`${wanted}-`));
    const only = exact.length === 1 ? exact[0] : names.length === 1 ? names[0] : undefined;
    if (only) {
      const path = `${AGENTS.tasks}/${only}`;
      const { task } = parseTaskText(readFileSync(join(dir, only), 'utf8'), path);
      if (task && (task.id === wanted || (!exact.length && task.id.startsWith(wanted))) && only.startsWith(`${task.id}`)) {
        return { ...withoutBody(task), path, body: task.body }; // the key order loadTasks gives
      }
    }
  }
  return resolve(loadTasksStrict(root), ref);
}
