/**
 * The command that installs a project's dependencies, read from the lock file
 * it has: `init` proposes it as `worktree_setup`, and the CI workflow runs it
 * before any check. Frozen installs only: a check must run against what the
 * lock file says, and a CI run must never rewrite it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface DependencySetup {
  command: string;
  /** The file it was read from, to say why. */
  from: string;
}

/** First match wins: a lock file before a manifest, JavaScript before the rest (a repo with both usually builds with node). */
const RULES: readonly { files: readonly string[]; command: (has: (f: string) => boolean) => string }[] = [
  { files: ['package-lock.json', 'npm-shrinkwrap.json'], command: () => 'npm ci' },
  { files: ['pnpm-lock.yaml'], command: () => 'pnpm install --frozen-lockfile' },
  // Yarn 2+ (a .yarnrc.yml) spells it --immutable; yarn 1 --frozen-lockfile.
  { files: ['yarn.lock'], command: (has) => (has('.yarnrc.yml') ? 'yarn install --immutable' : 'yarn install --frozen-lockfile') },
  { files: ['bun.lock', 'bun.lockb'], command: () => 'bun install --frozen-lockfile' },
  { files: ['uv.lock'], command: () => 'uv sync --frozen' },
  { files: ['poetry.lock'], command: () => 'poetry install --no-interaction' },
  { files: ['Pipfile.lock'], command: () => 'pipenv sync --dev' },
  { files: ['requirements.txt'], command: () => 'pip install -r requirements.txt' },
  { files: ['Gemfile.lock'], command: () => 'bundle install' },
  { files: ['go.sum'], command: () => 'go mod download' },
  { files: ['Cargo.lock'], command: () => 'cargo fetch --locked' },
];

/** Pure over the set of file names at the root. */
export function dependencySetupOf(has: (file: string) => boolean): DependencySetup | undefined {
  for (const rule of RULES) {
    const from = rule.files.find(has);
    if (from) return { command: rule.command(has), from };
  }
  return undefined;
}

export function detectDependencySetup(root: string): DependencySetup | undefined {
  return dependencySetupOf((f) => existsSync(join(root, f)));
}

/** Package managers that need `corepack enable` on a fresh runner before their command exists. */
export function needsCorepack(command: string): boolean {
  return /^(pnpm|yarn)\b/.test(command.trim());
}
