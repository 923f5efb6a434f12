/**
 * `baton models check`: one tiny call per role through the same client the
 * planner, reviewer and implementer use, to know before a long run that each
 * endpoint answers, with which model, how fast, and whether it takes
 * `response_format: json_schema` (else baton asks for JSON in words).
 */
import { redact } from '../core/redact.js';
import type { Config } from '../workspace/config.js';
import { createModel, type Progress } from './client.js';
import type { JsonSchema } from './schema.js';

export interface RoleCheck {
  role: string;
  model: string;
  endpoint: string;
  ok: boolean;
  latencyMs?: number;
  /** true: json_schema output accepted; false: the endpoint refused it (baton falls back to JSON in words). */
  jsonSchema?: boolean;
  /** The executor when it is an agent CLI (the model is not called through the API then). */
  executor?: string;
  error?: string;
  hint?: string;
}

const SCHEMA: JsonSchema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };

export async function checkRole(config: Config, role: string, env: Record<string, string | undefined>, signal?: AbortSignal): Promise<RoleCheck> {
  const cfg = config.models[role] as { model?: string; executor?: string; base_url?: string } | undefined;
  const executor = cfg?.executor && cfg.executor !== 'api' ? cfg.executor : undefined;
  const endpoint = redact(cfg?.base_url || env.OPENAI_BASE_URL || 'https://api.openai.com/v1');
  const base = { role, model: cfg?.model ?? '', endpoint };
  if (executor) return { ...base, ok: true, executor };
  let fellBack = false;
  const onProgress = (p: Progress) => { if (p.kind === 'fallback') fellBack = true; };
  const started = performance.now();
  try {
    // One try: a check reports a failing endpoint, it does not wait it out.
    const model = createModel(config, role, { env: { ...env, BATON_MAX_RETRIES: '0' }, signal, onProgress });
    await model.chatJson<{ ok: boolean }>({
      messages: [{ role: 'user', content: 'Reply with the JSON object {"ok": true} and nothing else.' }],
      schema: SCHEMA,
      schemaName: 'check',
    });
    return { ...base, ok: true, latencyMs: Math.round(performance.now() - started), jsonSchema: !fellBack };
  } catch (error) {
    const e = error as { message?: string; hint?: string; exitCode?: number };
    if (e.exitCode === 130) throw error;
    return { ...base, ok: false, latencyMs: Math.round(performance.now() - started), error: redact(e.message ?? String(error)), hint: e.hint && redact(e.hint) };
  }
}

/** Every role in the config, one after the other (a check is a handful of calls). */
export async function checkModels(config: Config, env: Record<string, string | undefined>, roles?: string[], signal?: AbortSignal): Promise<RoleCheck[]> {
  const out: RoleCheck[] = [];
  for (const role of roles?.length ? roles : Object.keys(config.models)) out.push(await checkRole(config, role, env, signal));
  return out;
}
