/** `.agents/config.yaml`: read with defaults, validated with located errors. */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { BatonError } from '../core/errors.js';
import { agentsPaths, rel } from './paths.js';
import { yamlData } from './frontmatter.js';
import { cacheFile, fresh, readCache, statKey, writeCache } from './stat-cache.js';
import { yaml } from './yaml.js';

export interface ModelConfig {
  model: string;
  base_url?: string;
  api_key_env: string;
  /** Which executor implements tasks for this role: `api` or a command preset/name. */
  executor?: string;
  timeout_s?: number;
  max_retries?: number;
  context_budget?: number;
}

export interface Config {
  base_branch: string;
  branch_prefix: string;
  worktree_dir: string;
  worktree_setup: string;
  context_budget: number;
  record_off_task_commits: boolean;
  /** Commands that change the plan (init, task add/set/edit, plan, review) commit the files they wrote. */
  commit_plan_changes: boolean;
  /** Most tasks one plan answer may create: a runaway answer is refused, not written. */
  max_plan_tasks: number;
  /** Tasks finished with no new evidence after which a lesson stops reaching prompts (default in memory/lessons.ts). */
  lessons_fade_after?: number;
  /** Tasks a lesson is seen in (since the plan last changed for it) after which the review is told it keeps firing (default in memory/lessons.ts). */
  lessons_strategy_after?: number;
  /** Memory of a task done this many finished tasks ago is folded (`baton memory compact`; automatic at `done` when set). */
  memory_fold_after?: number;
  models: Record<string, ModelConfig>;
  executors: Record<string, { command: string; timeout_s?: number; output?: string; key_env?: string; max_concurrent?: number }>;
  prices: Record<string, { input: number; output: number }>;
  /** `notify.command`: a command of the user's run on events (question asked, task failed, …), the event as JSON on stdin. */
  notify?: { command: string; timeout_s: number };
  /** Everything else in the file, kept for features that read it. */
  raw: Record<string, unknown>;
}

export const DEFAULT_CONFIG_TEXT = `# baton settings. Every key is optional; the values below are the defaults.
# Docs: https://github.com/baton-dev/baton#configuration

# Branch that task branches start from and merge back into.
base_branch: main
# Task branches are <branch_prefix><id>-<slug>.
branch_prefix: task/
# Where \`baton start --worktree\` creates worktrees (relative to the repository);
# {repo} is the repository's folder name, so two clones side by side never mix.
worktree_dir: ../{repo}.baton-worktrees
# A command run in each new worktree, e.g. "npm ci". Empty: none.
worktree_setup: ""
# Token budget of a prompt made by \`baton prompt\` (override with --budget).
context_budget: 16000
# Commits made off task branches are recorded in memory/project.md.
record_off_task_commits: true
# Commands that change the plan (init, task add/set/edit, plan, review) commit
# exactly the files they wrote, one commit each; false (or --no-commit): leave them to you.
commit_plan_changes: true
# Most tasks one plan answer may create; a larger answer is refused, not written.
max_plan_tasks: 300

# One model per role. Any OpenAI-compatible endpoint works: set base_url
# (e.g. http://localhost:11434/v1 for Ollama) and the variable holding its key.
models:
  planner:
    model: gpt-5
    api_key_env: OPENAI_API_KEY
  reviewer:
    model: gpt-5
    api_key_env: OPENAI_API_KEY
  implementer:
    model: gpt-5-mini
    api_key_env: OPENAI_API_KEY
    # api: the model edits files through baton; or a command preset:
    # claude, qwen, gemini, codex, opencode, copilot, aider (see: baton executors check).
    executor: api
`;

/** The shape with no values: the defaults are written once, in DEFAULT_CONFIG_TEXT above. */
const BARE: Config = {
  base_branch: '', branch_prefix: '', worktree_dir: '', worktree_setup: '', context_budget: 0,
  record_off_task_commits: false, commit_plan_changes: false, max_plan_tasks: 0, models: {}, executors: {}, prices: {}, raw: {},
};

let defaults: Config | undefined;

/** The documented defaults, read from the text `baton init` writes, so the two cannot drift apart. */
export function defaultConfig(): Config {
  defaults ??= { ...parseConfig(DEFAULT_CONFIG_TEXT, 'the default config', BARE), raw: {} };
  return structuredClone(defaults);
}

export function parseConfig(text: string, file: string, base?: Config): Config {
  const { parseDocument, isMap, isScalar } = yaml();
  const doc = parseDocument(text, { prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    throw new BatonError(`invalid YAML: ${(error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`, {
      file, line: error.linePos?.[0].line, hint: 'Fix the YAML (indentation, colons, quotes).',
    });
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new BatonError('config must be a set of `key: value` lines', { file, line: 1, hint: 'See `baton init` for the documented defaults.' });
  }
  const lineOf = (key: string) => {
    const item = isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
    const offset = (item?.key as { range?: number[] } | undefined)?.range?.[0];
    return offset === undefined ? undefined : text.slice(0, offset).split('\n').length;
  };
  const raw = (yamlData(doc, text, file, 1) ?? {}) as Record<string, unknown>;
  const config = base ? structuredClone(base) : defaultConfig();
  config.raw = raw;
  const fail = (key: string, expected: string): never => {
    throw new BatonError(`\`${key}\` must be ${expected}, got ${JSON.stringify(raw[key])}`, {
      file, line: lineOf(key), hint: `Fix \`${key}\` or delete the line to use the default.`,
    });
  };
  for (const key of ['base_branch', 'branch_prefix', 'worktree_dir', 'worktree_setup'] as const) {
    if (raw[key] === undefined || raw[key] === null) continue;
    if (typeof raw[key] !== 'string') fail(key, 'text');
    config[key] = raw[key] as string;
  }
  if (raw.context_budget !== undefined) {
    if (typeof raw.context_budget !== 'number' || raw.context_budget < 500) fail('context_budget', 'a number of tokens (500 or more)');
    config.context_budget = raw.context_budget as number;
  }
  for (const key of ['record_off_task_commits', 'commit_plan_changes'] as const) {
    if (raw[key] === undefined) continue;
    if (typeof raw[key] !== 'boolean') fail(key, '`true` or `false`');
    config[key] = raw[key] as boolean;
  }
  const wholeNumbers = [
    ['max_plan_tasks', 1, 'a whole number (1 or more)'],
    ['lessons_fade_after', 1, 'a whole number of tasks (1 or more)'],
    ['lessons_strategy_after', 2, 'a whole number of tasks (2 or more)'],
    ['memory_fold_after', 1, 'a whole number of tasks (1 or more)'],
  ] as const;
  for (const [key, min, expected] of wholeNumbers) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) fail(key, expected);
    config[key] = value as number;
  }
  if (raw.models !== undefined && raw.models !== null) {
    if (typeof raw.models !== 'object' || Array.isArray(raw.models)) fail('models', 'a map of role → settings');
    for (const [role, value] of Object.entries(raw.models as Record<string, unknown>)) {
      if (typeof value === 'string') {
        config.models[role] = { ...(config.models[role] ?? { api_key_env: 'OPENAI_API_KEY' }), model: value };
        continue;
      }
      if (!value || typeof value !== 'object') fail('models', `settings for \`${role}\` (a map with \`model\`)`);
      const v = value as Record<string, unknown>;
      const base = config.models[role] ?? { model: '', api_key_env: 'OPENAI_API_KEY' };
      const merged = { ...base, ...v } as ModelConfig;
      if (typeof merged.model !== 'string' || !merged.model) fail('models', `a \`model\` name for \`${role}\``);
      config.models[role] = merged;
    }
  }
  if (raw.executors !== undefined && raw.executors !== null) {
    if (typeof raw.executors !== 'object' || Array.isArray(raw.executors)) fail('executors', 'a map of name → settings');
    for (const [name, value] of Object.entries(raw.executors as Record<string, unknown>)) {
      const v = (value ?? {}) as Record<string, unknown>;
      const bad = (key: string, expected: string): never => {
        throw new BatonError(`\`executors.${name}.${key}\` must be ${expected}, got ${JSON.stringify(v[key])}`, {
          file, line: lineOf('executors'), hint: `Fix \`executors.${name}.${key}\` or delete the line to use the default.`,
        });
      };
      if (typeof value !== 'object' || Array.isArray(value)) bad('', 'a map of settings');
      if (v.max_concurrent !== undefined && (typeof v.max_concurrent !== 'number' || !Number.isInteger(v.max_concurrent) || v.max_concurrent < 1)) bad('max_concurrent', 'a whole number (1 or more)');
      if (v.timeout_s !== undefined && (typeof v.timeout_s !== 'number' || !(v.timeout_s > 0))) bad('timeout_s', 'a number of seconds (more than 0)');
    }
    config.executors = raw.executors as Config['executors'];
  }
  if (raw.prices && typeof raw.prices === 'object') {
    config.prices = raw.prices as Config['prices'];
  }
  if (raw.notify !== undefined && raw.notify !== null) {
    const n = raw.notify as Record<string, unknown>;
    if (typeof n !== 'object' || Array.isArray(n) || typeof n.command !== 'string' || !n.command.trim()) fail('notify', 'a map with a `command` (a shell command that reads the event as JSON on stdin)');
    if (n.timeout_s !== undefined && (typeof n.timeout_s !== 'number' || !(n.timeout_s > 0))) fail('notify', 'a map whose `timeout_s` is a number of seconds above 0');
    config.notify = { command: n.command as string, timeout_s: (n.timeout_s as number | undefined) ?? 10 };
  }
  return config;
}

/** The parsed config of the last run, for as long as config.yaml's stat and baton's defaults are unchanged (stat-cache.ts). */
interface ConfigCache { version: number; stat: number[]; defaults: string; config: Config }
const CONFIG_CACHE_VERSION = 3;

export function readConfig(root: string): Config {
  const path = agentsPaths(root).config;
  let st: Stats;
  try {
    st = statSync(path);
  } catch {
    return defaultConfig();
  }
  const file = cacheFile(root, 'config-cache.json');
  const cache = readCache<ConfigCache>(file, CONFIG_CACHE_VERSION);
  if (cache && cache.data.defaults === DEFAULT_CONFIG_TEXT && fresh(st, cache.data.stat, cache.racyFromMs)) return cache.data.config;
  const config = parseConfig(readFileSync(path, 'utf8'), rel(root, path));
  writeCache(file, { version: CONFIG_CACHE_VERSION, stat: statKey(st), defaults: DEFAULT_CONFIG_TEXT, config } satisfies ConfigCache);
  return config;
}
