/**
 * Where an agent CLI finds its endpoint, when baton is given one: the task
 * role's `base_url` under `models:`, or `OPENAI_BASE_URL`. Some CLIs ignore
 * that variable (codex reads `config.toml` in `CODEX_HOME`, opencode its own
 * JSON config, copilot variables of its own), so baton writes what each reads, in the worktree's git dir or
 * its environment, and never the user's own settings (~/.codex,
 * ~/.config/opencode). Without an endpoint a CLI runs as its user set it up
 * (their login, their model). Pure: settings in, files and variables out; the
 * values are checked here, at the boundary.
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

/** What baton gives one CLI for a run: variables, and files in a folder of the worktree's state dir. */
export interface AgentHome {
  /** `{home}` in a value is the folder the files are written to. */
  env: Record<string, string>;
  dir?: string;
  files?: Record<string, string>;
  /** The variable holding the key it sends (named when the endpoint refuses it). */
  keyEnv: string;
  /** The model it is told to use (priced by this name where its JSON names none). */
  model?: string;
}

interface Endpoint {
  url: string;
  keyEnv: string;
  model?: string;
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The endpoint baton was given for `cli`, checked; undefined when none was. */
function endpointOf(cli: string, s: AgentSettings): Endpoint | undefined {
  const configured = s.model?.base_url;
  const url = configured ?? s.env.OPENAI_BASE_URL;
  if (url === undefined || url.trim() === '') return undefined;
  const where = configured !== undefined ? `\`models.${s.role}.base_url\`` : '`OPENAI_BASE_URL`';
  if (!isHttpUrl(url)) {
    throw new BatonError(`${where} is not an http(s) URL, so ${cli} cannot be pointed at it`, {
      file: configured !== undefined ? AGENTS.config : undefined,
      hint: 'Set it to the endpoint\'s base, e.g. `http://localhost:8000/v1`.',
    });
  }
  const keyEnv = s.model?.api_key_env || 'OPENAI_API_KEY';
  if (!VARIABLE_NAME.test(keyEnv)) {
    throw new BatonError(`\`models.${s.role}.api_key_env\` must name an environment variable, got ${JSON.stringify(keyEnv.slice(0, 60))}`, {
      file: AGENTS.config, hint: 'Use a name such as `OPENAI_API_KEY`.',
    });
  }
  if (!s.env[keyEnv]) {
    throw new BatonError(`the agent (${cli}) needs \`${keyEnv}\`: its endpoint comes from ${where}`, {
      hint: `Set \`${keyEnv}\` to the key for that endpoint, or name another variable with \`api_key_env\` under \`models.${s.role}\`.`,
    });
  }
  return { url: url.trim(), keyEnv, ...(s.model?.model ? { model: s.model.model } : {}) };
}

/** codex: a `CODEX_HOME` of baton's whose `config.toml` names the endpoint (codex ignores `OPENAI_BASE_URL`). */
export function codexHome(s: AgentSettings): AgentHome | undefined {
  const e = endpointOf('codex', s);
  if (!e) return undefined;
  return { env: { CODEX_HOME: '{home}' }, dir: 'codex-home', files: { 'config.toml': codexConfig(e.url, e.keyEnv, e.model) }, keyEnv: e.keyEnv, ...(e.model ? { model: e.model } : {}) };
}

/**
 * opencode: its config, inline in `OPENCODE_CONFIG_CONTENT`: a provider on the
 * endpoint through `@ai-sdk/openai-compatible` (bundled: nothing is fetched),
 * the key read from the variable by opencode itself, no sharing, no
 * autoupdate, no models.dev registry lookup at start.
 */
export function opencodeHome(s: AgentSettings): AgentHome | undefined {
  const e = endpointOf('opencode', s);
  if (!e) return undefined;
  const model = e.model ?? 'default';
  const config = {
    $schema: 'https://opencode.ai/config.json',
    provider: { baton: { npm: '@ai-sdk/openai-compatible', name: 'baton', options: { baseURL: e.url, apiKey: `{env:${e.keyEnv}}` }, models: { [model]: { name: model } } } },
    model: `baton/${model}`,
    small_model: `baton/${model}`,
    autoupdate: false,
    share: 'disabled',
  };
  return {
    env: {
      OPENCODE_CONFIG_CONTENT: JSON.stringify(config),
      OPENCODE_DISABLE_MODELS_FETCH: '1',
      OPENCODE_DISABLE_AUTOUPDATE: '1',
      OPENCODE_DISABLE_SHARE: '1',
      OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
      OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    },
    keyEnv: e.keyEnv,
    model,
  };
}

/**
 * copilot: its own variables for a provider of your own (BYOK) over Chat Completions, and its
 * offline mode (no GitHub login, telemetry, web tools or update). It takes the key's value, not a
 * variable's name: baton passes it on in the agent's environment only, never into a file.
 */
export function copilotHome(s: AgentSettings): AgentHome | undefined {
  const e = endpointOf('copilot', s);
  if (!e) return undefined;
  return {
    env: {
      COPILOT_OFFLINE: 'true',
      COPILOT_AUTO_UPDATE: 'false',
      COPILOT_PROVIDER_BASE_URL: e.url,
      COPILOT_PROVIDER_API_KEY: s.env[e.keyEnv]!,
      ...(e.model ? { COPILOT_MODEL: e.model } : {}),
    },
    keyEnv: e.keyEnv,
    ...(e.model ? { model: e.model } : {}),
  };
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
