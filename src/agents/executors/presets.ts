/**
 * Coding-agent CLIs baton knows how to drive. Each gets the prompt on stdin,
 * or as a file where the CLI only takes one (`{prompt_file}`), and runs in
 * the task's worktree. docs/executors.md explains each choice.
 */
export interface CommandSpec {
  command: string;
  /** Seconds before the agent's whole process group is killed. */
  timeout_s?: number;
}

export const PRESETS: Record<string, CommandSpec> = {
  // -p: print mode, one prompt then exit; the prompt comes from stdin.
  // acceptEdits lets it write files without asking (there is nobody to ask).
  claude: { command: 'claude -p --permission-mode acceptEdits' },
  // `-` reads the prompt from stdin; workspace-write lets it edit the worktree.
  codex: { command: 'codex exec --sandbox workspace-write -' },
  // aider reads a message file and exits; --yes-always answers its questions.
  aider: { command: 'aider --yes-always --message-file {prompt_file}' },
  // -p runs headless; its text is appended to the prompt piped on stdin.
  gemini: { command: 'gemini --approval-mode auto_edit -p "Do the task described above."' },
};

export const DEFAULT_TIMEOUT_S = 1800;
