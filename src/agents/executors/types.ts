/** What every executor (model through the API, or an agent CLI) is given and gives back. */
import type { Config } from '../../workspace/config.js';
import type { Task } from '../../core/task.js';
import type { Usage } from '../../memory/usage.js';

export interface ExecuteInput {
  /** The task's worktree (or checkout): where the agent works. */
  cwd: string;
  task: Task;
  /** The self-contained prompt from `composePrompt`. */
  prompt: string;
  config: Config;
  /** Kills the agent when aborted (Ctrl-C in `baton auto`). */
  signal?: AbortSignal;
  /** Progress for the live display (`running`, `editing`…). */
  onProgress?: (phase: string) => void;
  env?: Record<string, string | undefined>;
}

export interface ExecuteResult {
  /** The agent's own report (its stdout, or the report file it wrote, or the model's prose). */
  report: string;
  /** Why it stopped early, if it did: a timeout, an interruption, edits that never applied, a crash. */
  failure?: string;
  timedOut?: boolean;
  interrupted?: boolean;
  /** Files baton wrote for it (api executor), relative to `cwd`. */
  changed?: string[];
  /** Where the full output was kept, relative to nothing (absolute), for the memory entry. */
  logFile?: string;
  /** What baton noticed around the agent (a leftover agent stopped), for `note` entries. */
  notes?: string[];
  /** USD spent on model calls by this attempt (api executor). */
  costUsd?: number;
  /** Tokens and cost of those calls, for a `usage` entry (written after the edits are committed). */
  usage?: Usage;
  /**
   * The agent could not work at all and no attempt should count: its credentials were refused
   * (`auth`: the run stops, naming `variable`) or it hit a rate or usage limit (`limit`: the task pauses).
   */
  stop?: {
    kind: 'auth' | 'limit';
    message: string;
    variable?: string;
    /** When the limit ends, if the agent's words said. */
    until?: Date;
  };
}

export interface Executor {
  /** `api`, `claude`, or the name of an `executors:` entry. */
  name: string;
  /** Throws what would make it fail at once (no API key), before any file is written. */
  preflight?(env: Record<string, string | undefined>): void;
  execute(input: ExecuteInput): Promise<ExecuteResult>;
}
