/**
 * A real HTTP server on 127.0.0.1 that speaks the Chat Completions API with
 * scripted answers, so tests drive the real `openai` client. Each request
 * takes the next step of the script; the last step repeats when the script runs out.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Step =
  /** A normal answer: the content, finish_reason `stop`, and usage. */
  | { content: string; finishReason?: 'stop' | 'length'; usage?: { prompt_tokens: number; completion_tokens: number }; delayMs?: number; gate?: Promise<unknown> }
  /** Any HTTP status, headers and JSON body (429, 500, 400 …). */
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** Accept the request and never answer. */
  | { hang: true }
  /** Answer with `content`, or refuse with 400 when the request carries `response_format`. */
  | { noStructuredOutput: true; content: string; usage?: { prompt_tokens: number; completion_tokens: number } }
  /** 200 and the headers, then one byte of a body every `everyMs` (default 50), never finishing. */
  | { trickle: true; everyMs?: number }
  /** 200, the headers and half of a body, then the socket is destroyed (undici: `TypeError: terminated`). */
  | { reset: true }
  /** A gateway that echoes the request's Authorization header in its error (status default 401). */
  | { echoKey: true; status?: number }
  /** The model refuses: `message.refusal` set, no content. */
  | { refusal: string; usage?: { prompt_tokens: number; completion_tokens: number } };

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
    [key: string]: unknown;
  };
}

export interface ChatServer {
  url: string;
  requests: RecordedRequest[];
  /** Total usage the server reported in its answers. */
  reported: { prompt_tokens: number; completion_tokens: number };
  /** Resolves once `n` requests have arrived (a step with a `gate` answers only when its promise resolves). */
  arrived(n: number): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_USAGE = { prompt_tokens: 1000, completion_tokens: 500 };

export async function startChatServer(script: Step[]): Promise<ChatServer> {
  const requests: RecordedRequest[] = [];
  const reported = { prompt_tokens: 0, completion_tokens: 0 };
  let next = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const wake = () => {
    for (const w of waiters.filter((x) => requests.length >= x.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  const answer = (res: ServerResponse, body: RecordedRequest['body'], content: string, finish: string, usage: typeof DEFAULT_USAGE) => {
    reported.prompt_tokens += usage.prompt_tokens;
    reported.completion_tokens += usage.completion_tokens;
    send(res, 200, {
      id: `chatcmpl-${requests.length}`,
      object: 'chat.completion',
      created: 1_764_000_000,
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish, logprobs: null }],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    });
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const path = req.url ?? '';
      if (req.method !== 'POST' || !/\/(v1\/)?chat\/completions$/.test(path)) {
        return send(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } });
      }
      const body = JSON.parse(raw) as RecordedRequest['body'];
      requests.push({ path, headers: req.headers, body });
      wake();
      const step = script[Math.min(next++, script.length - 1)];
      if (!step) return send(res, 500, { error: { message: 'empty script' } });
      if ('hang' in step) return; // the client's timeout must end this
      if ('trickle' in step) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id": "chatcmpl-trickle"');
        const timer = setInterval(() => res.write(' '), step.everyMs ?? 50);
        res.on('close', () => clearInterval(timer));
        return;
      }
      if ('reset' in step) {
        const whole = JSON.stringify({ id: 'chatcmpl-reset', object: 'chat.completion', choices: [] });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(whole.length) });
        res.write(whole.slice(0, whole.length >> 1), () => res.socket?.destroy());
        return;
      }
      if ('echoKey' in step) {
        return send(res, step.status ?? 401, { error: { message: `Incorrect API key provided: ${String(req.headers.authorization ?? '').replace(/^Bearer /, '')}`, type: 'invalid_request_error' } });
      }
      if ('refusal' in step) {
        const usage = step.usage ?? DEFAULT_USAGE;
        reported.prompt_tokens += usage.prompt_tokens;
        reported.completion_tokens += usage.completion_tokens;
        return send(res, 200, {
          id: `chatcmpl-${requests.length}`, object: 'chat.completion', created: 1_764_000_000, model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: step.refusal }, finish_reason: 'stop', logprobs: null }],
          usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
        });
      }
      if ('status' in step) return send(res, step.status, step.body ?? { error: { message: `scripted ${step.status}` } }, step.headers);
      if ('noStructuredOutput' in step) {
        if (body.response_format) {
          return send(res, 400, { error: { message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.", type: 'invalid_request_error', param: 'response_format' } });
        }
        return answer(res, body, step.content, 'stop', step.usage ?? DEFAULT_USAGE);
      }
      const respond = () => answer(res, body, step.content, step.finishReason ?? 'stop', step.usage ?? DEFAULT_USAGE);
      if (step.gate) void step.gate.then(respond);
      else if (step.delayMs) setTimeout(respond, step.delayMs);
      else respond();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    reported,
    arrived: (n) => new Promise<void>((resolve) => {
      waiters.push({ n, resolve });
      wake();
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** The env a test gives `baton` to reach this server quickly: fast backoff, a key. */
export function modelEnv(server: ChatServer, extra: Record<string, string> = {}): Record<string, string> {
  return { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server.url, BATON_RETRY_BASE_MS: '10', ...extra };
}
