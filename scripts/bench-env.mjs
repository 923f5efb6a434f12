/**
 * What every bench script runs with: the built CLI, the scripted demo agent, and an environment
 * with a fixed identity and no user or system git config, so figures do not depend on the machine.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'dist', 'bin.js');
export const AGENT = join(ROOT, 'demo', 'agent.mjs');
export const ENV = Object.freeze({
  ...process.env,
  GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'b@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1',
});
