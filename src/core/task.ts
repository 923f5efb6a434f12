/** The task model and its rules. Pure: no I/O. */
import type { Problem } from './errors.js';
import { firstControl } from './terminal.js';
import { redact } from './redact.js';

export const STATUSES = ['todo', 'in-progress', 'review', 'done', 'blocked', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];

export interface Task {
  id: string;
  title: string;
  status: Status;
  depends_on: string[];
  phase?: string;
  branch?: string;
  files: string[];
  checks: string[];
  role?: string;
  /** ISO time the task was created; orders tasks that are otherwise equal. */
  created?: string;
  /** Path relative to the repository root, e.g. `.agents/tasks/T-7f3a-login.md`. */
  path: string;
  /** Markdown after the front matter, as written. */
  body: string;
  /** 1-based line of each front matter key, for located errors. */
  lines: Record<string, number>;
}

/** A task's fields without its body or the lines of its keys: what status, next and the graph read. */
export type TaskHead = Omit<Task, 'body' | 'lines'>;

/** Ids are `T-` and lowercase hex; anything else (like `../../x`) is refused. */
export const TASK_ID_RE = /^T-[0-9a-f]{3,16}$/;

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

/**
 * The title in a branch or file name: lowercase words joined by `-`, at most
 * `max` characters. A longer title is cut between words, never inside one, and
 * ends in four hex digits of the whole title's hash, so two titles that start
 * alike never share a slug (`add-the-login-endpoint-for-3f2a`).
 */
export function slugify(title: string, max = 40): string {
  // A branch name is public (pushed, shown in PRs): a token in the title must not become one.
  const slug = redact(title)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!slug) return 'task';
  if (slug.length <= max) return slug;
  const tag = fnv1a(slug).toString(16).padStart(8, '0').slice(0, 4);
  const room = max - tag.length - 1;
  const words = slug.slice(0, room + 1);
  // Up to the last `-` that fits: whole words only (a single overlong word is cut, having no boundary).
  const cut = words.length > room && words[room] !== '-' ? words.slice(0, words.lastIndexOf('-')) : words.slice(0, room);
  return `${(cut || slug.slice(0, room)).replace(/-+$/, '')}-${tag}`;
}

/** FNV-1a, 32 bits: a short stable fingerprint of a text (not for security). */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

/**
 * A title as typed (`task add`, `task set --title`): line breaks and tabs
 * become spaces (a title is one line). Other control characters are left for
 * the caller to refuse or strip.
 */
export function oneLineTitle(raw: string): string {
  return raw.replace(/[\t\n\r\v\f]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

export function taskFileName(id: string, title: string): string {
  return `${id}-${slugify(title)}.md`;
}

/** The id a task file name claims: `T-7f3a-add-login.md` → `T-7f3a`. */
export function idFromFileName(name: string): string | undefined {
  return /^(T-[0-9a-f]{3,16})(?:-[^/]*)?\.md$/.exec(name)?.[1];
}

function stringList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  if (typeof value === 'string') return [value];
  return undefined;
}

/**
 * Validate parsed front matter into a Task. Every problem is returned, each
 * located on the line of the key it concerns.
 */
export function taskFromData(
  data: Record<string, unknown>,
  meta: { path: string; body: string; lines: Record<string, number>; fmLine: number },
): { task?: Task; problems: Problem[] } {
  const problems: Problem[] = [];
  const at = (key: string) => meta.lines[key] ?? meta.fmLine;
  const err = (key: string, message: string, hint: string) =>
    problems.push({ file: meta.path, line: at(key), message, hint, severity: 'error' });

  const id = data.id;
  if (typeof id !== 'string' || !TASK_ID_RE.test(id)) {
    err('id', `\`id\` must look like \`T-7f3a\`, got ${JSON.stringify(id ?? null)}`,
      'Set `id:` to the id in the file name (`T-` and hex digits).');
  } else {
    const fromName = idFromFileName(meta.path.split('/').pop() ?? '');
    if (fromName !== id) {
      err('id', `id \`${id}\` does not match the file name \`${meta.path.split('/').pop()}\``,
        `Rename the file to \`${id}-<slug>.md\` or set \`id:\` to the id in its name.`);
    }
  }
  const title = data.title;
  if (typeof title !== 'string' || title.trim() === '') {
    err('title', '`title` is missing or empty', 'Add a line like `title: Add login endpoint`.');
  } else if (firstControl(title.trim())) {
    // A title names a branch, a commit and a terminal line: a NUL fails git half-way, ESC repaints a screen.
    err('title', `\`title\` contains a control character (${firstControl(title.trim())})`,
      'Write the title on one line of plain text (no `\\0`, `\\e`, `\\n` escapes in quotes).');
  }
  const status = data.status ?? 'todo';
  if (!isStatus(status)) {
    err('status', `unknown status \`${String(status)}\``, `Use one of: ${STATUSES.join(', ')}.`);
  }
  const lists: Record<string, string[]> = {};
  for (const key of ['depends_on', 'files', 'checks'] as const) {
    const list = stringList(data[key]);
    if (!list) err(key, `\`${key}\` must be a list of strings`, `Write it like \`${key}: [a, b]\`.`);
    lists[key] = list ?? [];
  }
  for (const dep of lists.depends_on ?? []) {
    if (!TASK_ID_RE.test(dep)) {
      err('depends_on', `\`depends_on\` has \`${dep}\`, which is not a task id`, 'Task ids look like `T-7f3a`.');
    }
  }
  for (const key of ['phase', 'branch', 'role', 'created'] as const) {
    const v = data[key];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      err(key, `\`${key}\` must be text`, `Quote it: \`${key}: "${String(v)}"\`.`);
    } else if (typeof v === 'string' && firstControl(v)) {
      err(key, `\`${key}\` contains a control character (${firstControl(v)})`, `Write \`${key}\` as one line of plain text.`);
    }
  }
  if (problems.length) return { problems };
  const opt = (key: string) => (typeof data[key] === 'string' && data[key] !== '' ? (data[key] as string) : undefined);
  return {
    problems,
    task: {
      id: id as string,
      title: (title as string).trim(),
      status: status as Status,
      depends_on: lists.depends_on ?? [],
      phase: opt('phase'),
      branch: opt('branch'),
      files: lists.files ?? [],
      checks: lists.checks ?? [],
      role: opt('role'),
      created: opt('created'),
      path: meta.path,
      body: meta.body,
      lines: meta.lines,
    },
  };
}
