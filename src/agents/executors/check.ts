/**
 * `baton executors check`: for each preset (and each `executors:` entry), is
 * its CLI on PATH, which version, and is that a version the conformance suite
 * runs for real (the preset's `tested` list)?
 */
import { spawnSync } from 'node:child_process';
import { BatonError } from '../../core/errors.js';
import { PRESETS, type CommandSpec } from './presets.js';

export interface ExecutorCheck {
  name: string;
  /** The program the command runs (its first word). */
  program: string;
  installed: boolean;
  version?: string;
  /** Versions the tests cover; empty for an untested preset or your own entry. */
  tested: readonly string[];
  /** The installed version is one of them. */
  covered: boolean;
  package?: string;
}

const VERSION_WAIT_MS = 20_000;

export function checkExecutors(custom: Record<string, CommandSpec>, names: readonly string[] | undefined, env: NodeJS.ProcessEnv): ExecutorCheck[] {
  const all: Record<string, CommandSpec & { tested?: readonly string[]; package?: string }> = { ...PRESETS, ...custom };
  const unknown = (names ?? []).filter((n) => !all[n]);
  if (unknown.length) {
    throw new BatonError(`unknown executor ${unknown.map((n) => `\`${n}\``).join(', ')}`, {
      hint: `Known: ${Object.keys(all).map((n) => `\`${n}\``).join(', ')}.`,
    });
  }
  return (names?.length ? names : Object.keys(all)).map((name) => {
    const spec = all[name]!;
    const program = /^\s*(\S+)/.exec(spec.command)?.[1] ?? '';
    const tested = spec.tested ?? [];
    const r = spawnSync(program, ['--version'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: VERSION_WAIT_MS, killSignal: 'SIGKILL' });
    const installed = !r.error || (r.error as NodeJS.ErrnoException).code !== 'ENOENT';
    const version = installed ? /\d+\.\d+\.\d+(?:[-+][\w.]+)?/.exec(`${r.stdout ?? ''}\n${r.stderr ?? ''}`)?.[0] : undefined;
    return { name, program, installed, ...(version ? { version } : {}), tested, covered: !!version && tested.includes(version), ...(spec.package ? { package: spec.package } : {}) };
  });
}
