/**
 * A role's model settings: `config.yaml` `models.<role>` plus the environment.
 * Pure (the environment is passed in), so tests and the CLI resolve the same way.
 */
import { BatonError } from '../core/errors.js';
import { addSecretValue } from '../core/redact.js';
import type { Config } from '../workspace/config.js';
import { AGENTS } from '../workspace/paths.js';

export interface RoleSettings {
  role: string;
  model: string;
  /** Endpoint, e.g. `http://localhost:11434/v1`; undefined means OpenAI's. */
  baseURL?: string;
  apiKey: string;
  apiKeyEnv: string;
  timeoutMs: number;
  /** Retries of one call on 429, 5xx, timeouts and dropped connections. */
  maxRetries: number;
  /** First backoff delay; doubles each retry (with jitter) unless the server sends Retry-After. */
  retryBaseMs: number;
  /** How many times a truncated, malformed or invalid answer is sent back to the model. */
  maxRepairs: number;
  /** `false` for endpoints known not to take `response_format: json_schema`. */
  structuredOutput: boolean;
  maxTokens?: number;
  temperature?: number;
}

const DEFAULTS = { timeout_s: 600, max_retries: 2, retry_base_ms: 1000, max_repairs: 2 };

function num(value: unknown, key: string, role: string, min: number): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || n < min) {
    throw new BatonError(`\`models.${role}.${key}\` must be a number of at least ${min}, got ${JSON.stringify(value)}`, {
      file: AGENTS.config, hint: `Fix \`${key}\` under \`models.${role}\` or delete it to use the default.`,
    });
  }
  return n;
}

/** An environment override (`BATON_TIMEOUT_S`): a bad value is blamed on the variable, not on config.yaml. */
function envNum(env: Record<string, string | undefined>, name: string, min: number): number | undefined {
  const value = env[name];
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) {
    throw new BatonError(`the environment variable \`${name}\` must be a number of at least ${min}, got ${JSON.stringify(value)}`, {
      hint: `Set \`${name}\` to a number, or unset it.`,
    });
  }
  return n;
}

/** `base_url` as the SDK will use it; a malformed one is a configuration error, said where it was set. */
function checkedBaseUrl(value: string | undefined, where: string): string | undefined {
  if (!value) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || !url.host) {
    throw new BatonError(`\`base_url\` is not a valid http(s) URL: ${JSON.stringify(value)} (set in ${where})`, {
      hint: 'Write the whole URL, e.g. `http://localhost:11434/v1` or `https://api.openai.com/v1`.', exitCode: 1,
      ...(where.startsWith(AGENTS.config) ? { file: AGENTS.config } : {}),
    });
  }
  return value;
}

/**
 * Resolve `role`. The key comes from the variable named by `api_key_env`
 * (default `OPENAI_API_KEY`); the endpoint from `base_url`, else `OPENAI_BASE_URL`.
 * Env overrides for scripts and tests: `BATON_TIMEOUT_S`, `BATON_MAX_RETRIES`, `BATON_RETRY_BASE_MS`.
 */
export function roleSettings(config: Config, role: string, env: Record<string, string | undefined>): RoleSettings {
  const cfg = config.models[role] as (Record<string, unknown> & { model?: string }) | undefined;
  if (!cfg || typeof cfg.model !== 'string' || !cfg.model) {
    throw new BatonError(`no model configured for the \`${role}\` role`, {
      file: AGENTS.config, hint: `Add it under \`models:\`, e.g.\n  models:\n    ${role}:\n      model: gpt-5`,
    });
  }
  const apiKeyEnv = typeof cfg.api_key_env === 'string' && cfg.api_key_env ? cfg.api_key_env : 'OPENAI_API_KEY';
  const fromConfig = typeof cfg.base_url === 'string' && cfg.base_url ? cfg.base_url : undefined;
  const baseURL = fromConfig
    ? checkedBaseUrl(fromConfig, `${AGENTS.config} \`models.${role}.base_url\``)
    : checkedBaseUrl(env.OPENAI_BASE_URL || undefined, 'the environment variable `OPENAI_BASE_URL`');
  let apiKey = env[apiKeyEnv];
  addSecretValue(apiKey);
  // A key travels in an HTTP header, which takes bytes 0-255 only: the README's `sk-…` placeholder has an ellipsis.
  const odd = apiKey ? [...apiKey].findIndex((c) => c.charCodeAt(0) > 0x7e || c.charCodeAt(0) < 0x20) : -1;
  if (apiKey && odd >= 0) {
    throw new BatonError(`the key in \`${apiKeyEnv}\` has a character that cannot be sent (${JSON.stringify(apiKey[odd])} at position ${odd + 1}, not ASCII)`, {
      hint: `Set \`${apiKeyEnv}\` to the key itself, not a placeholder such as \`sk-…\`; check for pasted quotes or spaces.`,
    });
  }
  if (!apiKey) {
    // Local servers (Ollama, vLLM, LM Studio, llama.cpp) take any key; OpenAI's endpoint does not.
    if (!baseURL) {
      throw new BatonError(`no API key for the \`${role}\` model: \`${apiKeyEnv}\` is not set`, {
        hint: `Export ${apiKeyEnv}=…, or set \`models.${role}.base_url\` in .agents/config.yaml for a local server, ` +
          `or work by copy and paste with \`--prompt\` and \`--import\` (docs/providers.md).`,
      });
    }
    apiKey = 'not-needed';
  }
  const timeoutS = envNum(env, 'BATON_TIMEOUT_S', 0.01) ?? num(cfg.timeout_s, 'timeout_s', role, 0.01) ?? DEFAULTS.timeout_s;
  return {
    role,
    model: cfg.model,
    baseURL,
    apiKey,
    apiKeyEnv,
    timeoutMs: Math.round(timeoutS * 1000),
    maxRetries: envNum(env, 'BATON_MAX_RETRIES', 0) ?? num(cfg.max_retries, 'max_retries', role, 0) ?? DEFAULTS.max_retries,
    retryBaseMs: envNum(env, 'BATON_RETRY_BASE_MS', 0) ?? num(cfg.retry_base_ms, 'retry_base_ms', role, 0) ?? DEFAULTS.retry_base_ms,
    maxRepairs: num(cfg.max_repairs, 'max_repairs', role, 0) ?? DEFAULTS.max_repairs,
    structuredOutput: cfg.structured_output !== false,
    maxTokens: num(cfg.max_tokens, 'max_tokens', role, 1),
    temperature: num(cfg.temperature, 'temperature', role, 0),
  };
}
