/**
 * Which executor implements a task: the task's `role` picks a `models:`
 * entry, whose `executor` is `api`, a preset (presets.ts) or the name of an `executors:` entry in config.yaml.
 */
import { BatonError } from '../core/errors.js';
import type { Task } from '../core/task.js';
import type { Config } from '../workspace/config.js';
import { apiExecutor } from './executors/api.js';
import { commandExecutor } from './executors/command.js';
import { PRESETS } from './executors/presets.js';
import { OUTPUT_FORMATS, type OutputFormat } from './executors/agent-output.js';
import type { Executor } from './executors/types.js';
import { AGENTS } from '../workspace/paths.js';

export interface ExecutorChoice {
  /** Executor name, overriding the config (`baton run --executor`). */
  name?: string;
  /** Seconds before a command agent is stopped, overriding the config. */
  timeoutS?: number;
}

export function executorFor(config: Config, task: Pick<Task, 'role'>, choice: ExecutorChoice = {}): Executor {
  const role = task.role ?? 'implementer';
  const model = config.models[role] ?? (config.executors[role] ? undefined : config.models.implementer);
  const name = choice.name ?? (model ? model.executor : role) ?? 'api';
  if (name === 'api') return apiExecutor(config, config.models[role] ? role : 'implementer');
  // An `executors:` entry named like a preset without a command of its own changes that preset's
  // settings (timeout_s, max_concurrent) and keeps the rest; with a command it stands alone.
  const own = config.executors[name];
  const spec = (own?.command ? own : { ...PRESETS[name], ...own }) as Partial<(typeof PRESETS)[string]>;
  if (typeof spec.command !== 'string' || !spec.command.trim()) {
    const known = ['api', ...Object.keys(PRESETS), ...Object.keys(config.executors)].map((n) => `\`${n}\``).join(', ');
    throw new BatonError(`unknown executor \`${name}\`${config.executors[name] ? ' (its `command` is missing)' : ''}`, {
      file: AGENTS.config,
      hint: `Use one of ${known}, or define it:\n  executors:\n    ${name}:\n      command: "my-agent --prompt-file {prompt_file}"\n      timeout_s: 600`,
    });
  }
  const output: unknown = spec.output;
  if (output !== undefined && !OUTPUT_FORMATS.includes(output as OutputFormat)) {
    throw new BatonError(`executor \`${name}\`: unknown \`output: ${String(output)}\``, {
      file: AGENTS.config,
      hint: `Use one of ${OUTPUT_FORMATS.map((f) => `\`${f}\``).join(', ')}, or leave it out to read the agent's output as plain text.`,
    });
  }
  // Only a preset writes a home for its CLI: an `executors:` entry with its own command is the user's command as written.
  const home = own?.command ? undefined : PRESETS[name]?.home;
  const settings = { role, ...(model ? { model } : {}) };
  return commandExecutor(name, { ...spec, command: spec.command, home, output: output as OutputFormat | undefined, ...(choice.timeoutS ? { timeout_s: choice.timeoutS } : {}) }, settings);
}

/** How many agents of `executor` may work at once: its `max_concurrent`, and `--max-concurrent-per-executor`, the lower. */
export function maxConcurrent(config: Config, executor: string, flag?: number): number | undefined {
  const own = config.executors[executor]?.max_concurrent;
  const caps = [own, flag].filter((n): n is number => typeof n === 'number');
  return caps.length ? Math.min(...caps) : undefined;
}
