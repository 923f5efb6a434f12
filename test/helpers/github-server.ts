/**
 * A small GitHub on 127.0.0.1: the REST calls `baton sync github` makes
 * (issues list/get/create/update, comments list/create, labels list/create),
 * over one in-memory repository. Every request and every response is checked
 * against GitHub's published OpenAPI description (`@octokit/openapi`): a call
 * GitHub does not have, a parameter or body it would refuse, or an answer that
 * does not have the shape GitHub's has, is recorded in `violations`.
 *
 * `fakeGh()` writes a `gh` that forwards `gh api …` to this server, for the
 * built CLI; `httpApi()` is the same transport in-process, for fast loops.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { PROJECT_ROOT, tempDir } from './repo.js';
import type { GitHubApi } from '../../src/remote/github-api.js';
import { GitHubApiError } from '../../src/remote/github-api.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

interface Operation {
  parameters?: ({ $ref?: string; name?: string; in?: string; required?: boolean; schema?: object })[];
  requestBody?: { content?: Record<string, { schema?: object }> };
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}

interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, { name: string; in: string; required?: boolean; schema: object }>; responses: Record<string, unknown> } & Record<string, unknown>;
}

interface Route {
  template: string;
  re: RegExp;
  names: string[];
  methods: Record<string, Operation>;
}

/** GitHub's API description, compiled once per test file. */
class OpenApi {
  private readonly routes: Route[];
  private readonly ajv = new Ajv({ strict: false });
  private readonly coercing = new Ajv({ strict: false, coerceTypes: true });
  private readonly cache = new Map<string, ValidateFunction>();
  private readonly matches = new Map<string, Route[]>();
  private readonly spec: Spec;

  constructor() {
    this.spec = jsonSchema(JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules/@octokit/openapi/generated/api.github.com.json'), 'utf8'))) as Spec;
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'gh', components: this.spec.components });
    this.routes = Object.entries(this.spec.paths).map(([template, methods]) => {
      const names: string[] = [];
      const re = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_m, name: string) => {
        names.push(name);
        return '([^/]+)';
      })}$`);
      return { template, re, names, methods };
    });
  }

  private compile(key: string, schema: object, coerce = false): ValidateFunction {
    const k = `${coerce ? 'c:' : ''}${key}`;
    let v = this.cache.get(k);
    if (!v) {
      const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"gh#/components/')) as object;
      v = coerce ? this.coercing.compile({ type: 'object', properties: { v: schema } }) : this.ajv.compile(rewritten);
      this.cache.set(k, v);
    }
    return v;
  }

  /** The operation for a request, its path parameters, and what is wrong with the request. */
  request(method: string, url: URL, body: unknown): { op?: Operation; template?: string; params: Record<string, string>; problems: string[] } {
    const path = url.pathname;
    let candidates = this.matches.get(path);
    if (!candidates) {
      // A literal segment beats a parameter: /repos/{o}/{r}/issues/comments is not /issues/{issue_number}.
      candidates = this.routes.filter((r) => r.re.test(path)).sort((a, b) => a.names.length - b.names.length);
      this.matches.set(path, candidates);
    }
    const route = candidates.find((r) => r.methods[method.toLowerCase()]);
    if (!route) return { params: {}, problems: [`${method} ${path}: no such operation in GitHub's API`] };
    const op = route.methods[method.toLowerCase()]!;
    const m = route.re.exec(path)!;
    const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
    const problems: string[] = [];
    const defs = (op.parameters ?? []).map((p) => (p.$ref ? this.spec.components.parameters[p.$ref.split('/').pop()!]! : p)) as { name: string; in: string; required?: boolean; schema: object }[];
    const where = `${method} ${route.template}`;
    for (const [name, value] of [...Object.entries(params).map(([n, v]) => ['path', n, v] as const), ...[...url.searchParams].map(([n, v]) => ['query', n, v] as const)].map(([inn, n, v]) => [`${inn}:${n}`, v] as const)) {
      const [inn, pname] = name.split(':') as [string, string];
      const def = defs.find((d) => d.in === inn && d.name === pname);
      if (!def) {
        problems.push(`${where}: unknown ${inn} parameter \`${pname}\``);
        continue;
      }
      const check = this.compile(`${where} ${name}`, def.schema, true);
      if (!check({ v: value })) problems.push(`${where}: ${inn} parameter \`${pname}\`=${value}: ${this.coercing.errorsText(check.errors)}`);
    }
    for (const d of defs) if (d.required && d.in === 'query' && !url.searchParams.has(d.name)) problems.push(`${where}: missing query parameter \`${d.name}\``);
    const schema = op.requestBody?.content?.['application/json']?.schema;
    if (body !== undefined && !schema) problems.push(`${where}: takes no body`);
    if (schema) {
      const check = this.compile(`${where} body`, schema);
      if (!check(body)) problems.push(`${where} body ${JSON.stringify(body).slice(0, 200)}: ${this.ajv.errorsText(check.errors)}`);
    }
    return { op, template: route.template, params, problems };
  }

  response(method: string, template: string, op: Operation, status: number, body: unknown): string[] {
    const where = `${method} ${template} → ${status}`;
    let r = op.responses[String(status)] as { $ref?: string; content?: Record<string, { schema?: object }> } | undefined;
    if (r?.$ref) r = (this.spec.components.responses as Record<string, typeof r>)[r.$ref.split('/').pop()!];
    if (!r) return [`${where}: GitHub does not answer this status`];
    const schema = r.content?.['application/json']?.schema;
    if (!schema) return body === undefined ? [] : [`${where}: GitHub answers no body`];
    const check = this.compile(`${where} response`, schema);
    return check(body) ? [] : [`${where}: ${this.ajv.errorsText(check.errors?.slice(0, 5))}`];
  }
}

/** OpenAPI 3.0's `nullable: true` as JSON Schema: `null` allowed beside the schema. */
function jsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(jsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'example' || k === 'examples' ? v : jsonSchema(v);
  if (out.nullable !== true) return out;
  delete out.nullable;
  if (typeof out.type === 'string' && !out.enum) return { ...out, type: [out.type, 'null'] };
  return { anyOf: [out, { type: 'null' }] };
}

let openApi: OpenApi | undefined;

export interface FakeIssue {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
  created: number;
  updated: number;
  closedAt: number | null;
}

interface Comment {
  id: number;
  issue: number;
  body: string;
  at: number;
}

export interface GitHubServer {
  url: string;
  owner: string;
  repo: string;
  issues: Map<number, FakeIssue>;
  comments: Comment[];
  labels: Set<string>;
  /** Calls that changed something (POST, PATCH). */
  writes: number;
  requests: string[];
  violations: string[];
  /** A person editing an issue on github.com. */
  edit(n: number, change: Partial<Pick<FakeIssue, 'title' | 'body' | 'state' | 'state_reason' | 'labels'>>): void;
  /** A person opening an issue on github.com. */
  open(issue: { title: string; body?: string; labels?: string[] }): FakeIssue;
  close(): Promise<void>;
}

const ISO = (t: number) => new Date(Date.UTC(2026, 0, 1) + t * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function startGitHubServer(owner = 'acme', repo = 'app'): Promise<GitHubServer> {
  openApi ??= new OpenApi();
  const api = openApi;
  let clock = 0;
  let lastNumber = 0;
  let ids = 1000;
  const tick = () => ++clock;
  const base = `https://api.github.com/repos/${owner}/${repo}`;
  const user = {
    login: 'octocat', id: 1, node_id: 'MDQ6VXNlcjE=', avatar_url: 'https://github.com/images/error/octocat_happy.gif', gravatar_id: '',
    url: 'https://api.github.com/users/octocat', html_url: 'https://github.com/octocat', followers_url: 'https://api.github.com/users/octocat/followers',
    following_url: 'https://api.github.com/users/octocat/following{/other_user}', gists_url: 'https://api.github.com/users/octocat/gists{/gist_id}',
    starred_url: 'https://api.github.com/users/octocat/starred{/owner}{/repo}', subscriptions_url: 'https://api.github.com/users/octocat/subscriptions',
    organizations_url: 'https://api.github.com/users/octocat/orgs', repos_url: 'https://api.github.com/users/octocat/repos',
    events_url: 'https://api.github.com/users/octocat/events{/privacy}', received_events_url: 'https://api.github.com/users/octocat/received_events',
    type: 'User', site_admin: false,
  };
  const labelIds = new Map<string, number>();
  const labelJson = (name: string) => {
    if (!labelIds.has(name)) labelIds.set(name, ++ids);
    return { id: labelIds.get(name)!, node_id: `LA_${labelIds.get(name)}`, url: `${base}/labels/${encodeURIComponent(name)}`, name, description: null, color: 'ededed', default: false };
  };
  const issueJson = (i: FakeIssue) => ({
    id: 500000 + i.number, node_id: `I_${i.number}`, url: `${base}/issues/${i.number}`, repository_url: base,
    labels_url: `${base}/issues/${i.number}/labels{/name}`, comments_url: `${base}/issues/${i.number}/comments`,
    events_url: `${base}/issues/${i.number}/events`, html_url: `https://github.com/${owner}/${repo}/issues/${i.number}`,
    number: i.number, state: i.state, state_reason: i.state_reason, title: i.title, body: i.body, user,
    labels: i.labels.map(labelJson), assignee: null, assignees: [], milestone: null, locked: false, active_lock_reason: null,
    comments: server.comments.filter((c) => c.issue === i.number).length, closed_at: i.closedAt === null ? null : ISO(i.closedAt),
    created_at: ISO(i.created), updated_at: ISO(i.updated), author_association: 'OWNER',
  });
  const commentJson = (c: Comment) => ({
    id: c.id, node_id: `IC_${c.id}`, url: `${base}/issues/comments/${c.id}`, html_url: `https://github.com/${owner}/${repo}/issues/${c.issue}#issuecomment-${c.id}`,
    body: c.body, user, created_at: ISO(c.at), updated_at: ISO(c.at), issue_url: `${base}/issues/${c.issue}`, author_association: 'OWNER',
  });
  const nameOf = (l: unknown) => (typeof l === 'string' ? l : String((l as { name?: string }).name ?? ''));
  const setState = (i: FakeIssue, state: 'open' | 'closed' | undefined, reason: string | null | undefined) => {
    if (state === 'closed' && i.state !== 'closed') {
      i.state = 'closed';
      i.closedAt = clock;
      i.state_reason = reason ?? 'completed';
    } else if (state === 'open' && i.state !== 'open') {
      i.state = 'open';
      i.closedAt = null;
      i.state_reason = 'reopened';
    } else if (state === 'closed' && reason) i.state_reason = reason;
  };
  const page = <T>(items: T[], url: URL) => {
    const per = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
    const p = Number(url.searchParams.get('page') ?? 1);
    return items.slice((p - 1) * per, p * per);
  };
  const notFound = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' };

  function handle(method: string, template: string, params: Record<string, string>, url: URL, body: Record<string, unknown>): [number, unknown] {
    if (params.owner !== owner || params.repo !== repo) return [404, notFound];
    const n = Number(params.issue_number);
    const issue = server.issues.get(n);
    switch (`${method} ${template}`) {
      case 'GET /repos/{owner}/{repo}/labels':
        return [200, page([...server.labels].sort().map(labelJson), url)];
      case 'POST /repos/{owner}/{repo}/labels': {
        const name = String(body.name);
        if (server.labels.has(name)) return [422, { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }], documentation_url: 'https://docs.github.com/rest' }];
        server.labels.add(name);
        return [201, labelJson(name)];
      }
      case 'GET /repos/{owner}/{repo}/issues': {
        const state = url.searchParams.get('state') ?? 'open';
        const want = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
        const list = [...server.issues.values()]
          .filter((i) => (state === 'all' || i.state === state) && want.every((l) => i.labels.includes(l)))
          .sort((a, b) => b.created - a.created || b.number - a.number);
        return [200, page(list.map(issueJson), url)];
      }
      case 'POST /repos/{owner}/{repo}/issues': {
        const made = server.open({ title: String(body.title), body: body.body as string | undefined, labels: ((body.labels as unknown[]) ?? []).map(nameOf) });
        return [201, issueJson(made)];
      }
      case 'GET /repos/{owner}/{repo}/issues/{issue_number}':
        return issue ? [200, issueJson(issue)] : [404, notFound];
      case 'PATCH /repos/{owner}/{repo}/issues/{issue_number}': {
        if (!issue) return [404, notFound];
        if (body.title !== undefined && body.title !== null) issue.title = String(body.title);
        if (body.body !== undefined) issue.body = body.body as string | null;
        if (body.labels !== undefined) issue.labels = [...new Set((body.labels as unknown[]).map(nameOf))];
        for (const l of issue.labels) server.labels.add(l);
        setState(issue, body.state as 'open' | 'closed' | undefined, body.state_reason as string | null | undefined);
        issue.updated = tick();
        return [200, issueJson(issue)];
      }
      case 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments':
        return issue ? [200, page(server.comments.filter((c) => c.issue === n).map(commentJson), url)] : [404, notFound];
      case 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': {
        if (!issue) return [404, notFound];
        const c = { id: ++ids, issue: n, body: String(body.body), at: tick() };
        server.comments.push(c);
        return [201, commentJson(c)];
      }
      default:
        server.violations.push(`${method} ${template}: a real GitHub call this server does not implement`);
        return [404, notFound];
    }
  }

  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        server.violations.push(`${method} ${url.pathname}: body is not JSON`);
      }
      server.requests.push(`${method} ${url.pathname}${url.search}`);
      let status = 500;
      let answer: unknown = { message: 'Server Error' };
      try {
        const checked = api.request(method, url, body);
        server.violations.push(...checked.problems);
        [status, answer] = [404, notFound];
        if (checked.op && checked.template) {
          if (method !== 'GET') server.writes++;
          [status, answer] = handle(method, checked.template, checked.params, url, (body ?? {}) as Record<string, unknown>);
          server.violations.push(...api.response(method, checked.template, checked.op, status, answer));
        }
      } catch (error) {
        server.violations.push(`${method} ${url.pathname}: the test server failed: ${(error as Error).stack}`);
      }
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const server: GitHubServer = {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    owner, repo, issues: new Map(), comments: [], labels: new Set(), writes: 0, requests: [], violations: [],
    edit(n, change) {
      const i = server.issues.get(n);
      if (!i) throw new Error(`no issue #${n}`);
      if (change.title !== undefined) i.title = change.title;
      if (change.body !== undefined) i.body = change.body;
      if (change.labels !== undefined) i.labels = change.labels;
      if (change.state !== undefined) setState(i, change.state, change.state_reason);
      i.updated = tick();
    },
    open({ title, body, labels }) {
      const number = ++lastNumber;
      const t = tick();
      const i: FakeIssue = { number, title, body: body ?? null, state: 'open', state_reason: null, labels: [...new Set(labels ?? [])], created: t, updated: t, closedAt: null };
      for (const l of i.labels) server.labels.add(l);
      server.issues.set(number, i);
      return i;
    },
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
  return server;
}

/** The REST transport in-process (what `gh api` does, without a process per call). */
export function httpApi(url: string): GitHubApi {
  return {
    call: async (method, path, body) => {
      const r = await fetch(`${url}/${path}`, { method, headers: { accept: 'application/vnd.github+json', 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await r.text();
      if (!r.ok) throw new GitHubApiError(r.status, `${method} ${path}: HTTP ${r.status}`, path);
      return text ? JSON.parse(text) : undefined;
    },
  };
}

/**
 * A `gh` that answers `gh api [--method M] PATH [-H H]… [--input -]` by calling
 * FAKE_GH_URL/PATH, and prints what gh prints: the JSON, or on an error status
 * the JSON and `gh: <message> (HTTP <status>)` on stderr, exit 1. Its calls are
 * appended to `log`, one line each.
 */
export function fakeGh(): { dir: string; log: string } {
  const dir = tempDir('baton-gh-');
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  writeFileSync(join(dir, 'gh'), `#!${process.execPath}
const fs = require('fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + '\\n');
if (args[0] !== 'api') { process.stderr.write('fake gh: only \`gh api\` is served here\\n'); process.exit(1); }
let method = 'GET', path, input;
for (let i = 1; i < args.length; i++) {
  const a = args[i];
  if (a === '--method' || a === '-X') method = args[++i];
  else if (a === '-H' || a === '--header') i++;
  else if (a === '--input') input = args[++i];
  else if (a.startsWith('-')) { process.stderr.write('fake gh: unsupported flag ' + a + '\\n'); process.exit(1); }
  else path = a;
}
const body = input === '-' ? fs.readFileSync(0, 'utf8') : undefined;
fetch(process.env.FAKE_GH_URL + '/' + path.replace(/^\\//, ''), { method, body: body || undefined, headers: { 'content-type': 'application/json' } }).then(async (r) => {
  const text = await r.text();
  process.stdout.write(text);
  if (!r.ok) {
    let message = r.statusText;
    try { message = JSON.parse(text).message || message; } catch {}
    process.stderr.write('gh: ' + message + ' (HTTP ' + r.status + ')\\n');
    process.exit(1);
  }
}, (e) => { process.stderr.write('error connecting to api.github.com: ' + e.message + '\\n'); process.exit(1); });
`);
  chmodSync(join(dir, 'gh'), 0o755);
  return { dir, log };
}
