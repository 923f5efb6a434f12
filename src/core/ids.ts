/**
 * Task ids that never collide across branches and clones: `T-` plus random hex.
 * Four hex digits to start (short enough to type); when the local plan already
 * holds that id, or is large enough that collisions get likely, the id grows.
 */
import { BatonError } from './errors.js';
import type { Task } from './task.js';

export function newTaskId(existing: ReadonlySet<string>, random: (n: number) => string = randomHex): string {
  // Keep the chance that another branch picks the same id low: at least 16x
  // more ids than tasks, and never fewer than 4 digits.
  let digits = 4;
  while (16 ** digits < existing.size * 16 * 16 && digits < 16) digits++;
  for (let attempt = 0; ; attempt++) {
    const id = `T-${random(digits)}`;
    if (!existing.has(id)) return id;
    if (attempt % 4 === 3 && digits < 16) digits++;
  }
}

/**
 * Hex digits drawn from `seed` (and `salt`), the same sequence every time: the
 * ids an answer gets under `--dry-run` are the ids the real import gives it.
 * The salt is the clone's own (workspace/id-salt.ts), so two clones importing
 * the same answer still pick different ids.
 */
export function seededHex(seed: string, salt: string): (digits: number) => string {
  const { createHash } = process.getBuiltinModule('node:crypto');
  let counter = 0;
  return (digits) => createHash('sha256').update(`${salt}\0${seed}\0${counter++}`).digest('hex').slice(0, digits);
}

function randomHex(digits: number): string {
  // node:crypto is loaded when an id is made, not by every command that reads tasks (~3 ms).
  return process.getBuiltinModule('node:crypto').randomBytes(Math.ceil(digits / 2)).toString('hex').slice(0, digits);
}

/** Resolve `T-7f`, `7f3a` or `t-7F3A` to one task, or explain why not. */
export function resolveTask<T extends Pick<Task, 'id' | 'title'>>(tasks: readonly T[], ref: string): T {
  const raw = ref.trim().toLowerCase();
  const wanted = raw.startsWith('t-') ? `T-${raw.slice(2)}` : `T-${raw}`;
  if (!/^T-[0-9a-f]{1,16}$/.test(wanted)) {
    throw new BatonError(`\`${ref}\` is not a task id`, {
      hint: 'Task ids look like `T-7f3a` (a unique prefix such as `T-7f` is enough); `baton task list` shows them.',
    });
  }
  const exact = tasks.filter((t) => t.id === wanted);
  if (exact.length > 1) {
    // Acting on one of two files that claim the same id would record work against the wrong one.
    const files = exact.map((t) => `\`${(t as { path?: string }).path ?? t.title}\``).join(' and ');
    throw new BatonError(`two task files have the id \`${wanted}\`: ${files}`, {
      file: (exact[1] as { path?: string }).path,
      hint: 'Keep one: delete the copy, or give it a new id (`baton task add` and move its text over). `baton doctor` lists every duplicate.',
    });
  }
  if (exact[0]) return exact[0];
  const matches = tasks.filter((t) => t.id.startsWith(wanted));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new BatonError(`no task \`${ref}\``, { hint: 'Run `baton task list` to see the ids.' });
  }
  const list = matches.slice(0, 5).map((t) => `${t.id} (${t.title})`).join(', ');
  throw new BatonError(`\`${ref}\` matches ${matches.length} tasks: ${list}`, {
    hint: 'Type more characters of the id.',
  });
}
