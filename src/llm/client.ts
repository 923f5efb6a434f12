/**
 * One role's model over any OpenAI-compatible Chat Completions endpoint. The
 * only file that imports `openai`. baton does its own retries (the SDK's are
 * turned off) so that backoff is configurable, Retry-After is honoured up to
 * a limit, and each wait is reported while it happens.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { BatonError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import type { Config } from '../workspace/config.js';
import { extractJson } from './json-text.js';
import { costOf } from './prices.js';
import { backoffMs, interrupted, isRetryableStatus, MAX_RETRY_AFTER_MS, retryAfterMs, sleep } from './retry.js';
import { coerce, validateSchema, type JsonSchema } from './schema.js';
import { roleSettings, type RoleSettings } from './settings.js';

/** What a call cost: tokens, calls, dollars. memory/usage.ts records it in memory. */
export interface Usage {
  role: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  /** Undefined when the model has no price (`prices:` in config.yaml sets one). */
  costUsd?: number;
  /** HTTP calls it took (retries and repairs included). */
  calls: number;
  /** What it served: `plan`, `review R-002`, a task id. */
  purpose?: string;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface Progress {
  kind: 'call' | 'retry' | 'repair' | 'fallback' | 'done';
  message: string;
}

export interface ModelOptions {
  env?: Record<string, string | undefined>;
  /** Abort (Ctrl-C): the call in flight and any wait stop at once. */
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export interface ChatResult<T> {
  value: T;
  /** The answer's text as the model wrote it (of the last, accepted try). */
  text: string;
  usage: Usage;
  costUsd?: number;
  model: string;
}

export interface ChatJsonOptions<T> {
  messages: ChatMessage[];
  schema: JsonSchema;
  /** Name sent with `response_format` (letters, digits, `_`, `-`). */
  schemaName: string;
  /** Text → value; default finds JSON in the text (fenced or among prose). Throw or return {error} to reject. */
  parse?: (text: string) => { ok: true; value: unknown } | { ok: false; error: string };
  /** Checks beyond the schema (e.g. the plan has no cycle); return an error to send back to the model. */
  validate?: (value: T) => string | undefined;
}

export interface Model {
  settings: RoleSettings;
  chatJson<T>(opts: ChatJsonOptions<T>): Promise<ChatResult<T>>;
  chatText(opts: { messages: ChatMessage[] }): Promise<ChatResult<string>>;
}

/**
 * A failed call that still cost tokens: answers the endpoint returned and baton
 * refused (truncated, invalid, a refusal). The use case records `usage` before
 * it reports the failure, so `baton cost` and `--budget-usd` count what is billed.
 */
export class ModelError extends BatonError {
  constructor(message: string, readonly usage: Usage, details: ConstructorParameters<typeof BatonError>[1] = {}) {
    super(message, details);
    this.name = 'ModelError';
  }
}

/** Tokens a failure cost, if the error carries them (a ModelError after at least one answer). */
export function usageOf(error: unknown): Usage | undefined {
  const usage = error instanceof ModelError ? error.usage : undefined;
  return usage && usage.promptTokens + usage.completionTokens > 0 ? usage : undefined;
}

export function createModel(config: Config, role: string, opts: ModelOptions = {}): Model {
  const settings = roleSettings(config, role, opts.env ?? process.env);
  const http = new Http();
  const client = new OpenAI({
    apiKey: settings.apiKey, baseURL: settings.baseURL, timeout: settings.timeoutMs, maxRetries: 0, fetch: http.fetch,
  });
  const session = new Session(client, settings, config, opts, http);
  return {
    settings,
    chatJson: (o) => session.chatJson(o),
    chatText: (o) => session.chatText(o),
  };
}

class Session {
  /** Set when the endpoint refused `response_format`; later calls go without it. */
  private noStructured: boolean;

  constructor(
    private readonly client: OpenAI,
    private readonly s: RoleSettings,
    private readonly config: Config,
    private readonly opts: ModelOptions,
    private readonly http: Http,
  ) {
    this.noStructured = !s.structuredOutput;
  }

  private progress(kind: Progress['kind'], message: string): void {
    this.opts.onProgress?.({ kind, message });
  }

  async chatJson<T>(o: ChatJsonOptions<T>): Promise<ChatResult<T>> {
    const usage = this.emptyUsage();
    let messages = [...o.messages];
    for (let repair = 0; ; repair++) {
      const res = await this.call(messages, { name: o.schemaName, schema: o.schema }, usage);
      const choice = res.choices[0];
      const text = choice?.message?.content ?? '';
      this.refused(choice, text, usage);
      const truncated = choice?.finish_reason === 'length';
      const checked = truncated ? { ok: false as const, error: 'the answer was cut off at the output limit (finish_reason: length)' } : this.check(text, o);
      if (checked.ok) return this.result(checked.value as T, text, usage);
      if (repair >= this.s.maxRepairs || ('noRepair' in checked && checked.noRepair)) {
        this.priced(usage);
        throw new ModelError(redact(`the ${this.s.role} model (\`${this.s.model}\`) gave no usable answer in ${repair + 1} tr${repair ? 'ies' : 'y'}: ${checked.error}`), usage, {
          hint: `Nothing was written but the usage. Try again, raise \`models.${this.s.role}.max_repairs\` or \`max_tokens\`, use a stronger model, ` +
            `or answer by copy and paste (\`--prompt\`, then \`--import\`). ${usageLine(usage)}`,
        });
      }
      this.progress('repair', `${this.s.role}: ${checked.error.split('\n')[0]}; asking the model again (${repair + 1}/${this.s.maxRepairs})`);
      messages = truncated
        // A cut-off answer is not worth sending back: ask for the whole thing again, shorter.
        ? [...o.messages, { role: 'user', content: 'Your previous answer was cut off at the output token limit (finish_reason: length). Answer again, complete, in fewer words: shorter texts, no commentary, only the JSON.' }]
        : [...messages, { role: 'assistant', content: text }, { role: 'user', content: `Your answer could not be used: ${checked.error}\nReply again with the complete corrected answer: one JSON object matching the schema, nothing else.` }];
    }
  }

  async chatText(o: { messages: ChatMessage[] }): Promise<ChatResult<string>> {
    const usage = this.emptyUsage();
    const res = await this.call(o.messages, undefined, usage);
    const text = res.choices[0]?.message?.content ?? '';
    this.refused(res.choices[0], text, usage);
    return this.result(text, text, usage);
  }

  /** A refusal (`message.refusal`, or finish_reason `content_filter`) is the model's answer: said as such, never asked again. */
  private refused(choice: ChatCompletion['choices'][number] | undefined, text: string, usage: Usage): void {
    const refusal = choice?.message?.refusal;
    const filtered = choice?.finish_reason === 'content_filter';
    if (!refusal && !(filtered && !text.trim())) return;
    this.priced(usage);
    const said = refusal ? `: ${firstLine(String(refusal))}` : ' (finish_reason: content_filter)';
    throw new ModelError(redact(`the ${this.s.role} model (\`${this.s.model}\`) refused to answer${said}`), usage, {
      hint: `Nothing was written but the usage. Reword the request, or use another model for \`${this.s.role}\`. ${usageLine(usage)}`,
    });
  }

  private priced(usage: Usage): void {
    usage.costUsd = costOf(this.config, usage.model, usage.promptTokens, usage.completionTokens);
  }

  /** `noRepair`: the validator said asking again will not help (its error has `noRepair: true`). */
  private check<T>(text: string, o: ChatJsonOptions<T>): { ok: true; value: unknown } | { ok: false; error: string; noRepair?: boolean } {
    let found;
    try {
      found = (o.parse ?? extractJson)(text);
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    if (!found.ok) return found;
    const value = coerce(found.value, o.schema);
    const errors = validateSchema(value, o.schema);
    if (errors.length) {
      const more = errors.length > 8 ? `\n(and ${errors.length - 8} more)` : '';
      return { ok: false, error: `it does not match the schema:\n${errors.slice(0, 8).join('\n')}${more}` };
    }
    try {
      const semantic = o.validate?.(value as T);
      return semantic ? { ok: false, error: semantic } : { ok: true, value };
    } catch (error) {
      if (error instanceof BatonError) {
        return { ok: false, error: error.hint ? `${error.message} (${error.hint})` : error.message, noRepair: (error as { noRepair?: boolean }).noRepair === true };
      }
      throw error;
    }
  }

  private emptyUsage(): Usage {
    return { role: this.s.role, model: this.s.model, promptTokens: 0, completionTokens: 0, calls: 0 };
  }

  private result<T>(value: T, text: string, usage: Usage): ChatResult<T> {
    this.priced(usage);
    this.progress('done', `${this.s.role}: ${usageLine(usage)}`);
    return { value, text, usage, costUsd: usage.costUsd, model: usage.model };
  }

  /** One completion, retried on 429, 5xx, timeouts and dropped connections. */
  private async call(messages: ChatMessage[], format: { name: string; schema: JsonSchema } | undefined, usage: Usage): Promise<ChatCompletion> {
    const where = redact(this.s.baseURL ?? 'api.openai.com');
    for (let attempt = 0; ; attempt++) {
      const body: ChatCompletionCreateParamsNonStreaming = {
        model: this.s.model,
        messages: messages as ChatCompletionMessageParam[],
        ...(format && !this.noStructured
          ? { response_format: { type: 'json_schema', json_schema: { name: format.name, schema: format.schema as Record<string, unknown>, strict: false } } }
          : {}),
        ...(this.s.maxTokens ? { max_completion_tokens: this.s.maxTokens } : {}),
        ...(this.s.temperature !== undefined ? { temperature: this.s.temperature } : {}),
      };
      this.progress('call', `${this.s.role} ${this.s.model}`);
      usage.calls++;
      // One deadline for the whole call, headers and body: the SDK's own timeout stops at the headers,
      // and a server that sends 200 and then trickles bytes would hold the run forever.
      // It starts when the request goes out, as the SDK's does (not while the SDK prepares it).
      const deadline = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const signal = this.opts.signal ? AbortSignal.any([this.opts.signal, deadline.signal]) : deadline.signal;
      this.http.last = undefined;
      this.http.onSend = () => void (timer ??= setTimeout(() => deadline.abort(), this.s.timeoutMs));
      try {
        const res = await this.client.chat.completions.create(body, { signal, timeout: this.s.timeoutMs, maxRetries: 0 });
        usage.promptTokens += res.usage?.prompt_tokens ?? 0;
        usage.completionTokens += res.usage?.completion_tokens ?? 0;
        if (!res.choices?.length) throw new ModelError(`${where} answered with no choices`, usage, { hint: 'Check that `base_url` points at a Chat Completions endpoint (it usually ends in `/v1`).' });
        return res;
      } catch (caught) {
        if (this.opts.signal?.aborted) throw interrupted();
        const error = deadline.signal.aborted ? new APIConnectionTimeoutError() : caught;
        if (error instanceof APIUserAbortError) throw interrupted();
        if (error instanceof BatonError) throw error;
        const raw = this.http.last;
        if (format && !this.noStructured && refusesStructuredOutput(error, raw)) {
          // Not a failure of the call: this endpoint has no json_schema; ask in words instead.
          this.noStructured = true;
          this.progress('fallback', `${where} does not take response_format json_schema; asking for JSON in the prompt instead`);
          attempt--;
          continue;
        }
        const failure = describe(error, this.s, raw);
        failure.message = redact(failure.message);
        if (!failure.retry || attempt >= this.s.maxRetries) {
          this.priced(usage);
          throw new ModelError(`${this.s.role} model \`${this.s.model}\` at ${where}: ${failure.message}` +
            (failure.retry ? ` (gave up after ${attempt + 1} attempt${attempt ? 's' : ''})` : ''), usage, {
            hint: `${failure.hint ?? 'Try again later.'} Nothing was written.`, cause: error,
          });
        }
        const after = error instanceof APIError ? retryAfterMs(error.headers) : undefined;
        if (after !== undefined && after > MAX_RETRY_AFTER_MS) {
          throw new ModelError(`${this.s.role} model \`${this.s.model}\`: ${failure.message}; the server asks to wait ${Math.round(after / 1000)}s`, usage, {
            hint: 'Try again later, or use another model or endpoint. Nothing was written.', cause: error,
          });
        }
        const wait = after ?? backoffMs(attempt, this.s.retryBaseMs);
        this.progress('retry', `${failure.message}; retrying in ${formatMs(wait)} (attempt ${attempt + 2} of ${this.s.maxRetries + 1})`);
        await sleep(wait, this.opts.signal);
      } finally {
        clearTimeout(timer);
        this.http.onSend = undefined;
      }
    }
  }
}

/**
 * The client's fetch: says when a request goes out (the call's deadline starts
 * then), and keeps the last error body the endpoint sent. The SDK reads only
 * `{"error": …}` from it; FastAPI (vLLM, many gateways) puts its complaint in
 * `detail`, others send plain text: wanted for the message and the fallback.
 */
class Http {
  last: string | undefined;
  onSend: (() => void) | undefined;

  readonly fetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    this.onSend?.();
    const res = await globalThis.fetch(url, init);
    if (res.status >= 400) {
      try {
        this.last = (await res.clone().text()).slice(0, 4000);
      } catch {
        this.last = undefined; // the body did not come: the SDK reports the failure
      }
    }
    return res;
  };
}

/** What an error body says, from `error.message`, FastAPI's `detail` (text or a list of `{loc, msg}`), `message`, or the text itself. */
export function complaintOf(raw: string | undefined): string | undefined {
  if (!raw?.trim()) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return raw.trim();
  }
  const b = body as { error?: { message?: unknown } | string; detail?: unknown; message?: unknown };
  if (typeof b.error === 'string') return b.error;
  if (b.error && typeof b.error.message === 'string') return b.error.message;
  if (typeof b.detail === 'string') return b.detail;
  if (Array.isArray(b.detail)) {
    return b.detail.map((d: { loc?: unknown[]; msg?: unknown }) => (Array.isArray(d?.loc) ? `${d.loc.join('.')}: ` : '') + String(d?.msg ?? JSON.stringify(d))).join('; ');
  }
  if (typeof b.message === 'string') return b.message;
  return raw.trim();
}

function refusesStructuredOutput(error: unknown, raw: string | undefined): boolean {
  if (!(error instanceof APIError) || !error.status || ![400, 404, 415, 422, 501].includes(error.status)) return false;
  return /response_format|json_schema|structured|grammar/i.test(`${error.message} ${JSON.stringify(error.error ?? '')} ${raw ?? ''}`);
}

/** A connection that dropped after the headers (undici's `TypeError: terminated`, a reset socket). */
function droppedMidBody(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = error.cause as { code?: string; message?: string } | undefined;
  const codes = ['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_ABORTED', 'ECONNABORTED'];
  return (error instanceof TypeError && /^terminated$/i.test(error.message)) || codes.includes(cause?.code ?? '') ||
    codes.includes((error as { code?: string }).code ?? '');
}

function describe(error: unknown, s: RoleSettings, raw?: string): { message: string; retry: boolean; hint?: string } {
  if (error instanceof APIConnectionTimeoutError) {
    return { message: `no answer within ${s.timeoutMs / 1000}s (timeout)`, retry: true, hint: `Raise \`models.${s.role}.timeout_s\` in .agents/config.yaml if the model is slow.` };
  }
  if (error instanceof APIConnectionError) {
    return { message: `cannot connect (${(error.cause as Error | undefined)?.message ?? error.message})`, retry: true, hint: 'Check `base_url` and that the server is running.' };
  }
  if (droppedMidBody(error)) {
    return { message: 'the connection dropped before the answer was complete', retry: true, hint: 'Check `base_url` and the network, or try again later.' };
  }
  if (error instanceof APIError) {
    const status = error.status;
    const said = error.error === undefined || error.error === null ? complaintOf(raw) : undefined;
    const text = firstLine(said ? `${status ?? ''} ${said}`.trim() : error.message);
    if (status === 401 || status === 403) return { message: `the key was refused (${status}): ${text}`, retry: false, hint: `Check the key in \`${s.apiKeyEnv}\`.` };
    if (status === 404) return { message: `not found (404): ${text}`, retry: false, hint: `Check \`models.${s.role}.model\` and \`base_url\` (it usually ends in \`/v1\`).` };
    if (status === 429) return { message: `rate limited (429): ${text}`, retry: true, hint: 'Wait, or raise your rate limit with the provider.' };
    const retry = isRetryableStatus(status);
    return { message: `HTTP ${status ?? 'error'}: ${text}`, retry, hint: status && status >= 500 ? 'The provider is failing; try again later.' : retry ? undefined : 'Fix what the endpoint says; trying again will not help.' };
  }
  return { message: error instanceof Error ? error.message : String(error), retry: false, hint: 'See the message above.' };
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 300);
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)}s` : `${ms}ms`;
}

export function usageLine(u: Usage): string {
  const cost = u.costUsd === undefined ? '' : `, $${u.costUsd.toFixed(4)}`;
  return `${u.promptTokens} prompt + ${u.completionTokens} completion tokens${cost}, ${u.calls} call${u.calls === 1 ? '' : 's'}.`;
}
