/**
 * Registers baton's merge drivers in the repository's git config: plan.md's
 * (tasks/merge-driver.ts, named in the tracked .gitattributes), the memory
 * files' (memory/merge.ts) and the task files' (tasks/merge-driver.ts), beside
 * the hooks `baton hooks install` puts in.
 *
 * The memory and task drivers are named in `info/attributes` in the git dir, not in the
 * tracked .gitattributes (which keeps `merge=union`): git gives that file the
 * last word, and a clone where baton is not installed, which has no driver to
 * run, keeps git's union instead of falling back to conflict markers.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { gitRun } from '../git/task-branch.js';
import { packageRoot } from '../workspace/package.js';
import { AGENTS } from '../workspace/paths.js';
import { writeFileAtomic } from '../workspace/atomic.js';

export const DRIVER_NAME = 'baton-plan';
export const PLAN_ATTRIBUTE = `${AGENTS.plan} merge=${DRIVER_NAME}`;
export const MEMORY_DRIVER_NAME = 'baton-memory';
export const MEMORY_ATTRIBUTE = `${AGENTS.memory}/*.md merge=${MEMORY_DRIVER_NAME}`;
export const TASK_DRIVER_NAME = 'baton-task';
export const TASK_ATTRIBUTE = `${AGENTS.tasks}/*.md merge=${TASK_DRIVER_NAME}`;
/** Named in the git dir's info/attributes: a clone without baton keeps git's own merge of these files. */
const INFO_ATTRIBUTES = [MEMORY_ATTRIBUTE, TASK_ATTRIBUTE];

function sq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The driver's command: baton from where it was installed, then on PATH, then
 * in node_modules/.bin; where none is found, git's own merge of the file:
 * 3-way with conflict markers for plan.md (both sides kept, never only ours),
 * the line union memory files had before for them.
 */
export function mergeDriverCommand(pkg: string, node: string, kind: 'plan' | 'memory' | 'task' = 'plan'): string {
  const bin = sq(join(pkg, 'dist', 'bin.js'));
  const args = kind === 'memory' ? 'merge-driver memory %O %A %B %P' : `merge-driver ${kind} %O %A %B`;
  const fallback = kind === 'memory' ? 'git merge-file --union %A %O %B' : 'git merge-file -L ours -L base -L theirs %A %O %B';
  // A memory merge never stops: a baton too old to know the memory kind leaves %A as it was, and union decides.
  const run = kind === 'memory' ? `{ "$n" ${bin} ${args} || ${fallback}; }` : `"$n" ${bin} ${args}`;
  return `n=${sq(node)}; [ -x "$n" ] || n=node; if [ -r ${bin} ]; then ${run}; `
    + `elif command -v baton >/dev/null 2>&1; then baton ${args}; `
    + `elif [ -x node_modules/.bin/baton ]; then node_modules/.bin/baton ${args}; `
    + `else ${fallback}; r=$?; ${FALLBACK_NOTICE}; [ "$r" = 0 ]; fi`;
}

/**
 * Said once per merge (a mark per git process in the git dir) when no baton is found:
 * git's own merge ran instead, and what it cannot do as well is for `doctor --fix`.
 */
const FALLBACK_NOTICE = 'm="$(git rev-parse --git-dir 2>/dev/null)/baton/merge-fallback-$PPID"; '
  + 'if ! [ -e "$m" ]; then mkdir -p "${m%/*}" 2>/dev/null; : > "$m" 2>/dev/null; '
  + 'echo "baton: merge driver: baton is not found here, so git merged %P and the other files of .agents/ by its own rules (memory: line union, nothing lost). Run: baton hooks install, then: baton doctor --fix" >&2; fi';

const DRIVERS = [
  { name: DRIVER_NAME, kind: 'plan', label: 'baton: merge plan.md prose, rebuild its task table', what: AGENTS.plan },
  { name: MEMORY_DRIVER_NAME, kind: 'memory', label: 'baton: merge memory entry by entry', what: `${AGENTS.memory}/*.md` },
  { name: TASK_DRIVER_NAME, kind: 'task', label: 'baton: merge task files, baton\'s own fields (status, branch) decided', what: `${AGENTS.tasks}/*.md` },
] as const;

/** Register the drivers in the repository's git config (shared by its worktrees; a machine path is fine there). */
export function installMergeDriver(root: string, pkg = packageRoot()): string[] {
  const lines: string[] = [];
  for (const d of DRIVERS) {
    const command = mergeDriverCommand(pkg, process.execPath, d.kind);
    const current = gitRun(root, ['config', '--local', '--get', `merge.${d.name}.driver`]).stdout.trim();
    if (current === command) continue;
    gitRun(root, ['config', '--local', `merge.${d.name}.name`, d.label]);
    gitRun(root, ['config', '--local', `merge.${d.name}.driver`, command]);
    lines.push(`merge driver ${d.name} for ${d.what} (git config)`);
  }
  const attributes = infoAttributes(root);
  const text = existsSync(attributes) ? readFileSync(attributes, 'utf8') : '';
  const missing = INFO_ATTRIBUTES.filter((a) => !text.split('\n').some((l) => l.trim() === a));
  if (missing.length) {
    mkdirSync(dirname(attributes), { recursive: true });
    writeFileAtomic(attributes, `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${missing.join('\n')}\n`);
    for (const a of missing) lines.push(`${a.split(' ')[1]} for ${a.split(' ')[0]} (git dir's info/attributes)`);
  }
  return lines;
}

export function uninstallMergeDriver(root: string): string[] {
  const lines: string[] = [];
  for (const d of DRIVERS) {
    const r = gitRun(root, ['config', '--local', '--remove-section', `merge.${d.name}`]);
    if (r.code === 0) lines.push(`merge driver ${d.name} removed from git config`);
  }
  const attributes = infoAttributes(root);
  const text = existsSync(attributes) ? readFileSync(attributes, 'utf8') : '';
  const kept = text.split('\n').filter((l) => !INFO_ATTRIBUTES.includes(l.trim()));
  if (kept.length !== text.split('\n').length) {
    if (kept.join('').trim() === '') rmSync(attributes);
    else writeFileAtomic(attributes, kept.join('\n'));
  }
  return lines;
}

/** `info/attributes` in the repository's common git dir (one for all its worktrees). */
function infoAttributes(root: string): string {
  const common = gitRun(root, ['rev-parse', '--git-common-dir']).stdout.trim();
  return join(isAbsolute(common) ? common : join(root, common), 'info', 'attributes');
}
