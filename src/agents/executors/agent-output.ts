/**
 * What an agent CLI's JSON output says happened: its final text, an error
 * (classified: bad credentials, a rate or usage limit, anything else) and the
 * tokens it spent. The exit code alone lies: qwen exits 0 on a 401, gemini
 * writes its error JSON to stderr, claude sets `is_error` with exit 1. Pure:
 * text in, data out; untrusted, so every field is checked before use.
 */
import { limitResetAt } from './limit-reset.js';

export type OutputFormat = 'claude-json' | 'qwen-json' | 'gemini-json' | 'codex-jsonl' | 'opencode-json' | 'copilot-json';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['claude-json', 'qwen-json', 'gemini-json', 'codex-jsonl', 'opencode-json', 'copilot-json'];

export type AgentErrorKind = 'auth' | 'limit' | 'error';

export interface AgentOutput {
  /** The agent's final answer, when it gave one. */
  text?: string;
  error?: {
    kind: AgentErrorKind;
    message: string;
    /** A limit's end, when its words name one (limit-reset.ts). */
    resetAt?: Date;
  };
  usage?: { model: string; promptTokens: number; completionTokens: number; costUsd?: number; calls: number };
}

/** As parsed, with the error's whole text (a reset is often past the shortened message). */
interface Parsed extends AgentOutput {
  error?: NonNullable<AgentOutput['error']> & { raw?: string };
}

type Obj = Record<string, unknown>;

const MAX_MESSAGE = 500;

/** `model`: the one baton told the CLI to use, for a CLI whose JSON does not name it (codex). */
export function readAgentOutput(format: OutputFormat, stdout: string, stderr: string, exitCode: number | null, model?: string, now = new Date()): AgentOutput {
  const parsed: Parsed = format === 'claude-json' ? claude(stdout)
    : format === 'qwen-json' ? qwen(stdout)
    : format === 'gemini-json' ? gemini(stdout, stderr)
    : format === 'codex-jsonl' ? codex(stdout, model)
    : format === 'opencode-json' ? opencode(stdout, model)
    : copilot(stdout);
  // No JSON at all and a non-zero exit: the words on stderr may still say what it was.
  if (!parsed.error && exitCode !== 0 && exitCode !== null) {
    const kind = classify(undefined, stderr);
    if (kind !== 'error') parsed.error = { kind, message: lastLines(stderr), raw: stderr };
  }
  const { error } = parsed;
  if (error) {
    // The whole error text, not the shortened message: a reset is often at its end (gemini's RetryInfo).
    const resetAt = error.kind === 'limit' ? limitResetAt(error.raw ?? error.message, now) : undefined;
    delete error.raw;
    if (resetAt) error.resetAt = resetAt;
  }
  return parsed;
}

/** 401/403 and their words are credentials; 429 and its words a limit to wait out. */
export function classify(status: unknown, message: string): AgentErrorKind {
  const code = typeof status === 'number' ? status : Number.parseInt(String(status ?? ''), 10);
  if (code === 401 || code === 403) return 'auth';
  if (code === 429) return 'limit';
  if (/\b401\b|unauthori[sz]ed|authentication[_ ]error|invalid[ _-]?(x-)?api[ _-]?key|api key (is )?not valid|UNAUTHENTICATED/i.test(message)) return 'auth';
  if (/\b429\b|rate[ _-]?limit|usage limit|quota|RESOURCE_EXHAUSTED|overloaded|-hour limit/i.test(message)) return 'limit';
  return 'error';
}

function claude(stdout: string): Parsed {
  const r = lastJson(stdout, (v) => isObj(v) && v.type === 'result');
  if (!r) return {};
  const out: Parsed = {};
  const text = str(r.result);
  if (r.is_error === true) out.error = { kind: classify(r.api_error_status, text ?? ''), message: cut(text || str(r.subtype) || 'error'), raw: text };
  else if (text !== undefined) out.text = text;
  const models = isObj(r.modelUsage) ? Object.keys(r.modelUsage) : [];
  const u = isObj(r.usage) ? r.usage : {};
  const prompt = num(u.input_tokens) + num(u.cache_creation_input_tokens) + num(u.cache_read_input_tokens);
  const completion = num(u.output_tokens);
  if (prompt || completion) {
    out.usage = {
      model: models.join('+') || 'claude',
      promptTokens: prompt,
      completionTokens: completion,
      costUsd: typeof r.total_cost_usd === 'number' && Number.isFinite(r.total_cost_usd) ? r.total_cost_usd : undefined,
      calls: Math.max(1, num(r.num_turns)),
    };
  }
  return out;
}

/** qwen writes an array of messages (or one a line); the last `result` holds the outcome. */
function qwen(stdout: string): Parsed {
  const all = parseJsonish(stdout);
  const messages = all.flatMap((v) => (Array.isArray(v) ? v : [v])).filter(isObj);
  const r = messages.filter((m) => m.type === 'result').at(-1);
  if (!r) return {};
  const out: Parsed = {};
  const text = str(r.result);
  const errorText = isObj(r.error) ? str(r.error.message) : undefined;
  // qwen may report a failed call as a success whose text is the API error.
  const apiError = text && /^\s*\[?API Error/i.test(text) ? text : undefined;
  if (r.is_error === true || errorText || apiError) {
    const message = errorText || apiError || text || 'error';
    out.error = { kind: classify(undefined, message), message: cut(message), raw: message };
  } else if (text !== undefined) out.text = text;
  const init = messages.find((m) => m.type === 'system' && m.subtype === 'init');
  const statsModels = isObj(r.stats) && isObj(r.stats.models) ? Object.keys(r.stats.models) : [];
  const u = isObj(r.usage) ? r.usage : {};
  const prompt = num(u.input_tokens);
  const completion = num(u.output_tokens);
  if (prompt || completion) {
    out.usage = {
      model: statsModels.join('+') || str(init?.model) || 'qwen',
      promptTokens: prompt,
      completionTokens: completion,
      calls: Math.max(1, num(r.num_turns)),
    };
  }
  return out;
}

/** gemini: `{response, stats, error}` on stdout, or its error JSON on stderr with exit 145 (401) / 173 (429). */
function gemini(stdout: string, stderr: string): Parsed {
  const r = lastJson(stdout, (v) => isObj(v) && ('response' in v || 'error' in v)) ?? lastJson(stderr, (v) => isObj(v) && 'error' in v);
  if (!r) return {};
  const out: Parsed = {};
  if (isObj(r.error)) {
    // Its message is often the API's own error body, as JSON text.
    const raw = str(r.error.message) ?? 'error';
    const inner = tryJson(raw.trim());
    const message = isObj(inner) && isObj(inner.error) ? str(inner.error.message) ?? raw : raw;
    out.error = { kind: classify(r.error.code, `${message} ${str(r.error.status) ?? ''}`), message: cut(message), raw };
  } else if (typeof r.response === 'string') out.text = r.response;
  const models = isObj(r.stats) && isObj(r.stats.models) ? r.stats.models : {};
  let prompt = 0;
  let completion = 0;
  let calls = 0;
  for (const m of Object.values(models)) {
    if (!isObj(m)) continue;
    const t = isObj(m.tokens) ? m.tokens : {};
    prompt += num(t.prompt);
    completion += num(t.candidates);
    calls += isObj(m.api) ? num(m.api.totalRequests) : 0;
  }
  if (prompt || completion) out.usage = { model: Object.keys(models).join('+') || 'gemini', promptTokens: prompt, completionTokens: completion, calls: Math.max(1, calls) };
  return out;
}

/**
 * codex --json: one event a line; the last agent message is the answer, `turn.completed` has the
 * tokens (no model name: `model` is the one baton configured). Its `error` events include passing
 * ones ("Reconnecting... 2/5"): an error counts when its turn failed, or no turn completed after it.
 */
function codex(stdout: string, model = 'codex'): Parsed {
  const events = parseJsonish(stdout).filter(isObj);
  const out: Parsed = {};
  let prompt = 0;
  let completion = 0;
  let calls = 0;
  let failed: string | undefined;
  let pending: string | undefined;
  for (const e of events) {
    const item = isObj(e.item) ? e.item : undefined;
    if (e.type === 'item.completed' && item?.type === 'agent_message' && typeof item.text === 'string') out.text = item.text;
    if (e.type === 'turn.completed') {
      pending = undefined;
      if (isObj(e.usage)) {
        prompt += num(e.usage.input_tokens);
        completion += num(e.usage.output_tokens);
        calls++;
      }
    }
    if (e.type === 'error') pending = str(e.message) ?? pending;
    if (e.type === 'turn.failed') failed = (isObj(e.error) ? str(e.error.message) : undefined) ?? pending ?? 'the turn failed';
  }
  const failure = failed ?? pending;
  if (failure) out.error = { kind: classify(undefined, failure), message: cut(failure), raw: failure };
  if (prompt || completion) out.usage = { model, promptTokens: prompt, completionTokens: completion, calls };
  return out;
}

/**
 * opencode run --format json: one event a line; the `text` parts of its last message are the
 * answer, each `step_finish` has that step's tokens (and a cost when its model is priced in its
 * config), an `error` event the API's words and status. Its JSON names no model either.
 */
function opencode(stdout: string, model = 'opencode'): AgentOutput {
  const out: Parsed = {};
  let textOf: unknown;
  const texts: string[] = [];
  let prompt = 0;
  let completion = 0;
  let cost = 0;
  let calls = 0;
  for (const e of parseJsonish(stdout).filter(isObj)) {
    const part = isObj(e.part) ? e.part : {};
    if (e.type === 'text' && typeof part.text === 'string') {
      if (part.messageID !== textOf) texts.length = 0;
      textOf = part.messageID;
      texts.push(part.text);
    }
    if (e.type === 'step_finish' && isObj(part.tokens)) {
      const t = part.tokens;
      const cache = isObj(t.cache) ? t.cache : {};
      prompt += num(t.input) + num(cache.read) + num(cache.write);
      completion += num(t.output) + num(t.reasoning);
      if (typeof part.cost === 'number' && Number.isFinite(part.cost) && part.cost > 0) cost += part.cost;
      calls++;
    }
    if (e.type === 'error' && isObj(e.error)) {
      const data = isObj(e.error.data) ? e.error.data : {};
      const message = str(data.message) ?? str(e.error.name) ?? 'error';
      out.error = { kind: classify(data.statusCode, message), message: cut(message) };
    }
  }
  if (texts.length) out.text = texts.join('\n');
  if (prompt || completion) out.usage = { model, promptTokens: prompt, completionTokens: completion, calls, ...(cost ? { costUsd: cost } : {}) };
  return out;
}

/**
 * copilot --output-format json: one event a line; its last `assistant.message` that asks for no
 * tool is the answer, a `session.error` (`errorType` authentication / rate_limit, `statusCode`) its
 * failure. Its JSON has no tokens: its spend is not counted.
 */
function copilot(stdout: string): AgentOutput {
  const out: Parsed = {};
  for (const e of parseJsonish(stdout).filter(isObj)) {
    const data = isObj(e.data) ? e.data : {};
    const asks = Array.isArray(data.toolRequests) && data.toolRequests.length > 0;
    if (e.type === 'assistant.message' && !asks && typeof data.content === 'string') out.text = data.content;
    if (e.type === 'session.error') {
      const message = str(data.message) ?? str(data.errorType) ?? 'error';
      const status = data.statusCode ?? (data.errorType === 'authentication' ? 401 : data.errorType === 'rate_limit' ? 429 : undefined);
      out.error = { kind: classify(status, message), message: cut(message) };
    }
  }
  return out;
}

/**
 * Whole-text JSON, else one value a line, plus a pretty-printed value that
 * ends the text after other output (gemini's error after a stack trace).
 */
function parseJsonish(text: string): unknown[] {
  const whole = tryJson(text.trim());
  if (whole !== undefined) return [whole];
  const lines = text.split('\n').map((l) => tryJson(l.trim())).filter((v) => v !== undefined);
  const start = text.lastIndexOf('\n{');
  const rest = start >= 0 ? text.slice(start + 1).trim() : '';
  // One line is already among `lines`.
  const tail = rest.includes('\n') ? tryJson(rest) : undefined;
  return tail === undefined ? lines : [...lines, tail];
}

function lastJson(text: string, match: (v: unknown) => boolean): Obj | undefined {
  const found = parseJsonish(text).flatMap((v) => (Array.isArray(v) ? v : [v])).filter(match);
  return found.at(-1) as Obj | undefined;
}

function tryJson(text: string): unknown {
  if (!text || !/^[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0);
const cut = (s: string): string => (s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s);
const lastLines = (s: string): string => cut(s.trim().split('\n').slice(-3).join('\n'));
