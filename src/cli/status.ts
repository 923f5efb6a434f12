import { openProject, type Project } from '../workspace/context.js';
import { loadTaskHeadsStrict, loadTasksStrict } from '../tasks/task-files.js';
import { statusReport, type StatusReport, type TaskSummary } from '../workflow/status.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out } from './output.js';
import { painter, type Paint } from './render/colour.js';

export default defineCommand({
  command: 'status',
  describe: 'Progress by phase; ready, in-progress and blocked tasks; work on unmerged task branches; recent memory',
  options: {
    recent: { type: 'number', default: 5, min: 0, describe: 'How many recent memory entries to show' },
    branches: { type: 'boolean', default: true, describe: 'Read unmerged task branches (--no-branches to skip)' },
    remote: { type: 'string', describe: 'Also read who works on what from this git remote: claims and task branches (config: remote.name)' },
  },
  examples: [
    ['$0 status', 'where the plan stands'],
    ['$0 status --no-branches --recent 0', 'faster: skip unmerged branches and memory'],
    ['$0 status --json | jq .ready', 'the ready tasks, for a script'],
  ],
  handler: async (argv) => {
    const project = openProject(cwdOf(argv));
    const report = await statusReport(project, { recent: argv.recent, branches: argv.branches });
    const board = await remoteBoardOf(project, argv.remote);
    if (argv.json) return json(board ? { ...report, remote: board } : report);
    out(renderStatus(report, painter()));
    if (board) {
      const { renderBoard } = await import('../remote/board.js');
      out(renderBoard(board, new Map(loadTaskHeadsStrict(project.root).map((t) => [t.id, t.title]))).join('\n'));
    }
  },
});

/** Only with `--remote` or `remote:` in the config: one fetch of the claims and task branches. */
async function remoteBoardOf(project: Project, flag: string | undefined) {
  if (!flag && project.config.raw.remote === undefined) return undefined; // the common case loads nothing more
  const { remoteName } = await import('../remote/settings.js');
  const remote = remoteName(project.config, flag);
  if (!remote) return undefined;
  const { remoteBoard } = await import('../remote/board.js');
  return remoteBoard(project, remote, loadTasksStrict(project.root));
}

export function renderStatus(r: StatusReport, paint: Paint = (_s, t) => t): string {
  if (!r.total) return 'No tasks yet. Add one with `baton task add "title"` or plan with `baton plan --from REQUIREMENTS.md`.';
  const lines: string[] = [];
  lines.push(paint('bold', r.headline));
  lines.push('', paint('bold', 'Phases:'));
  for (const p of r.phases) lines.push(`  ${p.phase.padEnd(20)} ${paint(p.done === p.total ? 'green' : 'dim', bar(p.done, p.total))} ${p.done}/${p.total}`);
  const flight = new Map(r.inFlight.map((f) => [f.id, f]));
  const mark = (id: string) => (flight.has(id) ? `  (on ${flight.get(id)!.branch}, not merged)` : '');
  lines.push('', paint('bold', `Ready (${r.ready.length}):`));
  const paused = (t: TaskSummary) => (t.paused ? paint('yellow', `  (${t.paused.executor} paused until ${t.paused.until}: a rate or usage limit)`) : '');
  for (const t of r.ready.slice(0, 20)) lines.push(`  ${t.id}  ${t.title}${t.waitsFor ? paint('dim', `  (${t.waitsFor.why})`) : ''}${paused(t)}`);
  if (r.ready.length > 20) lines.push(`  … and ${r.ready.length - 20} more (baton next)`);
  if (r.inProgress.length) {
    lines.push('', paint('bold', `In progress (${r.inProgress.length}):`));
    for (const t of r.inProgress) lines.push(`  ${t.id}  ${t.title}  [${t.status}]${mark(t.id)}${paused(t)}`);
  }
  const finished = r.inFlight.filter((f) => f.status === 'done');
  if (finished.length) {
    lines.push('', paint('bold', `Done on unmerged branches (${finished.length}):`));
    for (const f of finished) lines.push(`  ${f.id}  on ${f.branch}`);
  }
  if (r.blocked.length) {
    lines.push('', paint('bold', `Blocked or waiting (${r.blocked.length}):`));
    for (const t of r.blocked.slice(0, 20)) {
      lines.push(`  ${t.id}  ${t.title}  ${t.status === 'blocked' ? `${paint('red', '[blocked]')}${t.reason ? ` ${t.reason}: \`baton answer ${t.id} "…"\`` : ''}` : `waits on ${t.waiting_on.join(', ')}`}`);
    }
    if (r.blocked.length > 20) lines.push(`  … and ${r.blocked.length - 20} more`);
  }
  const q = r.mergeQueue;
  if (q?.running || q?.entries.length) {
    lines.push('', paint('bold', `Merge queue (${q.entries.length}):`));
    for (const e of q.entries) lines.push(`  ${e.id}  ${e.state} since ${e.since}`);
    lines.push(paint('dim', `  ${q.batches} batch${q.batches === 1 ? '' : 'es'} so far; ${q.retries} sent back to their agents`));
  }
  if (r.recent.length) {
    lines.push('', paint('bold', 'Recent memory:'));
    for (const e of r.recent) {
      const first = e.body.split('\n').find((l) => l.trim()) ?? '';
      lines.push(`  ${e.time} ${e.task} ${e.kind}${e.ref ? ' ' + e.ref : ''}  ${first.slice(0, 70)}`);
    }
  }
  return lines.join('\n');
}

function bar(done: number, total: number, width = 20): string {
  const n = total ? Math.round((done / total) * width) : 0;
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}]`;
}
