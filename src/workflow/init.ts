/** `baton init`: the `.agents/` folder, `.gitattributes`, the AGENTS.md section. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../workspace/atomic.js';
import { DEFAULT_CONFIG_TEXT } from '../workspace/config.js';
import { detectDependencySetup, type DependencySetup } from '../workspace/dependency-setup.js';
import { memoryHeader } from '../memory/file.js';
import { agentsPaths, AGENTS } from '../workspace/paths.js';
import { PLAN_TEMPLATE } from '../tasks/plan.js';
import { commonGitDirOf, currentBranch } from '../git/gitdir.js';
import { branchExists } from '../git/task-branch.js';
import { requireRepo } from '../workspace/context.js';
import { PLAN_ATTRIBUTE } from '../git-hooks/merge-driver.js';
import { parseAgents, planAgentFiles } from './init-agents.js';

export const ATTRIBUTES_LINE = `${AGENTS.memory}/*.md merge=union`;
/** baton's files are LF in every checkout (a clone with `core.autocrlf=true` too); one saved with CRLF is still read. */
export const EOL_ATTRIBUTE = `${AGENTS.dir}/** text eol=lf`;
/** plan.md's task table is rebuilt on merge by baton's driver (git falls back to a normal merge where it is not installed). */
const AGENTS_BEGIN = '<!-- baton:begin -->';
const AGENTS_END = '<!-- baton:end -->';

export const AGENTS_SECTION = `${AGENTS_BEGIN}
## Working with baton

This repository plans its work with [baton](https://github.com/baton-dev/baton). Everything is in \`.agents/\`:

- \`.agents/plan.md\`: the goal, constraints and architecture, and the task table.
- \`.agents/tasks/<id>-<slug>.md\`: one task each (front matter + Context / Requirements / Success criteria).
- \`.agents/memory/<id>.md\`: what happened on each task (attempts, commits, results, bugs, decisions); \`memory/project.md\` for the rest.

If you are an agent working on a task:

1. Read the task file and the memory of the tasks it depends on (\`baton prompt <id>\` prints all of it).
2. Work on the task's branch (\`baton start <id>\`); commit with a \`Task: <id>\` trailer (the hooks add it).
3. Run the task's \`checks\` before you report.
4. Report honestly, including what is not done: \`baton log <id> --outcome success|partial|failure --summary "…"\`
   (with \`--bug\`, \`--decision\`, \`--blocker\`), or save the report format from the prompt where the prompt says (in the git dir) and run \`baton log <id>\` (or pipe it: \`baton log <id> --from -\`).
5. Never edit memory entries that are already there; memory is append-only.
${AGENTS_END}`;

const TASKS_README = `# Tasks

One file per task: \`<id>-<slug>.md\`, YAML front matter then markdown sections.
Create them with \`baton task add\`; edit by hand or with \`baton task edit\`.
This README is not a task (baton skips README and AGENTS files here).

\`\`\`markdown
---
id: T-7f3a
title: Add login endpoint
status: todo            # todo | in-progress | review | done | blocked | cancelled
depends_on: [T-c21e]
phase: API
files: [src/api/login.ts]
checks: ["npm test -- login"]
---
## Context
## Requirements
## Success criteria
- [ ] POST /login returns a signed session cookie
\`\`\`
`;

const REVIEWS_README = `# Reviews

\`R-<n>.md\`: one review by the Central Agent each (\`baton review\`): what it read, what it concluded, what it filed.
`;

export interface InitResult {
  root: string;
  created: string[];
  updated: string[];
  /** The base branch a new config.yaml was given, and where it came from. */
  baseBranch?: { name: string; from: 'current branch' | 'origin/HEAD' | 'default' };
  /** `worktree_setup` proposed from the lock file found (only when config.yaml was written). */
  worktreeSetup?: DependencySetup;
  /** Agent host files left alone (already there and not baton's, or changed since), and why. */
  agentFilesKept?: { path: string; why: string }[];
  /** What to know about the agent hosts beyond the files (Codex's prompts). */
  agentNotes?: string[];
}

/**
 * The branch tasks start from: the remote's default (origin/HEAD) when the
 * clone knows it (run on a feature branch, init must not make that the base),
 * else the current branch, else `main`.
 */
export function detectBaseBranch(root: string): NonNullable<InitResult['baseBranch']> {
  const origin = originHead(root);
  if (origin) return { name: origin, from: 'origin/HEAD' };
  try {
    const current = currentBranch(root);
    if (current) return { name: current, from: 'current branch' };
  } catch {
    // no HEAD to read: the default below
  }
  return { name: 'main', from: 'default' };
}

/** The branch origin/HEAD names (`git clone` sets it) when this clone has it too; undefined when there is none. */
function originHead(root: string): string | undefined {
  try {
    const head = readFileSync(join(commonGitDirOf(root), 'refs', 'remotes', 'origin', 'HEAD'), 'utf8').trim();
    const name = head.startsWith('ref: refs/remotes/origin/') ? head.slice('ref: refs/remotes/origin/'.length) : '';
    // A clone made with `-b feature` has no local default branch to start tasks from: then the current one.
    return name && branchExists(root, name) ? name : undefined;
  } catch {
    return undefined;
  }
}

/** A branch name as a YAML scalar (quoted when YAML would read it as something else). */
const yamlScalar = (s: string) => (/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(s) && !/^(true|false|null|yes|no|on|off|~|[0-9.eE+-]+)$/i.test(s) ? s : JSON.stringify(s));

export function initProject(cwd: string, opts: { agents?: readonly string[] } = {}): InitResult {
  const root = requireRepo(cwd);
  const agents = parseAgents(opts.agents ?? []);
  const paths = agentsPaths(root);
  const files = new Map<string, string>();
  const created: string[] = [];
  const updated: string[] = [];
  const ensure = (path: string, content: string) => {
    if (!existsSync(path)) {
      files.set(path, content);
      created.push(path.slice(root.length + 1));
    }
  };
  let baseBranch: InitResult['baseBranch'];
  let setup: DependencySetup | undefined;
  if (!existsSync(paths.config)) {
    baseBranch = detectBaseBranch(root);
    // Checks run in fresh worktrees and CI runners: they need the dependencies the lock file names.
    setup = detectDependencySetup(root);
    ensure(paths.config, DEFAULT_CONFIG_TEXT
      .replace(/^base_branch: main$/m, `base_branch: ${yamlScalar(baseBranch.name)}`)
      .replace(/^worktree_setup: ""$/m, `worktree_setup: ${JSON.stringify(setup?.command ?? '')}`));
  }
  ensure(paths.plan, PLAN_TEMPLATE);
  ensure(join(paths.tasks, 'README.md'), TASKS_README);
  ensure(paths.projectMemory, memoryHeader('project'));
  ensure(join(paths.reviews, 'README.md'), REVIEWS_README);

  const attributes = join(root, '.gitattributes');
  const attrText = existsSync(attributes) ? readFileSync(attributes, 'utf8') : '';
  const missing = [EOL_ATTRIBUTE, ATTRIBUTES_LINE, PLAN_ATTRIBUTE].filter((line) => !attrText.split('\n').some((l) => l.trim() === line));
  if (missing.length) {
    const sep = attrText === '' || attrText.endsWith('\n') ? '' : '\n';
    files.set(attributes, `${attrText}${sep}${missing.join('\n')}\n`);
    (attrText ? updated : created).push('.gitattributes');
  }

  const agentsMd = join(root, 'AGENTS.md');
  const agentsText = existsSync(agentsMd) ? readFileSync(agentsMd, 'utf8') : '';
  const begin = agentsText.indexOf(AGENTS_BEGIN);
  const end = agentsText.indexOf(AGENTS_END);
  let nextAgents: string;
  if (begin !== -1 && end > begin) {
    nextAgents = agentsText.slice(0, begin) + AGENTS_SECTION + agentsText.slice(end + AGENTS_END.length);
  } else {
    const sep = agentsText === '' ? '' : agentsText.endsWith('\n\n') ? '' : agentsText.endsWith('\n') ? '\n' : '\n\n';
    nextAgents = `${agentsText}${sep}${AGENTS_SECTION}\n`;
  }
  if (nextAgents !== agentsText) {
    files.set(agentsMd, nextAgents);
    (agentsText ? updated : created).push('AGENTS.md');
  }
  const hosts = planAgentFiles(root, agents, files);
  for (const [path, content] of hosts.writes) {
    if (!files.has(path)) (existsSync(path) ? updated : created).push(path.slice(root.length + 1));
    files.set(path, content);
  }
  for (const [path, content] of files) writeFileAtomic(path, content);
  mkdirSync(paths.memory, { recursive: true });
  return {
    root, created, updated, baseBranch, ...(setup ? { worktreeSetup: setup } : {}),
    ...(hosts.kept.length ? { agentFilesKept: hosts.kept } : {}), ...(hosts.notes.length ? { agentNotes: hosts.notes } : {}),
  };
}
