/**
 * GitHub's REST API through `gh api`, so every call goes with the person's
 * own `gh auth` (baton never sees a token). A call is data in, data out:
 * `GitHubApi` is the one seam, so the sync can also run against any other
 * transport that speaks the same REST calls.
 */
import { spawn } from 'node:child_process';
import { BatonError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { gitRun } from '../git/task-branch.js';
import { onPath } from '../workspace/on-path.js';

export type Method = 'GET' | 'POST' | 'PATCH';

export interface GitHubApi {
  /** One REST call; `path` is relative to the API root (`repos/o/r/issues?page=2`). Resolves to the parsed JSON. */
  call(method: Method, path: string, body?: unknown): Promise<unknown>;
}

/** A call GitHub answered with an error status. */
export class GitHubApiError extends BatonError {
  constructor(readonly status: number | undefined, message: string, readonly path: string) {
    super(message, { hint: status === 401 || status === 403 ? 'Check `gh auth status` (and that the token may write issues).' : 'Run the call by hand with `gh api` to see the details.' });
  }
}

/** `gh api` run as a child process, its JSON on stdin and stdout. */
export function ghCliApi(cwd: string): GitHubApi {
  if (!onPath('gh')) {
    throw new BatonError('`gh` (the GitHub CLI) is not installed; nothing was synced', {
      hint: 'Install it from https://cli.github.com and run `gh auth login`.',
    });
  }
  return {
    call: (method, path, body) => new Promise((resolve, reject) => {
      const args = ['api', '--method', method, path, '-H', 'Accept: application/vnd.github+json', '-H', 'X-GitHub-Api-Version: 2022-11-28'];
      if (body !== undefined) args.push('--input', '-');
      const child = spawn('gh', args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', (error) => reject(new GitHubApiError(undefined, `\`gh api\` could not run: ${error.message}`, path)));
      child.on('close', (code) => {
        if (code !== 0) {
          const said = redact(stderr.trim().split('\n').pop() ?? '') || `exit ${code}`;
          const status = /\(HTTP (\d{3})\)/.exec(stderr)?.[1];
          return reject(new GitHubApiError(status ? Number(status) : undefined, `\`gh api --method ${method} ${path}\` failed: ${said}`, path));
        }
        try {
          resolve(stdout.trim() ? JSON.parse(stdout) : undefined);
        } catch {
          reject(new GitHubApiError(undefined, `\`gh api ${path}\` printed something that is not JSON`, path));
        }
      });
      child.stdin.on('error', () => undefined); // gh exited before reading: its exit code says why
      child.stdin.end(body === undefined ? '' : JSON.stringify(body));
    }),
  };
}

/** Every item of a list endpoint, page by page (`per_page` items each) until a short page. */
export async function listAll<T>(api: GitHubApi, path: string, perPage = 100): Promise<T[]> {
  const out: T[] = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let page = 1; ; page++) {
    const items = await api.call('GET', `${path}${sep}per_page=${perPage}&page=${page}`);
    if (!Array.isArray(items)) throw new GitHubApiError(undefined, `\`${path}\` did not answer with a list`, path);
    out.push(...(items as T[]));
    if (items.length < perPage) return out;
  }
}

const REPO_RE = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** `OWNER/NAME` as given, or read from the `origin` remote's URL (https or ssh, any host). */
export function resolveRepo(root: string, given?: string): string {
  if (given !== undefined) {
    const repo = given.trim().replace(/\.git$/, '');
    if (!REPO_RE.test(repo)) throw new BatonError(`\`--repo\` must be OWNER/NAME, got \`${given}\``, { hint: 'e.g. `--repo acme/app`' });
    return repo;
  }
  const url = gitRun(root, ['remote', 'get-url', 'origin']).stdout.trim();
  const m = /[:/]([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url);
  if (!url || !m || !REPO_RE.test(m[1]!)) {
    throw new BatonError(url ? `cannot tell the GitHub repository from origin's URL \`${redact(url)}\`` : 'no `origin` remote to tell the GitHub repository from', {
      hint: 'Name it: `baton sync github --repo OWNER/NAME`.',
    });
  }
  return m[1]!;
}
