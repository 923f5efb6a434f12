import { plainDisplay, ttyDisplay } from './render/auto-display.js';
import { runAuto, type AutoSummary } from '../workflow/auto.js';
import { openProject, type Project } from '../workspace/context.js';
import { defineCommand, usageError } from './command.js';
import { EXIT as CODES } from './exit-codes.js';
import { cwdOf, json, out } from './output.js';
import { onStopSignals } from './stop-signals.js';

/** `90`, `90s`, `30m`, `2h` → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h)?$/.exec(text.trim());
  if (!m) throw usageError(`\`--time-limit ${text}\` is not a duration`, 'Write it like `90s`, `30m` or `2h`.');
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 's' | 'm' | 'h'];
}

const EXIT: Record<AutoSummary['stop'], number> = {
  done: CODES.ok, 'nothing-ready': CODES.failure, 'max-tasks': CODES.incomplete, budget: CODES.incomplete, time: CODES.incomplete, interrupted: CODES.interrupted, paused: CODES.incomplete,
};

export default defineCommand({
  command: 'auto',
  describe: 'The whole loop: run the ready tasks (in parallel worktrees), check, merge, review, take follow-ups, until done or a limit (--json: a summary at the end, progress on stderr)',
  options: {
    parallel: { alias: 'p', type: 'number', default: 1, min: 1, describe: 'Tasks run at once, each in its own worktree' },
    'max-concurrent-per-executor': { type: 'number', min: 1, describe: 'Agents of one executor (one CLI) at work at once (config: executors.<name>.max_concurrent)' },
    merge: { type: 'boolean', default: true, describe: 'Merge successful tasks into the base (--no-merge: leave them for pull requests)' },
    'review-every': { type: 'number', default: 3, min: 0, describe: 'Central Agent review after this many results (and after any failure); 0: only after failures' },
    review: { type: 'boolean', default: true, describe: 'Run reviews at all (--no-review: never)' },
    'max-tasks': { type: 'number', min: 0, describe: 'Start at most this many attempts' },
    'max-attempts': { type: 'number', default: 2, min: 1, describe: 'Failed attempts per task before auto leaves it' },
    'budget-usd': { type: 'number', min: 0, describe: 'Stop starting tasks once model costs (from the usage records) reach this' },
    'time-limit': { type: 'string', describe: 'Wall time, e.g. 30m or 2h: then running agents are stopped and the run ends (resume later)' },
    executor: { alias: 'e', type: 'string', describe: 'Executor for every task, overriding the config' },
    timeout: { type: 'number', min: 1, describe: 'Seconds before an agent is stopped' },
    'check-timeout': { type: 'number', min: 1, describe: 'Seconds each check may run (default 600)' },
    remote: { type: 'string', describe: 'Share the plan with other runners through this git remote: claim tasks there, push branches and merges (config: remote.name)' },
  },
  examples: [
    ['$0 auto --parallel 3', 'three tasks at once until the plan is done'],
    ['$0 auto --max-tasks 5 --budget-usd 2 --time-limit 1h', 'with limits; `baton auto` again resumes'],
  ],
  epilogue: 'Ctrl-C (or SIGTERM, SIGHUP) stops starting tasks and stops the running agents (their work is committed and logged); `baton auto` again resumes.\n' +
    `Exit status: ${CODES.ok} plan done, ${CODES.failure} tasks failed or nothing ready, ${CODES.incomplete} a limit stopped it, ${CODES.interrupted} interrupted (143 by SIGTERM, 129 by SIGHUP).`,
  handler: async (argv) => {
    // A malformed limit is a usage error, found before anything starts.
    const timeLimitMs = argv['time-limit'] !== undefined ? parseDuration(argv['time-limit']) : undefined;
    const project = openProject(cwdOf(argv));
    const stream = argv.json ? process.stderr : process.stdout;
    const write = (s: string) => void stream.write(s);
    const display = stream.isTTY && !process.env.NO_COLOR ? ttyDisplay(write, () => stream.columns || 100) : plainDisplay(write);
    const controller = new AbortController();
    // Ctrl-C, SIGTERM or SIGHUP: the agents are stopped with their process groups and their attempts logged.
    const signals = onStopSignals((signal) => {
      display.note(`Stopping${signal === 'SIGINT' ? '' : ` (${signal})`}: no new tasks; the running agents are being stopped and their attempts logged (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to quit at once).`);
      controller.abort();
    });
    let summary: AutoSummary;
    try {
      const remote = await remoteRunner(project, argv.remote, (s) => display.note(s));
      summary = await runAuto(project, {
        parallel: argv.parallel,
        merge: argv.merge,
        reviewEvery: argv['review-every'],
        review: argv.review,
        maxTasks: argv['max-tasks'],
        maxAttempts: argv['max-attempts'],
        budgetUsd: argv['budget-usd'],
        timeLimitMs,
        maxPerExecutor: argv['max-concurrent-per-executor'],
        run: { executor: argv.executor, timeoutS: argv.timeout, checkTimeoutS: argv['check-timeout'] },
        signal: controller.signal,
        display,
        remote,
      });
    } finally {
      display.close();
      signals.remove();
    }
    process.exitCode = summary.stop === 'interrupted' ? signals.code() : EXIT[summary.stop];
    if (argv.json) return json(summary);
    out(renderSummary(summary));
  },
});

/** Loaded only with `--remote` (or `remote:` in the config). */
async function remoteRunner(project: Project, flag: string | undefined, note: (s: string) => void) {
  const { remoteSettings } = await import('../remote/settings.js');
  const settings = remoteSettings(project.config, flag);
  if (!settings) return undefined;
  const { RemoteRunner } = await import('../remote/runner.js');
  return new RemoteRunner(project, settings, note);
}

const STOPS: Record<AutoSummary['stop'], string> = {
  done: 'The plan is done.',
  'nothing-ready': 'Nothing more is ready.',
  'max-tasks': 'Stopped: --max-tasks reached.',
  budget: 'Stopped: --budget-usd reached.',
  time: 'Stopped: --time-limit reached; `baton auto` resumes.',
  interrupted: 'Interrupted; `baton auto` resumes where this stopped.',
  paused: 'Paused: an agent hit a rate or usage limit (no attempt counted); run `baton auto` again after the time below.',
};

export function renderSummary(s: AutoSummary): string {
  const count = (o: string) => s.results.filter((r) => r.outcome === o).length;
  const lines = [
    '',
    STOPS[s.stop],
    ...Object.entries(s.pausedUntil).map(([name, until]) => `Executor ${name} is paused until ${until}.`),
    `${s.results.length} attempt${s.results.length === 1 ? '' : 's'}: ${count('success')} success (${s.results.filter((r) => r.merged).length} merged), ` +
      `${count('partial')} partial, ${count('failure')} failure${count('interrupted') ? `, ${count('interrupted')} interrupted` : ''}` +
      `${s.reviews.length ? `; reviews ${s.reviews.join(', ')}` : ''}; model cost $${s.spentUsd.toFixed(4)}.`,
  ];
  if (s.queue.batches) {
    lines.push(`Merge queue: ${s.queue.batches} batch${s.queue.batches === 1 ? '' : 'es'} verified on the base tip; ${s.queue.retries} task${s.queue.retries === 1 ? '' : 's'} sent back to ${s.queue.retries === 1 ? 'its agent' : 'their agents'} (conflict or a check failing after the merge).`);
  }
  if (s.left.length) {
    lines.push('', 'Not done:');
    for (const t of s.left.slice(0, 20)) lines.push(`  ${t.id}  ${t.title}  — ${t.why}`);
    if (s.left.length > 20) lines.push(`  … and ${s.left.length - 20} more (baton status)`);
  }
  lines.push('', 'See `baton status`, `baton memory <id>`, and `git log --graph --oneline --all`.');
  return lines.join('\n');
}
