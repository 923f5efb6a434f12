/**
 * `baton ci init github`: a GitHub Actions workflow that runs the plan. A
 * `plan` job lists the ready tasks (`baton next --json`, none once the
 * recorded model cost reaches the budget); a matrix job runs one task each
 * (`baton run ID --remote origin`: claimed through the remote, executor and
 * model from .agents/config.yaml, keys from repository secrets) and opens a
 * pull request carrying its memory; a `review` job runs `baton review` after
 * the matrix and opens a pull request with the review and its follow-ups.
 * Pure: config in, YAML text out.
 */
import type { Config } from '../workspace/config.js';

export const WORKFLOW_PATH = '.github/workflows/baton.yml';

/** Agent CLIs: how a runner installs one, and the key it reads. */
const AGENT_CLIS: Record<string, { install: string; key: string }> = {
  claude: { install: 'npm install --global @anthropic-ai/claude-code', key: 'ANTHROPIC_API_KEY' },
  codex: { install: 'npm install --global @openai/codex', key: 'OPENAI_API_KEY' },
  gemini: { install: 'npm install --global @google/gemini-cli', key: 'GEMINI_API_KEY' },
  aider: { install: 'pipx install aider-chat', key: 'OPENAI_API_KEY' },
};

export interface WorkflowOptions {
  /** The command that puts `baton` on the runner's PATH. */
  install: string;
  /** Default for the `max_parallel` input. */
  parallel: number;
  /** Default for the `max_tasks` input. */
  maxTasks: number;
}

/** Environment variable names holding keys, from every role's settings: passed from secrets of the same name. */
export function secretNames(config: Config): string[] {
  const names = new Set<string>();
  for (const m of Object.values(config.models)) {
    if (m.api_key_env) names.add(m.api_key_env);
    const cli = m.executor ? AGENT_CLIS[m.executor] : undefined;
    if (cli) names.add(cli.key);
  }
  return [...names].filter((n) => /^[A-Z_][A-Z0-9_]*$/.test(n)).sort();
}

function agentInstall(config: Config): string[] {
  const cmds = new Set<string>();
  for (const m of Object.values(config.models)) {
    const cli = m.executor ? AGENT_CLIS[m.executor] : undefined;
    if (cli) cmds.add(cli.install);
  }
  return [...cmds];
}

const indent = (lines: string[], n: number) => lines.map((l) => `${' '.repeat(n)}${l}`).join('\n');

export function githubWorkflow(config: Config, opts: WorkflowOptions): string {
  const base = config.base_branch;
  const keys = secretNames(config).map((k) => `${k}: \${{ secrets.${k} }}`);
  const setup = [
    '- uses: actions/checkout@v4',
    '  with:',
    '    fetch-depth: 0',
    '- uses: actions/setup-node@v4',
    '  with:',
    '    node-version: 20',
    '- name: Install baton',
    `  run: ${opts.install}`,
    '- name: Git identity for baton\'s commits',
    '  run: |',
    '    git config --global user.name "baton[bot]"',
    '    git config --global user.email "baton[bot]@users.noreply.github.com"',
  ];
  const agents = agentInstall(config).map((c) => `- name: Install the coding agent\n  run: ${c}`);
  return `# Written by \`baton ci init github\`. baton runs the plan in .agents/ on GitHub Actions:
# plan    lists the ready tasks (\`baton next --json\`), none once the model cost reaches the budget;
# run     one job per task: \`baton run ID --remote origin\` claims it through the remote
#         (refs/baton/claims/ID), runs the agent, pushes the task branch, and opens a pull
#         request carrying the task's memory;
# review  \`baton review\` after the tasks, its review and follow-up tasks in a pull request.
# Keys come from repository secrets of the same name (Settings → Secrets and variables → Actions).
name: baton

on:
  workflow_dispatch:
    inputs:
      max_parallel:
        description: Tasks run at once (one job each)
        type: number
        default: ${opts.parallel}
      max_tasks:
        description: Tasks started by this run at most
        type: number
        default: ${opts.maxTasks}
      budget_usd:
        description: No new tasks once the model cost recorded in memory reaches this many USD (empty for no limit)
        type: string
        default: ''

permissions:
  contents: write
  pull-requests: write

# One run of the plan at a time; a second waits instead of racing the first for tasks.
concurrency:
  group: baton-\${{ github.ref }}
  cancel-in-progress: false

jobs:
  plan:
    runs-on: ubuntu-latest
    outputs:
      tasks: \${{ steps.next.outputs.tasks }}
      any: \${{ steps.next.outputs.any }}
    steps:
${indent(setup, 6)}
      - name: Ready tasks, within the budget
        id: next
        env:
          MAX_TASKS: \${{ inputs.max_tasks || ${opts.maxTasks} }}
          BUDGET_USD: \${{ inputs.budget_usd }}
        run: |
          baton next --json --remote origin > ready.json
          baton cost --json > cost.json
          node -e '
            const fs = require("fs");
            const ready = JSON.parse(fs.readFileSync("ready.json", "utf8")).tasks;
            const spent = JSON.parse(fs.readFileSync("cost.json", "utf8")).total.costUsd;
            const budget = process.env.BUDGET_USD ? Number(process.env.BUDGET_USD) : Infinity;
            const ids = spent >= budget ? [] : ready.filter((t) => !t.claimedBy).slice(0, Number(process.env.MAX_TASKS)).map((t) => t.id);
            if (spent >= budget) console.log("Budget reached: $" + spent.toFixed(2) + " of $" + budget);
            fs.appendFileSync(process.env.GITHUB_OUTPUT, "tasks=" + JSON.stringify(ids) + "\\nany=" + (ids.length > 0) + "\\n");
          '

  run:
    needs: plan
    if: needs.plan.outputs.any == 'true'
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      max-parallel: \${{ fromJSON(inputs.max_parallel || ${opts.parallel}) }}
      matrix:
        task: \${{ fromJSON(needs.plan.outputs.tasks) }}
    steps:
${indent([...setup, ...agents.flatMap((a) => a.split('\n'))], 6)}
      - name: baton's hooks, so every commit lands in the task's memory
        run: baton hooks install
      - name: Run \${{ matrix.task }}
        env:
          BATON_RUNNER: github-\${{ github.run_id }}-\${{ matrix.task }}
${indent(keys, 10)}
        run: baton run "\${{ matrix.task }}" --remote origin
      - name: Pull request with the task's memory
        if: \${{ !cancelled() }}
        env:
          GH_TOKEN: \${{ github.token }}
        run: baton pr "\${{ matrix.task }}" --create

  review:
    needs: [plan, run]
    if: \${{ !cancelled() && needs.plan.outputs.any == 'true' }}
    runs-on: ubuntu-latest
    steps:
${indent(setup, 6)}
      - name: Task branches, so the review reads their memory
        run: git fetch origin '+refs/heads/${config.branch_prefix}*:refs/heads/${config.branch_prefix}*'
      - name: Review and follow-ups
${keys.length ? `        env:\n${indent(keys, 10)}\n` : ''}        run: baton review
      - name: Pull request with the review
        env:
          GH_TOKEN: \${{ github.token }}
        run: |
          git switch -c "baton/review-\${{ github.run_id }}"
          git add .agents
          git diff --cached --quiet && exit 0
          git commit -m "Review after run \${{ github.run_id }}"
          git push origin HEAD
          gh pr create --base ${base} --title "baton review (run \${{ github.run_id }})" --body "The Central Agent's review of the tasks run by this workflow, and the follow-up tasks it filed."
`;
}
