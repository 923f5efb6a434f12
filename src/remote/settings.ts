/**
 * The `remote:` block of .agents/config.yaml: which git remote the runners
 * share, how long a claim's lease lasts, how often an idle runner looks again.
 *
 * remote:
 *   name: origin      # coordinate through this remote without passing --remote
 *   lease_s: 600      # a claim not renewed for this long can be taken over
 *   poll_s: 15        # an idle runner fetches the claims this often
 *   runner: ci-7      # this runner's name (default: $BATON_RUNNER, else host:pid)
 *   stall_s: 60       # a fetch or push that receives nothing for this long is stopped
 */
import { hostname } from 'node:os';
import { BatonError } from '../core/errors.js';
import type { Config } from '../workspace/config.js';
import { AGENTS } from '../workspace/paths.js';

export interface RemoteSettings {
  remote: string;
  leaseMs: number;
  /** Renew this often: a third of the lease, so one late renewal does not lose it. */
  renewMs: number;
  pollMs: number;
  runner: string;
  /** A fetch or push that receives nothing for this long ends with an error. */
  stallMs: number;
}

const CONFIG = AGENTS.config;

function block(config: Config): Record<string, unknown> {
  const raw = config.raw.remote;
  if (raw === undefined || raw === null) return {};
  if (typeof raw === 'string') return { name: raw };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new BatonError('`remote` must be a remote name or a map (`name`, `lease_s`, `poll_s`, `runner`, `stall_s`)', {
      file: CONFIG, hint: 'e.g.\n  remote:\n    name: origin\n    lease_s: 600',
    });
  }
  return raw as Record<string, unknown>;
}

function seconds(b: Record<string, unknown>, key: string, fallback: number): number {
  const v = b[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !(v > 0)) {
    throw new BatonError(`\`remote.${key}\` must be a number of seconds above 0, got ${JSON.stringify(v)}`, {
      file: CONFIG, hint: `Fix \`${key}\` under \`remote:\`, or delete it to use ${fallback}.`,
    });
  }
  return v;
}

/** The remote named by `--remote`, else by the config; undefined when neither names one. */
export function remoteName(config: Config, flag?: string): string | undefined {
  if (flag) return flag;
  const name = block(config).name;
  return typeof name === 'string' && name ? name : undefined;
}

export function remoteSettings(config: Config, flag?: string, env: NodeJS.ProcessEnv = process.env): RemoteSettings | undefined {
  const remote = remoteName(config, flag);
  if (!remote) return undefined;
  const b = block(config);
  const lease = seconds(b, 'lease_s', 600);
  const runner = env.BATON_RUNNER || (typeof b.runner === 'string' && b.runner) || `${hostname()}:${process.pid}`;
  return { remote, leaseMs: lease * 1000, renewMs: (lease * 1000) / 3, pollMs: seconds(b, 'poll_s', 15) * 1000, runner, stallMs: seconds(b, 'stall_s', 60) * 1000 };
}

/** How long a fetch or push may receive nothing, for commands that name a remote without the rest of the settings. */
export function stallMsOf(config: Config): number {
  return seconds(block(config), 'stall_s', 60) * 1000;
}
