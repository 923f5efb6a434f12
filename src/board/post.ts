/**
 * The board's form posts (`--write` only: status, edit, review): a change is accepted only with the
 * token printed into the board's own pages, from the board's own origin, and
 * then goes through the same use cases as the CLI. `send` is every board
 * response: one place for the headers that keep pages from loading anything else.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BatonError } from '../core/errors.js';
import type { Project } from '../workspace/context.js';
import { renderError, type RenderOptions } from './pages.js';
import { boardAnswer, boardReview, boardWrite, typedReview } from './write.js';

export function send(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // Nothing but this server: no other hosts, inline style and our one inline script.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(html);
}

function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) reject(new BatonError('request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sameToken(a: string | null, b: string): boolean {
  if (!a || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export interface PostContext {
  project: Project;
  /** Undefined on a read-only board. */
  csrf?: string;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  render: RenderOptions;
}

export async function handlePost(ctx: PostContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
const { project, csrf, origin, render } = ctx;
  if (!csrf) return send(res, 403, renderError('the board is read-only; start it with `baton board --write` to change tasks', render));
  const from = req.headers.origin;
  if (from !== undefined && from !== origin && from !== origin.replace('127.0.0.1', 'localhost')) {
    return send(res, 403, renderError(`refused a change sent from \`${from}\``, render));
  }
  const form = new URLSearchParams(await readBody(req));
  if (!sameToken(form.get('csrf'), csrf)) return send(res, 403, renderError('missing or wrong form token: reload the page and try again', render));
  const m = /^\/(T-[0-9a-f]+)\/(status|edit|review|answer)$/.exec(path);
  if (!m) return send(res, 404, renderError(`nothing to change at \`${path}\``, render));
  try {
    if (m[2] === 'review') await boardReview(project, m[1]!, form);
    else if (m[2] === 'answer') await boardAnswer(project, m[1]!, form);
    else boardWrite(project, m[1]!, m[2] as 'status' | 'edit', form);
  } catch (error) {
    // Keep what the person typed: an edit, a review or an answer refused is shown back, not lost.
    const typed = m[2] === 'edit' ? form.get('text') : m[2] === 'answer' ? form.get('answer') : null;
    const kept = typed !== null ? `\n\nYour text was not saved; here it is:\n\n${typed ?? ''}` : m[2] === 'review' ? typedReview(form) : '';
    if (error instanceof BatonError) return send(res, 400, renderError(error.format() + kept, render));
    throw error;
  }
  res.writeHead(303, { location: `/${m[1]}.html` });
  res.end();
}
