/**
 * The files under .agents/ as `baton://` resources, listed and readable, with
 * notifications when they change: `list_changed` when one is added or
 * removed, `updated` for a subscribed one whose content changed.
 */
import { existsSync, readdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import { agentsPaths } from '../workspace/paths.js';
import { project, type ServerContext } from './tool-kit.js';

const MD = 'text/markdown';

function text(uri: URL, body: string): ReadResourceResult {
  return { contents: [{ uri: uri.href, mimeType: MD, text: body }] };
}

function markdownNames(dir: string, re: RegExp): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((n) => re.test(n)).sort() : [];
}

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? v[0] ?? '' : v ?? '');

// Task files are YAML: the parser is loaded on the first request, not before `initialize` is answered.
const tasksOf = async (root: string) => (await import('../tasks/task-files.js')).loadTasks(root).tasks;

/** The tasks as every view shows them: their unmerged branches' statuses laid over this checkout's. */
async function statedOf(ctx: ServerContext) {
  const { statedTasks } = await import('../tasks/state.js');
  return (await statedTasks(await project(ctx), await tasksOf(ctx.cwd))).tasks;
}

export function registerResources(server: McpServer, ctx: ServerContext): void {
  server.registerResource('plan', 'baton://plan.md', {
    title: 'The plan', mimeType: MD,
    description: 'plan.md: the goal, constraints, architecture and phases, with the generated task table and dependency graph',
  }, (uri) => text(uri, readFileSync(agentsPaths(ctx.cwd).plan, 'utf8')));

  server.registerResource('task', new ResourceTemplate('baton://tasks/{id}', {
    list: async () => ({
      resources: (await statedOf(ctx)).map((t) => ({ uri: `baton://tasks/${t.id}`, name: t.id, title: `${t.id}: ${t.title} [${t.status}]`, mimeType: MD })),
    }),
  }), { title: 'A task', mimeType: MD, description: 'One task file: YAML front matter and Context / Requirements / Success criteria' }, async (uri, vars) => {
    const t = resolveTask(await tasksOf(ctx.cwd), one(vars.id));
    return text(uri, readFileSync(join(ctx.cwd, t.path), 'utf8'));
  });

  server.registerResource('memory', new ResourceTemplate('baton://memory/{id}', {
    list: () => ({
      resources: markdownNames(agentsPaths(ctx.cwd).memory, /^(T-[0-9a-f]+|project)\.md$/).map((n) => {
        const id = n.slice(0, -3);
        return { uri: `baton://memory/${id}`, name: `memory ${id}`, title: `Memory of ${id}`, mimeType: MD };
      }),
    }),
  }), { title: 'A task\'s memory', mimeType: MD, description: 'The append-only memory of one task (or `project`): commits, attempts, results, bugs, decisions' }, async (uri, vars) => {
    const { memoryId } = await import('../workflow/memory-query.js');
    const p = await project(ctx);
    const file = p.paths.memoryFile(memoryId(p, one(vars.id)));
    return text(uri, existsSync(file) ? readFileSync(file, 'utf8') : '');
  });

  server.registerResource('review', new ResourceTemplate('baton://reviews/{id}', {
    list: () => ({
      resources: markdownNames(agentsPaths(ctx.cwd).reviews, /^R-\d+\.md$/).map((n) => {
        const id = n.slice(0, -3);
        return { uri: `baton://reviews/${id}`, name: id, title: `Review ${id}`, mimeType: MD };
      }),
    }),
  }), { title: 'A review', mimeType: MD, description: 'One review by the Central Agent: what it read, concluded and filed' }, (uri, vars) => {
    const id = one(vars.id);
    const file = join(agentsPaths(ctx.cwd).reviews, `${id}.md`);
    if (!/^R-\d+$/.test(id) || !existsSync(file)) throw new BatonError(`no review \`${id}\``, { hint: 'List the resources to see the reviews there are.' });
    return text(uri, readFileSync(file, 'utf8'));
  });
}

/** `tasks/T-7f3a-login.md` → `baton://tasks/T-7f3a`; undefined for files that are no resource. */
export function uriOf(relative: string): string | undefined {
  const path = relative.split('\\').join('/');
  if (path === 'plan.md') return 'baton://plan.md';
  const m = /^(tasks|memory|reviews)\/((?:T-[0-9a-f]+|R-\d+|project))[^/]*\.md$/.exec(path);
  return m ? `baton://${m[1]}/${m[2]}` : undefined;
}

/**
 * Subscriptions (registered now, before the server connects) and a watcher on
 * .agents/, started by `start()` once connected so it does not delay the
 * answer to `initialize`; `start()` returns the function that stops it.
 */
export function resourceNotifications(server: McpServer, ctx: ServerContext): { start: () => () => void } {
  const subscribed = new Set<string>();
  const low = server.server;
  low.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  low.setRequestHandler(SubscribeRequestSchema, (req) => (subscribed.add(req.params.uri), {}));
  low.setRequestHandler(UnsubscribeRequestSchema, (req) => (subscribed.delete(req.params.uri), {}));
  const changed = new Set<string>();
  let listChanged = false;
  let timer: NodeJS.Timeout | undefined;
  // Many events arrive for one write (temp file, rename): one notification per burst.
  const flush = () => {
    timer = undefined;
    if (!server.isConnected()) return;
    if (listChanged) server.sendResourceListChanged();
    for (const uri of changed) if (subscribed.has(uri)) void low.sendResourceUpdated({ uri }).catch(() => undefined);
    changed.clear();
    listChanged = false;
  };
  const start = (): (() => void) => {
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(agentsPaths(ctx.cwd).dir, { recursive: true }, (event, name) => {
        const uri = name ? uriOf(String(name)) : undefined;
        if (!uri) return;
        changed.add(uri);
        if (event === 'rename') listChanged = true;
        timer ??= setTimeout(flush, 50);
      });
      watcher.on('error', () => undefined);
    } catch {
      // No watcher (a file system that does not support it): resources still read fresh on every request.
    }
    return () => {
      watcher?.close();
      if (timer) clearTimeout(timer);
    };
  };
  return { start };
}
