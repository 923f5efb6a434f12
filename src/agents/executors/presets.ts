/**
 * Coding-agent CLIs baton knows how to drive. Each gets the prompt on stdin
 * (closed after it, so none waits for more), or as a file where the CLI only
 * takes one (`{prompt_file}`, stdin then empty), runs in the task's worktree
 * with the auto-approve mode that allows edits there, and answers in JSON
 * that baton reads (agent-output.ts). docs/executors.md explains each choice.
 */
import type { OutputFormat } from './agent-output.js';
import { codexHome, copilotHome, opencodeHome, type AgentHome, type AgentSettings } from './agent-home.js';

export interface CommandSpec {
  command: string;
  /** Seconds before the agent's whole process group is killed. */
  timeout_s?: number;
  /** How to read its standard output (final text, errors, tokens); plain text when unset. */
  output?: OutputFormat;
  /** The variable that holds its credentials, named when it answers 401. */
  key_env?: string;
  /** How many of it `baton auto` runs at once (`executors.<name>.max_concurrent`); unset: as many as `--parallel`. */
  max_concurrent?: number;
  /** Variables it gets unless the environment sets them already. */
  env?: Record<string, string>;
  /**
   * Settings of its lowest precedence (below the user's own): written as JSON in the worktree's
   * git dir and named by `variable`, unless the environment names a file there already.
   */
  defaults_file?: { variable: string; settings: Record<string, unknown> };
  /** A home folder baton writes for it (its endpoint, offline settings), or none: presets only. */
  home?: (settings: AgentSettings) => AgentHome | undefined;
}

export interface Preset extends CommandSpec {
  /** The npm package that installs it, if any. */
  package?: string;
  /** Versions the conformance suite (test/agent-clis.test.ts) runs for real; empty: untested. */
  tested: readonly string[];
}

export const PRESETS: Record<string, Preset> = {
  // -p: print mode, one prompt (from stdin) then exit. acceptEdits lets it write files in its
  // working directory without asking (nobody is there to ask); commands still need allowing.
  claude: {
    command: 'claude -p --output-format json --permission-mode acceptEdits',
    output: 'claude-json', key_env: 'ANTHROPIC_API_KEY', package: '@anthropic-ai/claude-code', tested: ['2.1.332'],
    // Its default is 10 retries with backoff: over three minutes on a 429. baton pauses and comes back instead.
    env: { CLAUDE_CODE_MAX_RETRIES: '2' },
  },
  // The text of -p is appended to the prompt on stdin; auto-edit approves edits, not commands.
  qwen: {
    command: 'qwen --approval-mode auto-edit --output-format json -p "Do the task described above."',
    output: 'qwen-json', key_env: 'OPENAI_API_KEY', package: '@qwen-code/qwen-code', tested: ['0.24.4'],
    // By default it retries a 429 ten times, a minute apart and more.
    defaults_file: { variable: 'QWEN_CODE_SYSTEM_DEFAULTS_PATH', settings: { model: { generationConfig: { maxRetries: 0 } } } },
  },
  // Same shape as qwen (qwen is a fork of it); auto_edit offers and approves its write tools.
  gemini: {
    command: 'gemini --approval-mode auto_edit --output-format json -p "Do the task described above."',
    output: 'gemini-json', key_env: 'GEMINI_API_KEY', package: '@google/gemini-cli', tested: ['0.61.0'],
    // By default it makes 10 attempts, waiting out the API's `retryDelay` between them.
    defaults_file: { variable: 'GEMINI_CLI_SYSTEM_DEFAULTS_PATH', settings: { general: { maxAttempts: 1 } } },
  },
  // `-` reads the prompt from stdin (closed after it: codex waits on an open one); workspace-write
  // lets it edit the worktree only. With an endpoint (`base_url`, OPENAI_BASE_URL) it gets a
  // CODEX_HOME of baton's (agent-home.ts): codex reads its provider from there, not from the variable.
  codex: {
    command: 'codex exec --json --sandbox workspace-write -',
    output: 'codex-jsonl', key_env: 'OPENAI_API_KEY', package: '@openai/codex', tested: ['0.171.0'], home: codexHome,
  },
  // opencode hangs on an open stdin: the prompt goes as an argument, stdin stays empty. Its config
  // comes inline from baton when it has an endpoint (agent-home.ts); edits are allowed by default.
  opencode: {
    command: 'opencode run --format json "$(cat {prompt_file})"',
    output: 'opencode-json', key_env: 'OPENAI_API_KEY', package: 'opencode-ai', tested: ['1.18.33'], home: opencodeHome,
  },
  // The prompt as -p's argument; --allow-tool=write approves file edits (inside its working
  // directory: it checks paths), not commands; nobody is there to answer its questions.
  copilot: {
    command: 'copilot -p "$(cat {prompt_file})" --output-format json --allow-tool=write --no-ask-user',
    output: 'copilot-json', key_env: 'COPILOT_GITHUB_TOKEN', package: '@github/copilot', tested: ['1.0.102'], home: copilotHome,
  },
  // aider reads a message file and exits; --yes-always answers its questions. Not on npm; untested.
  aider: { command: 'aider --yes-always --message-file {prompt_file}', tested: [] },
};

export const DEFAULT_TIMEOUT_S = 1800;
