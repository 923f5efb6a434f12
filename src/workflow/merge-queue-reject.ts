/**
 * A task the merge queue did not take goes back to its agent, not to a
 * person: a failed result on its branch (it counts toward `--max-attempts`)
 * whose text says what it now conflicts with (the other task, the files, the
 * hunks) or which check failed on the base with it merged. The next attempt's
 * prompt shows it first, as it shows every failed result of the task.
 */
import { redact } from '../core/redact.js';
import type { Task } from '../core/task.js';
import { checkoutOf } from '../tasks/checkout.js';
import type { Project } from '../workspace/context.js';
import { logTask } from './log.js';
import type { Rejection } from './merge-queue.js';

/** One line for the display and the run's summary. */
export function rejectionLine(r: Rejection): string {
  const others = r.with.length ? ` with ${r.with.join(', ')}` : '';
  if (r.kind === 'conflict') return `merge queue: conflicts${others} in ${shortList(r.files)}; sent back to its agent`;
  return `merge queue: the check \`${r.check!.command}\` failed on \`base + ${r.task.id}\`${others ? ` (the base changed${others})` : ''}; sent back to its agent`;
}

/** The failed result's text: what the agent must do, with everything it needs to do it. */
function rejectionText(project: Project, r: Rejection, titles: ReadonlyMap<string, string>): string {
  const base = project.config.base_branch;
  const who = r.with.map((id) => `${id}${titles.has(id) ? ` (${titles.get(id)})` : ''}`);
  const files = r.files.slice(0, 20).map((f) => `- ${f}`).join('\n') + (r.files.length > 20 ? `\n- … ${r.files.length - 20} more` : '');
  if (r.kind === 'conflict') {
    const since = who.length ? `, which took ${who.join(', ')} since this branch started,` : '';
    return [
      `Merge queue: not merged. This branch conflicts with \`${base}\`${since} in the files below.`,
      '',
      files,
      '',
      ...(r.hunks ? ['The conflicting hunks, as the queue saw them:', '', '```diff', redact(r.hunks), '```', ''] : []),
      `Bring \`${base}\` into this branch (\`git merge ${base}\`), resolve these files keeping what ${who.length ? r.with.join(', ') : `\`${base}\``} changed as well as this task's work, commit, and report again.`,
    ].join('\n');
  }
  const c = r.check!;
  const how = c.timedOut ? 'timed out' : `exit ${c.code ?? 'by signal'}`;
  return [
    `Merge queue: not merged. With this branch merged onto \`${base}\` as it is now, the check \`${c.command}\` failed (${how}); on the branch alone it passed.`,
    ...(who.length ? ['', `\`${base}\` took ${who.join(', ')} since this branch started; these files changed there:`, '', files] : r.files.length ? ['', `These files changed on \`${base}\` since this branch started:`, '', files] : []),
    ...(c.tail ? ['', 'What the check said:', '', '```', redact(c.tail), '```'] : []),
    '',
    `\`${base}\` is brought into this branch when the next attempt starts: make the check pass with both changes, commit, and report again.`,
  ].join('\n');
}

/** Log the rejection as a failed result on the task's branch (in its checkout). False: no checkout to write it in. */
export async function sendBack(project: Project, r: Rejection, tasks: readonly Task[]): Promise<boolean> {
  if (!checkoutOf(project, r.branch)) return false;
  const titles = new Map(tasks.map((t) => [t.id, t.title]));
  await logTask(project, r.task.id, { outcome: 'failure', summary: rejectionText(project, r, titles) });
  return true;
}

function shortList(files: readonly string[]): string {
  return `${files.slice(0, 3).join(', ')}${files.length > 3 ? ` and ${files.length - 3} more` : ''}`;
}
