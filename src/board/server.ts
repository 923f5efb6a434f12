/**
 * `baton board`'s server: Node's own http, bound to 127.0.0.1 only. Pages are
 * rendered per request from the files and refs as they are; `/events` streams
 * a message whenever they change. Read-only unless started with `--write`,
 * and then only form posts carrying the token printed into its pages.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatonError } from '../core/errors.js';
import type { Project } from '../workspace/context.js';
import { handlePost, send } from './post.js';
import { renderError } from './pages.js';
import { renderPage } from './site.js';
import { watchProject } from './watch.js';

export interface BoardServerOptions {
  port?: number;
  write?: boolean;
}

export interface BoardServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function startBoard(project: Project, opts: BoardServerOptions = {}): Promise<BoardServer> {
  const csrf = opts.write ? randomBytes(24).toString('hex') : undefined;
  const clients = new Set<ServerResponse>();
  let origin = '';
  const render = { live: true, csrf };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = error instanceof BatonError ? error.format() : error instanceof Error ? error.message : String(error);
      if (!res.headersSent) send(res, 500, renderError(message, render));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A page from another site that resolves its own name to 127.0.0.1 (DNS rebinding) sends its own Host.
    const host = req.headers.host ?? '';
    if (host !== origin.slice('http://'.length) && host !== `localhost:${new URL(origin).port}`) {
      return send(res, 403, 'wrong Host header: the board answers only on the loopback address');
    }
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'GET' && url.pathname === '/events') return events(res);
    if (req.method === 'POST') return handlePost({ project, csrf, origin, render }, req, res, url.pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
    const name = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const page = await renderPage(project, name, render);
    if (!page) return send(res, 404, renderError(`no page \`${name}\` (task pages are named like T-7f3a.html)`, render));
    send(res, page.status, page.html);
  }

  function events(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': baton board\n\n');
    clients.add(res);
    res.on('close', () => clients.delete(res));
  }

  const stopWatching = watchProject(project, () => {
    for (const c of clients) c.write('data: changed\n\n');
  });
  // Proxies and idle timeouts drop silent streams: a comment every 25 s keeps them open.
  const keepAlive = setInterval(() => {
    for (const c of clients) c.write(': ping\n\n');
  }, 25_000);
  keepAlive.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE'
        ? new BatonError(`port ${opts.port} is already in use`, { hint: 'Pick another with `--port`, or leave it out to use a free one.' })
        : error));
    server.listen(opts.port ?? 0, HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${HOST}:${port}`;
  return {
    url: `${origin}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        stopWatching();
        clearInterval(keepAlive);
        for (const c of clients) c.end();
        server.close(() => resolve());
        // A browser's idle keep-alive sockets would hold the close open.
        server.closeAllConnections();
      }),
  };
}
