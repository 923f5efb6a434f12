/**
 * What each agent host reads to call baton itself, as text: Claude Code slash
 * commands (.claude/commands/*.md, YAML front matter), Gemini CLI commands
 * (.gemini/commands/baton/*.toml, `/baton:next`), Copilot prompt files
 * (.github/prompts/*.prompt.md), Cursor commands (.cursor/commands/*.md, plain
 * markdown). Codex reads custom prompts only from ~/.codex/prompts, outside
 * the repository, so baton gives it a marked section in AGENTS.md, the file
 * Codex reads in every repository. Every command calls the CLI, which works
 * whether or not the host has baton's MCP server (`baton mcp`). Pure.
 */

export interface HostCommand {
  name: string;
  description: string;
  /** What the argument is, when the command takes one. */
  argument?: string;
  /** The baton commands it runs (Claude Code's `allowed-tools`). */
  runs: string[];
  /** The instruction, with `ARG` where the host puts what the user typed. */
  body: string;
}

export const HOST_COMMANDS: readonly HostCommand[] = [
  {
    name: 'next', description: 'Show the baton tasks that are ready to start', runs: ['baton next'],
    body: 'Run `baton next` in the repository and show the ready tasks it lists (id, title, why each waits if it does). Suggest the first one; do not start it unless asked.',
  },
  {
    name: 'start', description: 'Start a baton task and work on it from its prompt', argument: 'task id', runs: ['baton next', 'baton start', 'baton prompt', 'git'],
    body: 'Start baton task ARG (no id given: take the first task `baton next` lists). Run `baton start ARG`, then `baton prompt ARG`, and do what that prompt says: it holds the task, its success criteria, its checks and what the tasks it depends on found. Commit your work on the task\'s branch; the hooks record each commit in the task\'s memory. Run the task\'s checks before you report.',
  },
  {
    name: 'log', description: 'Record the result of a baton task in its memory', argument: 'task id', runs: ['baton log'],
    body: 'Record the result of baton task ARG honestly: run `baton log ARG --outcome success|partial|failure --summary "…"`, adding `--decision "…"`, `--bug "…"` or `--blocker "…"` for what a later agent must know. Say what is not done; never edit memory entries that are already there.',
  },
  {
    name: 'done', description: 'Finish a baton task: run its checks and merge it', argument: 'task id', runs: ['baton done'],
    body: 'Finish baton task ARG: run `baton done ARG --merge`, which runs the task\'s checks and merges its branch into the base. If a check fails, show the failure, fix it on the task\'s branch and run it again. Do not pass `--skip-checks` or `--force` unless the user asks.',
  },
  {
    name: 'status', description: 'Show the progress of the baton plan', runs: ['baton status'],
    body: 'Run `baton status` and summarise it: how many tasks are done, which are in progress, which are ready, and what the blocked ones wait for.',
  },
];

/** A YAML scalar in double quotes (JSON strings are valid YAML). */
const yamlString = (s: string) => JSON.stringify(s);

/** A TOML multi-line basic string. */
function tomlMultiline(s: string): string {
  return `"""\n${s.replace(/\\/g, '\\\\').replace(/"""/g, '""\\"')}\n"""`;
}

const withArg = (c: HostCommand, arg: string) => c.body.replaceAll('ARG', arg);

export interface HostFileText {
  path: string;
  text: string;
}

export function claudeCommand(c: HostCommand): HostFileText {
  const front = [
    '---',
    `description: ${yamlString(c.description)}`,
    ...(c.argument ? [`argument-hint: ${yamlString(`[${c.argument}]`)}`] : []),
    `allowed-tools: ${yamlString(c.runs.map((r) => `Bash(${r}:*)`).join(', '))}`,
    '---',
  ];
  return { path: `.claude/commands/baton-${c.name}.md`, text: `${front.join('\n')}\n${withArg(c, '$ARGUMENTS')}\n` };
}

export function geminiCommand(c: HostCommand): HostFileText {
  return { path: `.gemini/commands/baton/${c.name}.toml`, text: `description = ${JSON.stringify(c.description)}\nprompt = ${tomlMultiline(withArg(c, '{{args}}'))}\n` };
}

export function copilotPrompt(c: HostCommand): HostFileText {
  const front = [
    '---',
    `description: ${yamlString(c.description)}`,
    "agent: 'agent'",
    ...(c.argument ? [`argument-hint: ${yamlString(c.argument)}`] : []),
    '---',
  ];
  return { path: `.github/prompts/baton-${c.name}.prompt.md`, text: `${front.join('\n')}\n${withArg(c, '${input:task:task id}')}\n` };
}

/** Cursor's commands are plain markdown; what the user types after the command follows the text. */
export function cursorCommand(c: HostCommand): HostFileText {
  const body = c.argument ? `<id> is the ${c.argument} typed after the command, if any.\n\n${withArg(c, '<id>')}` : c.body;
  return { path: `.cursor/commands/baton-${c.name}.md`, text: `# ${c.description}\n\n${body}\n` };
}

/** Codex: the commands as a section of AGENTS.md, since its custom prompts live only in ~/.codex/prompts. */
export function codexSection(): string {
  const lines = HOST_COMMANDS.map((c) => `- **${c.name}**${c.argument ? ' `<id>`' : ''}: ${withArg(c, '<id>')}`);
  return `### baton commands\n\nWhen you are asked for one of these by name (\`baton next\`, "start T-7f3a", …), do this:\n\n${lines.join('\n')}`;
}
