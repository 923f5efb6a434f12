#!/usr/bin/env node
/**
 * Installs the agent CLIs the conformance suite runs for real (test/agent-clis.test.ts), at the
 * versions the presets say are tested, each into its own folder of a cache outside node_modules:
 * `${BATON_AGENT_CLIS_DIR:-${XDG_CACHE_HOME:-~/.cache}/baton-agent-clis}/<package>@<version>`.
 * A folder already holding the CLI is kept. Run after `npm run build` (.ci/run does).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const { PRESETS } = await import(new URL('../dist/agents/executors/presets.js', import.meta.url).href);

export function agentClisDir(env = process.env) {
  return env.BATON_AGENT_CLIS_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'baton-agent-clis');
}

/**
 * Other planners whose real CLIs make the inputs of `baton import`'s tests (test/import-planners.test.ts),
 * pinned like the agent CLIs (scripts/planner-clis.json), into the same cache.
 */
const PLANNERS = JSON.parse(readFileSync(new URL('./planner-clis.json', import.meta.url), 'utf8'));

let failed = 0;
for (const [name, preset] of [...Object.entries(PRESETS), ...Object.entries(PLANNERS)]) {
  if (!preset.package || !preset.tested.length) continue;
  const version = preset.tested[0];
  const dir = join(agentClisDir(), `${preset.package.replace('/', '+')}@${version}`);
  const bin = join(dir, 'node_modules', '.bin', preset.command.split(' ')[0]);
  if (existsSync(bin)) {
    console.log(`${name}: ${preset.package}@${version} already in ${dir}`);
    continue;
  }
  mkdirSync(dir, { recursive: true });
  console.log(`${name}: installing ${preset.package}@${version} into ${dir}`);
  const r = spawnSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--no-save', '--loglevel=error', `${preset.package}@${version}`], { stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(bin)) {
    console.error(`${name}: could not install ${preset.package}@${version}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
