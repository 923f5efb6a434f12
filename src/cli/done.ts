import { openProject } from '../workspace/context.js';
import { doneTask } from '../workflow/done.js';
import { releaseClaimAfterDone, type Released } from '../remote/done-claim.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out } from './output.js';

export default defineCommand({
  command: 'done <id>',
  describe: 'Close a task on its branch (memory flushed, changes committed); --merge merges it into the base branch. A claim `start --remote` took is given back',
  positionals: { id: { type: 'string', describe: 'Task id or unique prefix' } },
  options: {
    merge: { type: 'boolean', default: false, describe: 'Merge the branch into the base (refused on conflict or failing checks)' },
    'skip-checks': { type: 'boolean', default: false, describe: 'Merge without running the task\'s checks' },
    force: { alias: 'f', type: 'boolean', default: false, describe: 'Close a task that shows no work, was never started or waits on others, or merge one that is blocked or partial' },
    'accept-plan-changes': { type: 'boolean', default: false, describe: 'Merge a branch that changed other tasks\' files or its own checks, criteria, dependencies or role (refused otherwise, with the diff)' },
  },
  examples: [
    ['$0 done 7f3a', 'close it on its branch, for a pull request'],
    ['$0 done 7f3a --merge', 'run its checks, then merge it into the base branch'],
  ],
  handler: async (argv) => {
    const project = openProject(cwdOf(argv));
    const r = await doneTask(project, String(argv.id), { merge: argv.merge, skipChecks: argv.skipChecks, force: argv.force, acceptPlanChanges: argv.acceptPlanChanges });
    const claim = await releaseClaimAfterDone(project, r.id);
    if (argv.json) return json(claim ? { ...r, claim } : r);
    const lines = [`${r.id}: done on ${r.branch}${r.commit ? ` (commit ${r.commit})` : ''}.`];
    if (r.backfilled) lines.push(`Recorded ${r.backfilled} commit${r.backfilled === 1 ? '' : 's'} in memory from git history (no hooks had).`);
    for (const c of r.checks) lines.push(`Check \`${c.command}\`: ${c.passed ? 'passed' : 'failed'}.`);
    if (r.merged) lines.push(`Merged into ${r.merged.into} (commit ${r.merged.commit}).`);
    if (r.folded?.error) lines.push(`Memory was not folded (\`memory_fold_after\`): ${r.folded.error}; \`baton memory compact\` does it later.`);
    else if (r.folded) lines.push(`Folded the memory of ${r.folded.ids.join(', ')} (done more than ${project.config.memory_fold_after} tasks ago)${r.folded.commit ? ` (commit ${r.folded.commit})` : ''}.`);
    if (r.worktreePruned) lines.unshift(`The worktree ${r.worktreePruned} was gone (deleted by hand): git forgot it (\`git worktree prune\`), and the task was closed from this checkout.`);
    if (r.worktreeRemoved) lines.push(`Removed the worktree ${r.worktreeRemoved}.`);
    if (r.worktreeKept) lines.push(`Kept the worktree ${r.worktreeKept.dir}: ${r.worktreeKept.why}.`);
    if (claim) lines.push(claimLine(r.id, claim));
    if (r.checkout && !r.inPlace) lines.push(`This checkout is on ${r.checkout}.`);
    if (r.merged || r.inPlace) lines.push(`Next: \`baton next\`.`);
    else lines.push(`Next: \`baton pr ${r.id}\` for a pull request, or \`baton done ${r.id} --merge\`.`);
    out(lines.join('\n'));
  },
});

function claimLine(id: string, c: Released): string {
  if (c.error) return `Could not reach ${c.remote} to give back a claim on ${id} (${c.error}); a claim there ends with its lease.`;
  if (!c.released) return `The claim on ${id} on ${c.remote} is held by ${c.heldBy} (until ${c.expires}), not by this runner: left alone.`;
  if (c.pushRefused) return `Gave back the claim on ${c.remote}; the branch was not pushed (${c.pushRefused}).`;
  return `Pushed the branch and gave back the claim on ${c.remote}.`;
}
