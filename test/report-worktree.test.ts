/**
 * Issue 19 item 8: the agent's report goes where it dirties no tree (the git
 * dir, or stdin), `done --merge` removes a worktree whose only leftovers are
 * baton's, a merged task is no work in flight on the board, and the default
 * worktree folder carries the repository's name.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, copied, git, makeProject, ok, read, tempDir, write } from './helpers/repo.js';
import { connect, data } from './mcp-util.js';

const REPORT = '## Outcome\nsuccess\n## Summary\nNotes written in notes.md.\n## Decisions\n- Notes are plain markdown.\n## Bugs\n- none\n';

/** Commit what baton wrote for the plan, unless it committed it itself. */
function commitPlan(dir: string, message: string): void {
  git(dir, ['add', '-A']);
  if (git(dir, ['status', '--porcelain'])) git(dir, ['commit', '-qm', message]);
}

/** One task, committed: planned once, copied for each test. */
const planned = copied((): { dir: string; id: string } => {
  const dir = makeProject();
  const id = addTask(dir, 'Write notes');
  commitPlan(dir, 'plan');
  return { dir, id };
});

/** Start in a worktree and commit work there; returns the worktree's path (read from `start --json`). */
function startedInWorktree(dir: string, id: string): string {
  const wt = (JSON.parse(ok(dir, ['start', id, '--worktree', '--json'])) as { dir: string }).dir;
  write(wt, 'notes.md', '# Notes\n');
  git(wt, ['add', 'notes.md']);
  git(wt, ['commit', '-qm', 'Add notes']);
  return wt;
}

/** The report file the prompt names, as an agent's shell in `cwd` reads it. */
function reportFileIn(prompt: string, cwd: string): string {
  const m = /Save it to\s+`([^`]+)`/.exec(prompt);
  if (!m) throw new Error(`no report file in the prompt:\n${prompt.slice(-600)}`);
  return resolve(cwd, execFileSync('sh', ['-c', `printf '%s' "${m[1]!}"`], { cwd, encoding: 'utf8' }));
}

describe('the report outside the tree', () => {
  it('the prompt names a path in the git dir (the same text on every machine); `log <id>` reads it, and `done --merge` removes a clean worktree', () => {
    const { dir, id } = planned();
    const wt = startedInWorktree(dir, id);
    const file = reportFileIn(ok(wt, ['prompt', id]), wt);
    expect(file).toBe(join(dir, '.git', 'baton', 'reports', `${id}.md`));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, REPORT); // what the agent does, from wherever it runs

    expect(git(wt, ['status', '--porcelain', '--untracked-files=all'])).not.toContain('REPORT');
    const logged = ok(wt, ['log', id]);
    expect(logged).toContain(`Read the report from ${file}`);
    expect(existsSync(file)).toBe(false); // read once: the next attempt's `log` does not find it again
    const memory = ok(wt, ['memory', id, '--json']);
    expect(memory).toContain('Notes written in notes.md.');
    expect(memory).toContain('Notes are plain markdown.');

    const done = baton(dir, ['done', id, '--merge']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).not.toContain('Kept the worktree');
    expect(existsSync(wt)).toBe(false);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    const status = JSON.parse(ok(dir, ['status', '--json'])) as { inFlight: unknown[] };
    expect(status.inFlight).toEqual([]);
  });

  it('`log <id> --from -` reads the report on stdin; `log <id>` with no saved report says where it looked', () => {
    const { dir, id } = planned();
    ok(dir, ['start', id]);
    const missing = baton(dir, ['log', id]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`nothing to log for \`${id}\`: no report saved at ${join(dir, '.git', 'baton', 'reports', `${id}.md`)}`);
    expect(missing.stderr).toContain('--from -');
    ok(dir, ['log', id, '--from', '-'], { input: REPORT });
    expect(ok(dir, ['memory', id])).toContain('Notes written in notes.md.');
    expect(JSON.parse(ok(dir, ['task', 'show', id, '--json'])).status).toBe('review');
  });

  it('a REPORT.md left in the worktree (older prompts) no longer keeps it: moved into the git dir, worktree removed', () => {
    const { dir, id } = planned();
    const wt = startedInWorktree(dir, id);
    write(wt, 'REPORT.md', REPORT);
    ok(wt, ['log', id, '--from', 'REPORT.md']);
    const done = baton(dir, ['done', id, '--merge']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).not.toContain('Kept the worktree');
    expect(existsSync(wt)).toBe(false);
    expect(readFileSync(join(dir, '.git', 'baton', 'reports', `${id}-REPORT.md`), 'utf8')).toBe(REPORT);
  });

  it('a worktree with a file of the person\'s beside the report is still kept, the report left where it was', () => {
    const { dir, id } = planned();
    const wt = startedInWorktree(dir, id);
    write(wt, 'REPORT.md', REPORT);
    write(wt, 'draft.txt', 'mine\n');
    ok(wt, ['log', id, '--from', 'REPORT.md']);
    const done = baton(dir, ['done', id, '--merge']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('Kept the worktree');
    expect(read(wt, 'REPORT.md')).toBe(REPORT);
    expect(read(wt, 'draft.txt')).toBe('mine\n');
  });
});

describe('the saved report over MCP', () => {
  it('`log` with only an id reads the report saved where the prompt said', async () => {
    const { dir, id } = planned();
    ok(dir, ['start', id]);
    const mcp = await connect(dir);
    try {
      const prompt = await data(mcp.client, 'prompt', { id });
      const file = reportFileIn(prompt.text, dir);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, REPORT);
      const logged = await data(mcp.client, 'log', { id });
      expect(logged).toMatchObject({ id, status: 'review', entries: 2 }); // the result and the decision
      expect(existsSync(file)).toBe(false);
    } finally {
      await mcp.close();
    }
    expect(ok(dir, ['memory', id])).toContain('Notes are plain markdown.');
  });
});

describe('the board after a merge', () => {
  it('a merged task whose worktree was kept is not listed as work in flight', () => {
    const { dir, id } = planned();
    const other = addTask(dir, 'Other work');
    commitPlan(dir, 'plan more');
    const wt = startedInWorktree(dir, id);
    ok(dir, ['start', other, '--worktree']); // an unmerged branch, so the board looks for worktrees
    write(wt, 'draft.txt', 'mine\n');
    ok(wt, ['log', id, '--outcome', 'success', '--summary', 'Notes written.']);
    expect(ok(dir, ['done', id, '--merge'])).toContain('Kept the worktree');
    const site = join(tempDir('baton-site-'), 'site');
    ok(dir, ['board', '--out', site]);
    const index = readFileSync(join(site, 'index.html'), 'utf8');
    const flight = /<table id="in-flight">.*?<\/table>/s.exec(index)?.[0] ?? '';
    expect(flight).toContain(other);
    expect(flight).not.toContain(id);
  });
});

describe('the worktree folder', () => {
  it('is named after the repository by default, so two clones side by side do not mix', () => {
    const a = planned();
    const b = planned();
    const wa = (JSON.parse(ok(a.dir, ['start', a.id, '--worktree', '--json'])) as { dir: string }).dir;
    const wb = (JSON.parse(ok(b.dir, ['start', b.id, '--worktree', '--json'])) as { dir: string }).dir;
    expect(wa).toBe(resolve(a.dir, '..', `${basename(a.dir)}.baton-worktrees`, `${a.id}-write-notes`));
    expect(wb).toBe(resolve(b.dir, '..', `${basename(b.dir)}.baton-worktrees`, `${b.id}-write-notes`));
    expect(read(a.dir, '.agents/config.yaml')).toContain('worktree_dir: ../{repo}.baton-worktrees');
  });

  it('an explicit worktree_dir in an existing config is kept as written', () => {
    const { dir, id } = planned();
    write(dir, '.agents/config.yaml', read(dir, '.agents/config.yaml').replace(/^worktree_dir: .*$/m, 'worktree_dir: ../.baton-worktrees'));
    git(dir, ['commit', '-qam', 'old config']);
    const wt = (JSON.parse(ok(dir, ['start', id, '--worktree', '--json'])) as { dir: string }).dir;
    expect(wt).toBe(resolve(dir, '..', '.baton-worktrees', `${id}-write-notes`));
  });
});
