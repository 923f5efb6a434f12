/**
 * codex reads its endpoint from `config.toml` in `CODEX_HOME` and ignores
 * `OPENAI_BASE_URL` (it would call api.openai.com). So when the task's role
 * names an endpoint (`base_url` under `models:`, or `OPENAI_BASE_URL`), baton
 * gives codex a home of its own in the worktree's git dir, with a provider for
 * that endpoint, and never writes the user's ~/.codex. Without an endpoint
 * codex runs as its user set it up (their login, their model). Pure: settings
 * in, files out; the values are checked here, at the boundary.
 */
import { BatonError } from '../../core/errors.js';
import { AGENTS } from '../../workspace/paths.js';
import type { ModelConfig } from '../../workspace/config.js';

/** What an agent CLI is told about its endpoint: the role's `models:` entry and the environment. */
export interface AgentSettings {
  role: string;
  model?: ModelConfig;
  env: Record<string, string | undefined>;
}

/** A home folder baton writes for one CLI, under the worktree's state dir, named to it by `variable`. */
export interface AgentHome {
  variable: string;
  dir: string;
  files: Record<string, string>;
  /** The variable holding the key it sends (named when the endpoint refuses it). */
  keyEnv: string;
  /** The model it is told to use (its JSON does not say; priced by this name). */
  model?: string;
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function codexHome(s: AgentSettings): AgentHome | undefined {
  const configured = s.model?.base_url;
  const url = configured ?? s.env.OPENAI_BASE_URL;
  if (url === undefined || url.trim() === '') return undefined;
  const where = configured !== undefined ? `\`models.${s.role}.base_url\`` : '`OPENAI_BASE_URL`';
  const file = configured !== undefined ? AGENTS.config : undefined;
  if (!isHttpUrl(url)) {
    throw new BatonError(`${where} is not an http(s) URL, so codex cannot be pointed at it`, {
      file, hint: 'Set it to the endpoint\'s base, e.g. `http://localhost:8000/v1` (codex calls `<base>/responses`).',
    });
  }
  const keyEnv = s.model?.api_key_env || 'OPENAI_API_KEY';
  if (!VARIABLE_NAME.test(keyEnv)) {
    throw new BatonError(`\`models.${s.role}.api_key_env\` must name an environment variable, got ${JSON.stringify(keyEnv.slice(0, 60))}`, {
      file: AGENTS.config, hint: 'Use a name such as `OPENAI_API_KEY`.',
    });
  }
  if (!s.env[keyEnv]) {
    throw new BatonError(`the agent (codex) needs \`${keyEnv}\`: its endpoint comes from ${where}`, {
      hint: `Set \`${keyEnv}\` to the key for that endpoint, or name another variable with \`api_key_env\` under \`models.${s.role}\`.`,
    });
  }
  const model = s.model?.model || undefined;
  return { variable: 'CODEX_HOME', dir: 'codex-home', files: { 'config.toml': codexConfig(url.trim(), keyEnv, model) }, keyEnv, ...(model ? { model } : {}) };
}

/**
 * Headless and offline: edits in the worktree only, no approvals to wait
 * for; no analytics, feedback, plugins or update checks; no retries, since a
 * retried 401 or a 429 honoured for an hour would keep baton waiting (baton
 * stops on the first and pauses the task on the second). The endpoint must
 * speak the Responses API (`wire_api = "chat"` is refused by codex).
 */
function codexConfig(url: string, keyEnv: string, model: string | undefined): string {
  // A JSON string is a valid TOML basic string.
  const q = (v: string) => JSON.stringify(v);
  return [
    '# Written by baton for the codex runs in this worktree; your ~/.codex is not used.',
    ...(model ? [`model = ${q(model)}`] : []),
    'model_provider = "baton"',
    'approval_policy = "never"',
    'sandbox_mode = "workspace-write"',
    'check_for_update_on_startup = false',
    '',
    '[model_providers.baton]',
    'name = "baton"',
    `base_url = ${q(url)}`,
    `env_key = ${q(keyEnv)}`,
    'wire_api = "responses"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
    '[analytics]',
    'enabled = false',
    '',
    '[feedback]',
    'enabled = false',
    '',
    '[otel]',
    'exporter = "none"',
    '',
    '[history]',
    'persistence = "none"',
    '',
    '[features]',
    'plugins = false',
    'remote_plugin = false',
    'apps = false',
    'memories = false',
    'tool_suggest = false',
    '',
  ].join('\n');
}

function isHttpUrl(value: string): boolean {
  if (/[\s\0-\x1f\x7f]/.test(value.trim())) return false;
  try {
    const u = new URL(value.trim());
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
