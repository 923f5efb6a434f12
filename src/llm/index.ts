/**
 * Models per role over any OpenAI-compatible endpoint: structured output,
 * retries, timeouts, usage and cost. `openai` is imported only here (client.ts).
 *
 * For the planner, the reviewer and the implementer:
 *
 *   const model = createModel(project.config, 'implementer', { env: process.env, signal, onProgress });
 *   const { value, text, usage, costUsd, model: name } = await model.chatJson<Answer>({
 *     messages: [{ role: 'system', content: … }, { role: 'user', content: … }],
 *     schema, schemaName: 'answer',          // JSON Schema subset (schema.ts)
 *     parse,                                 // optional: text → value (default: JSON in the text)
 *     validate: (v) => problem | undefined,  // optional: beyond the schema; the problem goes back to the model
 *   });
 *   const { value: reply } = await model.chatText({ messages });
 *   await recordUsage(root, taskId, { ...usage, purpose: 'run T-7f3a' }); // memory/usage.ts; 'project' for plan and review calls
 *
 * chatText retries HTTP failures like chatJson but does not check or repair the answer.
 *
 * Settings (`models.<role>` in config.yaml): model, base_url, api_key_env,
 * timeout_s, max_retries, retry_base_ms, max_repairs, max_tokens, temperature,
 * structured_output (false: never send response_format). Env: the key variable,
 * OPENAI_BASE_URL, BATON_TIMEOUT_S, BATON_MAX_RETRIES, BATON_RETRY_BASE_MS.
 *
 * Failures are BatonErrors that say what happened and that nothing was written;
 * Ctrl-C (abort of `signal`) gives one with exit code 130. A truncated
 * (`finish_reason: length`), unparseable or invalid answer is sent back to the
 * model with the error, at most `max_repairs` times. Endpoints that refuse
 * `response_format` are asked again without it (the prompt carries the schema).
 *
 * Modules that must not load the SDK (`baton cost`, `--import`) import
 * schema.ts, json-text.ts or prices.ts directly (usage records: memory/usage.ts), not this file.
 */
export { createModel, usageLine, type ChatMessage, type ChatResult, type ChatJsonOptions, type Model, type ModelOptions, type Progress } from './client.js';
export { extractJson } from './json-text.js';
export { costOf, priceOf, DEFAULT_PRICES } from './prices.js';
export { coerce, validateSchema, type JsonSchema } from './schema.js';
export { roleSettings, type RoleSettings } from './settings.js';
export type { Usage } from './client.js';
