import { describe, expect, it } from 'vitest';
import { isExpired, parseClaim, serializeClaim } from '../src/remote/claims.js';
import { parsePush, pushArgs } from '../src/remote/git-remote.js';
import { remoteSettings } from '../src/remote/settings.js';
import { parseConfig } from '../src/workspace/config.js';
import { baton, git, makeProject, snapshotFiles, write } from './helpers/repo.js';

describe('claims, pushes and the remote settings', () => {
  it('a claim round-trips through its commit message; anything else is not a claim', () => {
    const info = { task: 'T-1a2b', runner: 'ci-7', expires: '2026-11-30T10:00:00.000Z', since: '2026-11-30T09:50:00.000Z' };
    expect(parseClaim(serializeClaim(info))).toEqual(info);
    expect(parseClaim('Merge branch x')).toBeUndefined();
    expect(parseClaim('{"task":"T-1"}')).toBeUndefined();
    expect(isExpired(info, Date.parse('2026-11-30T09:59:59Z'))).toBe(false);
    expect(isExpired(info, Date.parse('2026-11-30T10:00:00Z'))).toBe(true);
    expect(isExpired({ expires: 'soon' })).toBe(true);
  });

  it('a claim is a create-only push; a refused ref is a rejection, a dead remote is not', () => {
    expect(pushArgs('origin', [{ src: 'abc', dst: 'refs/baton/claims/T-1', expect: '' }], false))
      .toEqual(['push', '--porcelain', '--no-verify', '--force-with-lease=refs/baton/claims/T-1:', 'origin', 'abc:refs/baton/claims/T-1']);
    const stale = parsePush({ code: 1, stdout: 'To ../r.git\n!\tabc:refs/baton/claims/T-1\t[rejected] (stale info)\nDone\n', stderr: 'error: failed to push some refs' });
    expect(stale).toEqual({ ok: false, rejected: true, detail: 'abc:refs/baton/claims/T-1 [rejected] (stale info)' });
    const gone = parsePush({ code: 128, stdout: '', stderr: "fatal: '../nowhere' does not appear to be a git repository\n" });
    expect(gone.rejected).toBe(false);
  });

  it('settings come from --remote or `remote:`, with the lease, the stall timeout and runner name', () => {
    const config = parseConfig('remote:\n  name: upstream\n  lease_s: 30\n  poll_s: 2\n  stall_s: 5\n', '.agents/config.yaml');
    expect(remoteSettings(config, undefined, { BATON_RUNNER: 'box-1' })).toEqual({ remote: 'upstream', leaseMs: 30_000, renewMs: 10_000, pollMs: 2000, runner: 'box-1', stallMs: 5000 });
    expect(remoteSettings(parseConfig('remote: origin\n', 'c'), undefined, {})?.stallMs).toBe(60_000);
    expect(remoteSettings(config, 'origin', {})?.remote).toBe('origin');
    expect(remoteSettings(parseConfig('base_branch: main\n', 'c'), undefined, {})).toBeUndefined();
  });

  it('a bad `remote.lease_s` is named with its file, and auto changes nothing', () => {
    const dir = makeProject();
    write(dir, '.agents/config.yaml', 'remote:\n  name: origin\n  lease_s: -5\n');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'config']);
    const before = snapshotFiles(dir);
    const r = baton(dir, ['auto', '--no-review']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('.agents/config.yaml: `remote.lease_s` must be a number of seconds above 0, got -5');
    expect(snapshotFiles(dir)).toEqual(before);
  });
});
