import { openProject } from '../workspace/context.js';
import { runAttempt } from '../workflow/run.js';
import { defineCommand } from './command.js';
import { EXIT } from './exit-codes.js';
import { cwdOf, err, json, out } from './output.js';
import { painter } from './render/colour.js';
import { onStopSignals } from './stop-signals.js';

export default defineCommand({
  command: 'run <id>',
  describe: 'One attempt by an implementation agent: start (in a worktree), prompt, execute, run the checks, log the result',
  positionals: { id: { type: 'string', describe: 'Task id or unique prefix' } },
  options: {
    executor: { alias: 'e', type: 'string', describe: 'api, a preset (claude, qwen, gemini, codex, opencode, copilot, aider; see `baton executors check`) or a name under `executors:` (default: the task role\'s)' },
    timeout: { type: 'number', min: 1, describe: 'Seconds before the agent is stopped (default: the executor\'s timeout_s, else 1800)' },
    'check-timeout': { type: 'number', min: 1, describe: 'Seconds each check may run (default 600)' },
    budget: { type: 'number', min: 1, describe: 'Token budget of the prompt' },
    worktree: { type: 'boolean', default: true, describe: 'Work in a worktree (--no-worktree: switch this checkout to the task branch)' },
    remote: { type: 'string', describe: 'Claim it on this git remote while it runs, push its branch, release at the end (config: remote.name)' },
  },
  examples: [
    ['$0 run 7f3a', 'one attempt by the task role\'s executor'],
    ['$0 run 7f3a -e claude --timeout 900', 'with Claude Code, stopped after 15 minutes'],
  ],
  epilogue: `Exit status: ${EXIT.ok} success, ${EXIT.failure} failure, ${EXIT.incomplete} partial (e.g. no checks) or paused (the agent hit a rate or usage limit), ${EXIT.interrupted} interrupted (143 by SIGTERM, 129 by SIGHUP).`,
  handler: async (argv) => {
    const controller = new AbortController();
    // Ctrl-C, SIGTERM or SIGHUP: the agent is stopped with its process group and the attempt logged.
    const signals = onStopSignals(() => controller.abort());
    const verbose = !argv.json;
    const project = openProject(cwdOf(argv));
    const { claimIfShared } = await import('../remote/manual.js');
    const claimed = await claimIfShared(project, argv.remote, String(argv.id), (s) => err(s), controller.signal);
    try {
      const r = await runAttempt(project, String(argv.id), {
        executor: argv.executor,
        timeoutS: argv.timeout,
        checkTimeoutS: argv['check-timeout'],
        budget: argv.budget,
        worktree: argv.worktree,
        signal: claimed ? AbortSignal.any([controller.signal, claimed.runner.lostSignal(claimed.task.id)]) : controller.signal,
        onPhase: (phase, detail) => {
          if (claimed && phase === 'running') void claimed.runner.pushBranch(claimed.task);
          if (verbose) err(`${phase}${detail ? `: ${detail}` : ''}`);
        },
      });
      process.exitCode = r.paused ? EXIT.incomplete : r.interrupted ? signals.code() : r.outcome === 'success' ? EXIT.ok : r.outcome === 'partial' ? EXIT.incomplete : EXIT.failure;
      if (argv.json) return json(r);
      const paint = painter();
      for (const c of r.checks) out(`${c.passed ? paint('green', 'pass') : paint('red', 'FAIL')}  ${c.command}`);
      if (r.paused) return out(`${r.id}: ${r.reason}. No attempt counted; run it again later.`);
      if (r.interrupted) return out(`${r.id}: interrupted; the work so far is committed on ${r.branch}. Run it again to continue.`);
      const claim = r.claimed && r.claimed !== r.outcome ? ` (the agent claimed ${r.claimed})` : '';
      out(`${r.id}: ${r.outcome}${claim}${r.reason ? ` — ${r.reason}` : ''}`);
      out(`Branch ${r.branch}, worktree ${r.dir}.`);
      if (r.outcome === 'success') out(`Next: \`baton done ${r.id} --merge\` (or open a pull request: \`baton pr ${r.id}\`).`);
      else out(`Memory: \`baton memory ${r.id}\`. Try again with \`baton run ${r.id}\`.`);
    } finally {
      signals.remove();
      // The branch goes to the remote and the claim is given back, whatever happened.
      await claimed?.runner.release(claimed.task);
    }
  },
});
