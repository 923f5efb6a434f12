/**
 * The MCP server's stdio transport, with bounded input (issue 21). The SDK's own
 * closes the connection for good when a line passes 10 MiB, and passes any
 * string, however long, to the tools. Here a request line over `MAX_REQUEST`
 * is read past and answered with an error, and a tool call whose string
 * argument passes its field's limit is answered with a tool error naming the
 * field and the limit; either way the server keeps answering.
 */
import { deserializeMessage, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** The largest request line read; longer ones are skipped, never held whole. */
export const MAX_REQUEST = 16 * 1024 * 1024;
/** Fields that carry a whole text (a report, an answer, a section): up to 1 MiB each. */
const LONG_FIELDS = new Set(['report', 'answer', 'context', 'summary']);
const LONG_LIMIT = 1024 * 1024;
/** Every other string (a title, an id, a pattern, one item of a list). */
const SHORT_LIMIT = 64 * 1024;
const KEEP = 4096;

const size = (n: number): string => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`);
const chars = (n: number): string => n.toLocaleString('en-US');

/** The first string argument over its limit, as `field: message`, or undefined. */
export function oversizedArgument(args: unknown): string | undefined {
  if (!args || typeof args !== 'object') return undefined;
  for (const [key, value] of Object.entries(args as Record<string, unknown>)) {
    const limit = LONG_FIELDS.has(key) ? LONG_LIMIT : SHORT_LIMIT;
    const items: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [`${key}[${i}]`, v]) : [[key, value]];
    for (const [name, v] of items) {
      if (typeof v === 'string' && v.length > limit) {
        return `\`${name}\` is ${chars(v.length)} characters; the limit is ${chars(limit)}`;
      }
    }
  }
  return undefined;
}

function toolError(id: string | number, text: string): JSONRPCMessage {
  return { jsonrpc: '2.0', id, result: { isError: true, content: [{ type: 'text', text: `baton: ${text}` }] } } as JSONRPCMessage;
}

/** The id of a request seen only by its head and tail: clients write it first (`{"jsonrpc":"2.0","id":…`) or last. */
function requestId(head: string, tail: string): string | number | undefined {
  const m = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*\}\s*$/.exec(tail) ?? /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/.exec(head);
  return m ? (JSON.parse(m[1]!) as string | number) : undefined;
}

export class BoundedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Reading past a line over the limit: its first and last bytes, and its length. */
  private skipping?: { head: Buffer; tail: Buffer; bytes: number };

  constructor(private readonly stdin = process.stdin, private readonly stdout = process.stdout) {}

  private readonly ondata = (chunk: Buffer): void => {
    let rest = chunk;
    for (let nl = rest.indexOf(10); nl !== -1; nl = rest.indexOf(10)) {
      this.take(rest.subarray(0, nl));
      this.endLine();
      rest = rest.subarray(nl + 1);
    }
    if (rest.length) this.take(rest);
  };

  private readonly onstdinerror = (error: Error): void => this.onerror?.(error);

  private take(part: Buffer): void {
    if (this.skipping) {
      this.skipping.bytes += part.length;
      this.skipping.tail = Buffer.concat([this.skipping.tail, part]).subarray(-KEEP);
      return;
    }
    this.pending.push(part);
    this.pendingBytes += part.length;
    if (this.pendingBytes <= MAX_REQUEST) return;
    const all = Buffer.concat(this.pending);
    this.skipping = { head: all.subarray(0, KEEP), tail: Buffer.from(all.subarray(-KEEP)), bytes: all.length };
    this.pending = [];
    this.pendingBytes = 0;
  }

  private endLine(): void {
    if (this.skipping) {
      const { head, tail, bytes } = this.skipping;
      this.skipping = undefined;
      this.refuseLine(head.toString('utf8'), tail.toString('utf8'), bytes);
      return;
    }
    const line = Buffer.concat(this.pending).toString('utf8').replace(/\r$/, '');
    this.pending = [];
    this.pendingBytes = 0;
    if (!line.trim()) return;
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(line);
    } catch (error) {
      this.onerror?.(error as Error);
      return;
    }
    const request = message as { id?: string | number; method?: string; params?: { arguments?: unknown } };
    const tooLong = request.method === 'tools/call' && request.id !== undefined ? oversizedArgument(request.params?.arguments) : undefined;
    if (tooLong) {
      void this.send(toolError(request.id!, `${tooLong}; shorten it (a long report can be saved where the prompt said and read by \`log\` without \`report\`)`));
      return;
    }
    this.onmessage?.(message);
  }

  private refuseLine(head: string, tail: string, bytes: number): void {
    const id = requestId(head, tail);
    const text = `the request is ${size(bytes)}; the limit is ${size(MAX_REQUEST)}: shorten its arguments`;
    this.onerror?.(new Error(text));
    if (id === undefined) return;
    if (/"method"\s*:\s*"tools\/call"/.test(head)) void this.send(toolError(id, text));
    else void this.send({ jsonrpc: '2.0', id, error: { code: -32600, message: `baton: ${text}` } } as JSONRPCMessage);
  }

  async start(): Promise<void> {
    this.stdin.on('data', this.ondata);
    this.stdin.on('error', this.onstdinerror);
  }

  async close(): Promise<void> {
    this.stdin.off('data', this.ondata);
    this.stdin.off('error', this.onstdinerror);
    if (this.stdin.listenerCount('data') === 0) this.stdin.pause();
    this.pending = [];
    this.skipping = undefined;
    this.onclose?.();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.stdout.write(serializeMessage(message))) resolve();
      else this.stdout.once('drain', resolve);
    });
  }
}
