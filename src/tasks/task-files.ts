/**
 * Reading and writing task files. Front matter is parsed once per distinct
 * file content and cached in the git directory (never committed), so large
 * plans stay fast; the cache is keyed by content, so hand edits are seen.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
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

type CachedTask = Omit<Task, 'path' | 'body'> & { bodyStart: number };
interface CacheEntry { task?: CachedTask; problems?: Problem[] }
const CACHE_VERSION = 2;

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

function loadCache(path: string | undefined): Map<string, CacheEntry> {
  if (!path || !existsSync(path)) return new Map();
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as { version: number; entries: Record<string, CacheEntry> };
    return raw.version === CACHE_VERSION ? new Map(Object.entries(raw.entries)) : new Map();
  } catch {
    return new Map(); // a broken cache is only a slower run
  }
}

export function loadTasks(root: string): TaskSet {
  const dir = agentsPaths(root).tasks;
  if (!existsSync(dir)) return { tasks: [], problems: [] };
  const names = readdirSync(dir).filter(isTaskFileName).sort();
  const cacheFile = cachePath(root);
  const cache = loadCache(cacheFile);
  const fresh = new Map<string, CacheEntry>();
  const tasks: Task[] = [];
  const problems: Problem[] = [];
  for (const name of names) {
    const path = `${AGENTS.tasks}/${name}`;
    const read = readTaskFile(join(dir, name), path);
    if ('problem' in read) {
      problems.push(read.problem);
      continue;
    }
    const { text } = read;
    const key = createHash('sha1').update(path).update('\0').update(text).digest('base64');
    let entry = cache.get(key);
    if (!entry) {
      const parsed = parseTaskText(text, path);
      entry = parsed.task
        ? { task: { ...withoutBody(parsed.task), bodyStart: text.length - parsed.task.body.length } }
        : { problems: parsed.problems };
    }
    fresh.set(key, entry);
    if (entry.task) {
      const { bodyStart, ...rest } = entry.task;
      tasks.push({ ...rest, path, body: text.slice(bodyStart) });
    } else problems.push(...(entry.problems ?? []));
  }
  if (cacheFile && (fresh.size !== cache.size || [...fresh.keys()].some((k) => !cache.has(k)))) {
    try {
      mkdirSync(join(cacheFile, '..'), { recursive: true });
      writeFileAtomic(cacheFile, JSON.stringify({ version: CACHE_VERSION, entries: Object.fromEntries(fresh) }));
    } catch {
      /* read-only git dir: no cache, still correct */
    }
  }
  return { tasks, problems };
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
