/**
 * `baton config get|set KEY [VALUE]`: one setting of .agents/config.yaml, by a
 * dotted key (`models.implementer.model`). A set goes through yaml's Document,
 * so comments, key order and every other line stay as the person wrote them;
 * the new file is validated like any read before it replaces the old one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { BatonError, USAGE_EXIT } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { currentBranch } from '../git/gitdir.js';
import { branchExists, gitRun } from '../git/task-branch.js';
import { writeFileAtomic } from './atomic.js';
import { DEFAULT_CONFIG_TEXT, parseConfig, type Config } from './config.js';
import { agentsPaths, rel } from './paths.js';
import { yaml } from './yaml.js';

const TOP_KEYS = ['base_branch', 'branch_prefix', 'worktree_dir', 'worktree_setup', 'context_budget', 'record_off_task_commits', 'commit_plan_changes', 'models', 'executors', 'prices'];

function keyPath(key: string): string[] {
  const path = key.split('.');
  if (!key || path.some((p) => p === '')) {
    throw new BatonError(`\`${key}\` is not a setting name`, { hint: 'Name a key, or a dotted path such as `models.implementer.model`.' });
  }
  if (!TOP_KEYS.includes(path[0]!)) {
    const near = TOP_KEYS.find((k) => k.startsWith(path[0]!.slice(0, 4)));
    throw new BatonError(`unknown setting \`${path[0]}\``, {
      hint: `${near ? `Did you mean \`${near}\`? ` : ''}Settings: ${TOP_KEYS.map((k) => `\`${k}\``).join(', ')}.`,
    });
  }
  return path;
}

function configText(root: string): { path: string; text: string; exists: boolean } {
  const path = agentsPaths(root).config;
  if (!existsSync(path)) {
    if (!existsSync(agentsPaths(root).dir)) throw new BatonError(`no .agents/ folder in ${root}`, { hint: 'Run `baton init` first.' });
    return { path, text: DEFAULT_CONFIG_TEXT, exists: false };
  }
  return { path, text: readFileSync(path, 'utf8'), exists: true };
}

/** The value in effect (the file's, else the default), or an error naming the key. */
export function getConfigValue(root: string, key: string): unknown {
  const path = keyPath(key);
  const { path: file, text } = configText(root);
  const config: Config = parseConfig(text, rel(root, file));
  let value: unknown = { ...config.raw, ...config, raw: undefined };
  for (const part of path) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  }
  if (value === undefined) {
    throw new BatonError(`\`${key}\` is not set in ${rel(root, file)}`, { hint: `Set it with \`baton config set ${key} VALUE\`.` });
  }
  return value;
}

/** A base branch that does not exist would make every `start` fail later: refused now, with the branches there are. */
function requireBranch(root: string, name: string): void {
  if (branchExists(root, name) || currentBranch(root) === name) return; // the current branch may have no commit yet
  const known = gitRun(root, ['for-each-ref', '--format=%(refname:short)', 'refs/heads']).stdout.split('\n').filter(Boolean);
  throw new BatonError(`no branch \`${name}\` in this repository.${didYouMean(name, known)}`, {
    hint: known.length ? `Branches: ${known.slice(0, 10).map((b) => `\`${b}\``).join(', ')}${known.length > 10 ? ` and ${known.length - 10} more` : ''}. Create it first (\`git branch ${name}\`) to use it.` : `Create it first (\`git branch ${name}\`).`,
    exitCode: USAGE_EXIT,
  });
}

/** A value as typed on the command line: YAML scalars (`16000`, `true`), anything else as text. */
export function parseValue(text: string): unknown {
  try {
    const v = yaml().parse(text) as unknown;
    return v === null || typeof v === 'object' ? text : v;
  } catch {
    return text;
  }
}

export interface SetResult {
  file: string;
  key: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

export function setConfigValue(root: string, key: string, valueText: string): SetResult {
  const path = keyPath(key);
  const { path: file, text } = configText(root);
  const doc = yaml().parseDocument(text);
  const shown = rel(root, file);
  if (doc.errors.length) parseConfig(text, shown); // throws the located YAML error
  const before = doc.getIn(path) as unknown;
  const after = parseValue(valueText);
  if (path.length === 1 && path[0] === 'base_branch') requireBranch(root, String(after));
  doc.setIn(path, after);
  const next = doc.toString();
  parseConfig(next, shown); // a value the config does not accept: the error names it, nothing is written
  const changed = next !== text;
  if (changed) writeFileAtomic(file, next);
  return { file: shown, key, before: before && typeof before === 'object' ? String(before) : before, after, changed };
}
