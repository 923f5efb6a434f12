/**
 * Reading and writing task files. Front matter is parsed once per file
 * version and cached in the git directory (task-cache.ts), so large plans
 * stay fast: an unchanged file is not even read.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { sep } from 'node:path';
import { BatonError, type Problem } from '../core/errors.js';
import { taskFromData, type Task, type TaskHead } from '../core/task.js';
import { parseFrontMatter, setFrontMatterFields, splitFrontMatter } from '../workspace/frontmatter.js';
import { agentsPaths, AGENTS } from '../workspace/paths.js';
import { cacheFile, fresh, readCache, statKey, writeCache, writeCacheText } from '../workspace/stat-cache.js';
import { CACHE_VERSION, DETAILS, HEADS, headRow, headsLookup, headsText, rowHead, type DetailCache, type HeadCache } from './task-cache.js';

export interface TaskSet<T extends TaskHead = Task> {
  tasks: T[];
  /** Problems in individual files (those files are left out of `tasks`). */
  problems: Problem[];
}


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

/** Every task with its body, as parsed from `.agents/tasks/`; files that cannot be read as tasks are problems. */
export function loadTasks(root: string): TaskSet {
  return scan(root, true) as TaskSet;
}

/** Every task's fields without its body or key lines: what status, next and the graph need, read from the smaller cache. */
export function loadTaskHeads(root: string): TaskSet<TaskHead> {
  return scan(root, false);
}

/**
 * Fields now, bodies later only if needed, from one pass over the folder: `status` and `next` need
 * bodies only to predict overlaps between several ready tasks, and a second listing and stat of
 * every task file cost as much as the first (20 ms at 5,000 tasks).
 */
export function loadTaskHeadsThenBodies(root: string): { tasks: TaskHead[]; bodies: () => Task[] } {
  const listing: Listing = { stats: new Map() };
  const tasks = strict(scan(root, false, listing));
  let bodies: Task[] | undefined;
  return { tasks, bodies: () => (bodies ??= strict(scan(root, true, listing)) as Task[]) };
}

/** The folder's listing and each file's stat from a first scan, for a second one to take instead of its own. */
interface Listing {
  dirStat?: Stats;
  names?: string[];
  stats: Map<string, Stats>;
}

function scan(root: string, detail: boolean, listing?: Listing): TaskSet<TaskHead> {
  const dir = agentsPaths(root).tasks;
  const reuse = listing?.names !== undefined;
  let dirStat: Stats;
  let names: string[];
  if (reuse) {
    dirStat = listing.dirStat!;
    names = listing.names!;
  } else {
    try {
      dirStat = statSync(dir); // before listing: a change made meanwhile shows as a newer folder
    } catch {
      return { tasks: [], problems: [] };
    }
    names = readdirSync(dir).filter(isTaskFileName).sort();
    if (listing) Object.assign(listing, { dirStat, names });
  }
  const headsFile = cacheFile(root, HEADS);
  const detailsFile = detail ? cacheFile(root, DETAILS) : undefined;
  const heads = readCache<HeadCache>(headsFile, CACHE_VERSION);
  const details = detailsFile ? readCache<DetailCache>(detailsFile, CACHE_VERSION) : undefined;
  const nextHeads: HeadCache = { version: CACHE_VERSION, dir: statKey(dirStat), entries: {} };
  const nextDetails: DetailCache = { version: CACHE_VERSION, entries: {} };
  let headsChanged = !heads || Object.keys(heads.data.entries).length !== names.length || !fresh(dirStat, heads.data.dir, heads.racyFromMs);
  let detailsChanged = detail && (!details || Object.keys(details.data.entries).length !== names.length);
  const tasks: TaskHead[] = [];
  const problems: Problem[] = [];
  for (const name of names) {
    const path = `${AGENTS.tasks}/${name}`;
    const abs = `${dir}${sep}${name}`; // path.join would normalize 5,000 times
    const known = reuse ? listing.stats.get(name) : undefined;
    const st = known ? { stats: known } : statTaskFile(abs, path);
    if (listing && !reuse && 'stats' in st) listing.stats.set(name, st.stats);
    if ('problem' in st) {
      problems.push(st.problem);
      headsChanged = true;
      continue;
    }
    let head = heads?.data.entries[name];
    let more = details?.data.entries[name];
    const headOk = heads !== undefined && head !== undefined && fresh(st.stats, Array.isArray(head) ? head : head.stat, heads.racyFromMs);
    const moreOk = !detail || (details !== undefined && fresh(st.stats, more?.stat, details.racyFromMs));
    if (!headOk || !moreOk) {
      const read = readTaskFile(abs, path);
      if ('problem' in read) {
        problems.push(read.problem);
        headsChanged = true;
        continue;
      }
      const stat = statKey(st.stats);
      const { task, problems: found } = parseTaskText(read.text, path);
      if (task) {
        const { path: _p, body, lines, ...fields } = task;
        head = headRow(stat, fields);
        more = { stat, body, lines };
      } else {
        head = { stat, problems: found };
        more = undefined;
      }
      headsChanged = true;
      detailsChanged = detail;
    }
    nextHeads.entries[name] = head!;
    if (more) nextDetails.entries[name] = more;
    if (!Array.isArray(head)) problems.push(...head!.problems);
    else if (detail) tasks.push({ ...rowHead(head, path), body: more!.body, lines: more!.lines } as Task);
    else tasks.push(rowHead(head, path));
  }
  if (headsChanged) writeCacheText(headsFile, headsText(nextHeads));
  if (detailsChanged) writeCache(detailsFile, nextDetails);
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

/** Load tasks and refuse to go on if any file is broken, naming every problem. */
export function loadTasksStrict(root: string): Task[] {
  return strict(loadTasks(root));
}

/** loadTaskHeads, refusing to go on if any file is broken, like loadTasksStrict. */
export function loadTaskHeadsStrict(root: string): TaskHead[] {
  return strict(loadTaskHeads(root));
}

function strict<T extends TaskHead>({ tasks, problems }: TaskSet<T>): T[] {
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


/** A task as `task show` gives it: every field and the body; the key lines only when asked for. */
export type ShownTask = TaskHead & { body: string; lines?: Record<string, number> };

/**
 * One task by id or unique prefix, reading only the file whose name holds
 * that id (`T-7f3a-slug.md`), so `baton task show` costs the same at 5,000
 * tasks as at 10. The file names come from the heads cache while the tasks
 * folder is unchanged, and so do the fields while the file is: then no YAML
 * is parsed at all (`lines: true` parses, for the key lines). Anything the
 * names cannot settle (no file by that name, several, a file whose id is not
 * the one its name says) is left to `resolve` over every task, which gives
 * the same answers and errors as before.
 */
export function loadTaskByRef<T>(root: string, ref: string, resolve: (tasks: Task[], ref: string) => T, opts: { lines?: boolean } = {}): T | ShownTask {
  const raw = ref.trim().toLowerCase();
  const wanted = raw.startsWith('t-') ? `T-${raw.slice(2)}` : `T-${raw}`;
  const dir = agentsPaths(root).tasks;
  if (/^T-[0-9a-f]{1,16}$/.test(wanted) && existsSync(dir)) {
    const cached = headsLookup(root, dir);
    const names = cached ? cached.names(wanted) : readdirSync(dir).filter((n) => isTaskFileName(n) && n.startsWith(wanted));
    const exact = names.filter((n) => n === `${wanted}.md` || n.startsWith(`${wanted}-`));
    const only = exact.length === 1 ? exact[0] : names.length === 1 ? names[0] : undefined;
    const matches = (id: string) => (id === wanted || (!exact.length && id.startsWith(wanted))) && only!.startsWith(id);
    if (only) {
      const path = `${AGENTS.tasks}/${only}`;
      const abs = `${dir}${sep}${only}`;
      let text: string | undefined;
      let st: Stats | undefined;
      try {
        text = readFileSync(abs, 'utf8');
        st = statSync(abs); // after reading: a change made meanwhile shows as a new stat
      } catch {
        /* gone or unreadable: the full load below names the problem */
      }
      const entry = cached && st && !opts.lines ? cached.entry(only) : undefined;
      const split = text !== undefined ? splitFrontMatter(text) : undefined;
      if (Array.isArray(entry) && split && fresh(st!, entry, cached!.racyFromMs) && matches(entry[4])) {
        return { ...rowHead(entry, path), body: text!.slice(split.bodyStart) };
      }
      const task = text !== undefined ? parseTaskText(text, path).task : undefined;
      if (task && matches(task.id)) return task;
    }
  }
  return resolve(loadTasksStrict(root), ref);
}
