/**
 * A claim taken through the git remote, given back by the MCP `done` tool as `baton done` gives it back.
 * Two bare repositories made from one project are the remotes, so ids, branches and files match
 * one for one between the clone driven through the CLI and the clone driven through MCP.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, snapshotFiles, tempDir, write } from './helpers/repo.js';
import { connect, data, normalize, subjects, textOf, call, type Connection } from './mcp-util.js';

function sharedClone(project: string, name: string): { remote: string; dir: string } {
  const remote = join(tempDir(), `${name}.git`);
  git(project, ['clone', '-q', '--bare', project, remote]);
  const dir = join(tempDir(), name);
  git(remote, ['clone', '-q', remote, dir]);
  return { remote, dir };
}

const claims = (remote: string) => git(remote, ['for-each-ref', '--format=%(refname)', 'refs/baton/claims/']);
const nextJson = (dir: string) => JSON.parse(ok(dir, ['next', '--remote', 'origin', '--json'])).tasks as { id: string; claimedBy?: string }[];
const remoteClaims = (dir: string) =>
  (JSON.parse(ok(dir, ['status', '--remote', 'origin', '--json'])).remote.claims as { id: string; runner: string }[]).map((c) => [c.id, c.runner]);

function commitWork(dir: string, file: string): void {
  write(dir, file, `${file}\n`);
  git(dir, ['add', file]);
  git(dir, ['commit', '-q', '-m', `Add ${file}`]);
}

describe('baton mcp: `done` gives back the claim `start --remote` took', () => {
  let mcp: Connection | undefined;
  afterAll(async () => mcp?.close());

  it('pushes the branch and deletes the claim, leaving the files and the remote as `baton done` does', async () => {
    const project = makeProject();
    const a = addTask(project, 'Task A');
    const b = addTask(project, 'Task B');
    const c = addTask(project, 'Task C');
    git(project, ['add', '-A']);
    git(project, ['commit', '-q', '-m', 'plan']);
    const cli = sharedClone(project, 'cli');
    const viaMcp = sharedClone(project, 'mcp');

    // The same person's steps in both clones: claim A with `baton start --remote`, commit work.
    for (const { dir } of [cli, viaMcp]) {
      const started = baton(dir, ['start', a, '--remote', 'origin'], { env: { BATON_RUNNER: 'laptop' } });
      expect(started.code, started.stderr).toBe(0);
      commitWork(dir, 'a.txt');
    }
    expect(claims(viaMcp.remote)).toBe(`refs/baton/claims/${a}\n`);
    expect(nextJson(viaMcp.dir).find((t) => t.id === a)).toMatchObject({ claimedBy: 'laptop' });
    expect(remoteClaims(viaMcp.dir)).toEqual([[a, 'laptop']]);

    ok(cli.dir, ['done', a]);
    mcp = await connect(viaMcp.dir);
    const done = await data(mcp.client, 'done', { id: a });
    expect(done).toMatchObject({ id: a, claim: { remote: 'origin', released: true } });

    // The claim is gone and the branch is on the remote, as with the CLI.
    expect(claims(viaMcp.remote)).toBe('');
    expect(claims(cli.remote)).toBe('');
    const branch = git(viaMcp.dir, ['branch', '--show-current']).trim();
    expect(branch).toBe(git(cli.dir, ['branch', '--show-current']).trim());
    expect(git(viaMcp.remote, ['show', `${branch}:a.txt`])).toBe('a.txt\n');
    expect(subjects(viaMcp.remote, branch)).toEqual(subjects(cli.remote, branch));
    expect(normalize(snapshotFiles(viaMcp.dir))).toEqual(normalize(snapshotFiles(cli.dir)));
    // Nobody is shown working on A any more.
    expect(nextJson(viaMcp.dir).map((t) => t.id).sort()).toEqual([b, c].sort());
    expect(nextJson(viaMcp.dir)).toEqual(nextJson(cli.dir));
    expect(remoteClaims(viaMcp.dir)).toEqual([]);

    // Through MCP alone: `start` with `remote` claims B, another clone is refused it, `done` gives it back.
    git(viaMcp.dir, ['switch', '-q', 'main']);
    const started = await data(mcp.client, 'start', { id: b, remote: 'origin' });
    expect(started.claim).toMatchObject({ task: b });
    expect(claims(viaMcp.remote)).toBe(`refs/baton/claims/${b}\n`);
    expect(nextJson(viaMcp.dir).find((t) => t.id === b)?.claimedBy).toBe(started.claim.runner);
    const rival = join(tempDir(), 'rival');
    git(viaMcp.remote, ['clone', '-q', viaMcp.remote, rival]);
    const refused = baton(rival, ['start', b, '--remote', 'origin']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`\`${b}\` is claimed on \`origin\` by \`${started.claim.runner}\``);
    // The other way round: C claimed in the rival clone is a tool error for MCP `start`, and nothing is written.
    expect(baton(rival, ['start', c, '--remote', 'origin'], { env: { BATON_RUNNER: 'desk' } }).code).toBe(0);
    const before = snapshotFiles(viaMcp.dir);
    const taken = await call(mcp.client, 'start', { id: c, remote: 'origin', force: true });
    expect(taken.isError).toBe(true);
    expect(textOf(taken)).toContain(`\`${c}\` is claimed on \`origin\` by \`desk\``);
    expect(snapshotFiles(viaMcp.dir)).toEqual(before);
    expect(git(viaMcp.dir, ['branch', '--show-current']).trim()).toBe(`task/${b}-task-b`);

    commitWork(viaMcp.dir, 'b.txt');
    const closed = await data(mcp.client, 'done', { id: b, merge: true });
    expect(closed).toMatchObject({ id: b, merged: { into: 'main' }, claim: { remote: 'origin', released: true } });
    expect(claims(viaMcp.remote)).toBe(`refs/baton/claims/${c}\n`);
    expect(nextJson(rival).map((t) => [t.id, t.claimedBy])).toEqual([[c, 'desk']]);
  });
});
