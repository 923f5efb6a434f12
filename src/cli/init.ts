import { initProject } from '../workflow/init.js';
import { defineCommand } from './command.js';
import { cwdOf, json, out } from './output.js';
import { COMMIT_OPTION, printPlanCommit } from './plan-commit.js';
import { commitPlanChange } from '../workflow/plan-commit.js';
import { BatonError, USAGE_EXIT } from '../core/errors.js';
import { requireRepo } from '../workspace/context.js';

export default defineCommand({
  command: 'init',
  describe: 'Create .agents/ (config, plan, tasks, memory), .gitattributes, the AGENTS.md section and the git hooks',
  options: {
    hooks: { type: 'boolean', default: true, describe: 'Install the git hooks (--no-hooks to skip)' },
    global: { type: 'boolean', default: false, describe: 'Install the hooks into a core.hooksPath outside this repository (shared by every repository using it)' },
    agents: { type: 'string', array: true, describe: 'For these agent hosts (claude, codex, gemini, copilot, cursor; comma-separated): point their instruction files at the AGENTS.md section and install their baton commands (next, start, log, done, status)' },
    'uninstall-agents': { type: 'boolean', default: false, describe: 'Remove what `--agents` installed (its files, unless changed since, and its marked sections), nothing else' },
    mcp: { type: 'array', string: true, choices: ['claude', 'cursor', 'codex', 'vscode'], describe: "Also write this MCP client's configuration for `baton mcp`" },
    ...COMMIT_OPTION,
  },
  examples: [
    ['$0 init', 'set up baton here (safe to run again)'],
    ['$0 init --no-hooks', 'without the git hooks'],
    ['$0 init --agents claude,cursor', 'and give Claude Code and Cursor baton\'s commands (/baton-next, …) and a pointer to AGENTS.md'],
    ['$0 init --uninstall-agents', 'remove exactly what --agents installed'],
    ['$0 init --mcp claude', 'and let Claude Code drive baton through MCP (.mcp.json)'],
  ],
  handler: async (argv) => {
    if (argv.uninstallAgents) return uninstallAgents(argv);
    // An MCP client's file that cannot take baton's entry stops init before it writes anything.
    const writeMcp = argv.mcp?.length ? await (await import('../mcp/client-config.js')).prepareClientConfigs(cwdOf(argv), argv.mcp) : undefined;
    const result = initProject(cwdOf(argv), { agents: argv.agents });
    let hooks: string[] = [];
    let hookFiles: string[] = [];
    if (argv.hooks) {
      const { installHooks, trackedHookPaths } = await import('../git-hooks/install.js');
      hooks = await installHooks(result.root, { global: argv.global });
      // Under husky, baton's line lives in the tracked `.husky/<hook>` files: they go in init's commit.
      hookFiles = await trackedHookPaths(result.root);
    }
    const mcp = writeMcp?.() ?? [];
    // The plan lives in git from the start: what init wrote (not an MCP client's file, which names this machine's paths).
    const subject = 'Plan: baton init';
    const committed = await commitPlanChange(result.root, [...new Set([...result.created, ...result.updated, ...hookFiles])], subject, { commit: argv.commit });
    if (argv.json) return json({ ...result, hooks, mcp, commit: committed.commit ?? null });
    for (const m of mcp) out(`${m.created ? 'created ' : m.changed ? 'updated ' : 'kept    '} ${m.file}  (MCP: ${m.client}. ${m.note})`);
    if (!result.created.length && !result.updated.length && !hooks.length) {
      out(`baton is already set up in ${result.root}; nothing changed.`);
      return;
    }
    for (const f of result.created) out(`created  ${f}`);
    for (const f of result.updated) out(`updated  ${f}`);
    if (result.worktreeSetup) out(`worktree_setup: ${result.worktreeSetup.command} (from ${result.worktreeSetup.from}; run in each new worktree and in CI before checks)`);
    if (result.baseBranch) out(`base_branch: ${result.baseBranch.name} (${result.baseBranch.from}; change it with \`baton config set base_branch NAME\`)`);
    for (const h of hooks) out(`hook     ${h}`);
    for (const k of result.agentFilesKept ?? []) out(`kept     ${k.path} (${k.why}; baton's version was not written)`);
    for (const n of result.agentNotes ?? []) out(n);
    printPlanCommit(committed, subject);
    out('\nNext: describe the goal in .agents/plan.md, then `baton task add "…"` or `baton plan --from REQUIREMENTS.md`.');
  },
});

async function uninstallAgents(argv: { agents?: string[]; json?: boolean; commit?: boolean; cwd?: string }): Promise<void> {
  if (argv.agents?.length) throw new BatonError('`--agents` and `--uninstall-agents` cannot go together', { hint: 'Run `baton init --uninstall-agents` alone.', exitCode: USAGE_EXIT });
  const { uninstallAgentFiles } = await import('../workflow/init-agents.js');
  const root = requireRepo(cwdOf(argv));
  const r = uninstallAgentFiles(root);
  const subject = 'Plan: baton init --uninstall-agents';
  const committed = await commitPlanChange(root, [...r.removed, ...r.updated], subject, { commit: argv.commit });
  if (argv.json) return json({ ...r, commit: committed.commit ?? null });
  if (r.none) return out('No agent host files were installed by `baton init --agents` here; nothing changed.');
  for (const f of r.removed) out(`removed  ${f}`);
  for (const f of r.updated) out(`updated  ${f}  (baton's section taken out)`);
  for (const k of r.kept) out(`kept     ${k.path} (${k.why})`);
  printPlanCommit(committed, subject);
}
