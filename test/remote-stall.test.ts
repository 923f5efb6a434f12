import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, BIN, git, GIT_ENV, makeProject, ok, snapshotFiles, tempDir, write } from './helpers/repo.js';

/**
 * A remote that stops answering: git runs this instead of `git-upload-pack` /
 * `git-receive-pack`. It writes its pid and then reads its input forever
 * without answering, as a server behind a dead link does; when the client
 * goes away its input ends, and so does it.
 */
function stalledServer(): { path: string; pidFile: string } {
  const dir = tempDir('baton-stall-');
  const pidFile = join(dir, 'pid');
  const path = join(dir, 'stalled-pack');
  writeFileSync(path, `#!/bin/sh\necho $$ > '${pidFile}'\nexec cat > /dev/null\n`);
  chmodSync(path, 0o755);
  return { path, pidFile };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (no clock involved) until the stalled server has ended: it ends when its client's end of the pipe closes. */
function waitGone(pid: number): void {
  while (alive(pid)) spawnSync('sleep', ['0.05']);
}

function gitProcessesIn(dir: string): string[] {
  const r = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.includes(dir) && !l.includes('ps -eo'));
}

describe('a remote that stops answering', () => {
  it('a stalled fetch and a stalled push end at remote.stall_s with an error naming the remote; nothing written, no process left', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Task A', '--check', 'true');
    write(dir, '.agents/config.yaml', `${readFileSync(join(dir, '.agents/config.yaml'), 'utf8')}\nremote:\n  name: origin\n  stall_s: 1\n`);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'plan']);
    const remote = join(tempDir(), 'shared.git');
    git(dir, ['clone', '-q', '--bare', dir, remote]);
    git(dir, ['remote', 'add', 'origin', remote]);
    const remoteRefs = () => git(remote, ['for-each-ref', '--format=%(refname) %(objectname)']);
    const before = { refs: remoteRefs(), files: snapshotFiles(dir), local: git(dir, ['for-each-ref', '--format=%(refname) %(objectname)']) };

    // The fetch: the server never sends its refs.
    const fetchSide = stalledServer();
    git(dir, ['config', 'remote.origin.uploadpack', fetchSide.path]);
    const next = baton(dir, ['next', '--remote', 'origin']);
    expect(next.code).toBe(1);
    expect(next.stderr).toContain('`git fetch` with `origin` stalled: nothing came from the remote for 1s, so it was stopped');
    expect(next.stderr).toContain('remote.stall_s');
    waitGone(Number(readFileSync(fetchSide.pidFile, 'utf8')));

    // The push of the claim: the fetch answers, the receiving side never does.
    git(dir, ['config', '--unset', 'remote.origin.uploadpack']);
    const pushSide = stalledServer();
    git(dir, ['config', 'remote.origin.receivepack', pushSide.path]);
    const start = baton(dir, ['start', id, '--remote', 'origin']);
    expect(start.code).toBe(1);
    expect(start.stderr).toContain('`git push` with `origin` stalled: nothing came from the remote for 1s, so it was stopped');
    waitGone(Number(readFileSync(pushSide.pidFile, 'utf8')));

    // Nothing half-written: the remote, the task files, the local branches and no lock left behind.
    expect(remoteRefs()).toBe(before.refs);
    expect(snapshotFiles(dir)).toEqual(before.files);
    expect(git(dir, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/']))
      .toBe(before.local.split('\n').filter((l) => l.startsWith('refs/heads/')).map((l) => `${l}\n`).join(''));
    expect(readdirSync(join(dir, '.git')).filter((f) => f.endsWith('.lock'))).toEqual([]);
    expect(existsSync(join(remote, 'refs', 'baton'))).toBe(false);
    // No git left running against either stalled server.
    expect(gitProcessesIn(fetchSide.path.replace(/\/stalled-pack$/, ''))).toEqual([]);
    expect(gitProcessesIn(pushSide.path.replace(/\/stalled-pack$/, ''))).toEqual([]);

    // The remote answering again: the same commands work.
    git(dir, ['config', '--unset', 'remote.origin.receivepack']);
    expect(ok(dir, ['next', '--remote', 'origin'])).toContain(id);
  });

  it('Ctrl-C ends a fetch the remote never answers (no stall timeout reached): the run stops, nothing written', async () => {
    const dir = makeProject();
    const id = addTask(dir, 'Task A', '--check', 'true');
    write(dir, '.agents/config.yaml', `${readFileSync(join(dir, '.agents/config.yaml'), 'utf8')}\nremote:\n  name: origin\n  stall_s: 3600\n`);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'plan']);
    const remote = join(tempDir(), 'shared.git');
    git(dir, ['clone', '-q', '--bare', dir, remote]);
    git(dir, ['remote', 'add', 'origin', remote]);
    const before = { refs: git(remote, ['for-each-ref']), files: snapshotFiles(dir) };
    const server = stalledServer();
    git(dir, ['config', 'remote.origin.uploadpack', server.path]);

    const child = spawn(process.execPath, [BIN, 'run', id, '--remote', 'origin'], { cwd: dir, env: { ...process.env, ...GIT_ENV } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Once the fetch is waiting on the silent server, Ctrl-C (to baton alone, as no terminal is here to send it to the group).
    while (!existsSync(server.pidFile) || !readFileSync(server.pidFile, 'utf8').trim()) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const code = await exited;
    expect(code).not.toBe(0);
    expect(stderr).toContain('`git fetch` with `origin` was interrupted');
    waitGone(Number(readFileSync(server.pidFile, 'utf8')));
    expect(git(remote, ['for-each-ref'])).toBe(before.refs);
    expect(snapshotFiles(dir)).toEqual(before.files);
  });
});
