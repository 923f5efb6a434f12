/**
 * Registers the plan.md merge driver (tasks/merge-driver.ts) in the repository's
 * git config and .gitattributes line, beside the hooks `baton hooks install` puts in.
 */
import { join } from 'node:path';
import { gitRun } from '../git/task-branch.js';
import { packageRoot } from '../workspace/package.js';
import { AGENTS } from '../workspace/paths.js';

export const DRIVER_NAME = 'baton-plan';
export const PLAN_ATTRIBUTE = `${AGENTS.plan} merge=${DRIVER_NAME}`;

function sq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The driver's command: baton from where it was installed, then on PATH, then
 * in node_modules/.bin; where none is found, git's own 3-way merge of the file
 * (conflict markers, both sides kept), never only our side.
 */
export function mergeDriverCommand(pkg: string, node: string): string {
  const bin = sq(join(pkg, 'dist', 'bin.js'));
  const args = 'merge-driver plan %O %A %B';
  return `n=${sq(node)}; [ -x "$n" ] || n=node; if [ -r ${bin} ]; then "$n" ${bin} ${args}; `
    + `elif command -v baton >/dev/null 2>&1; then baton ${args}; `
    + `elif [ -x node_modules/.bin/baton ]; then node_modules/.bin/baton ${args}; `
    + `else git merge-file -L ours -L base -L theirs %A %O %B; fi`;
}

/** Register the driver in the repository's git config (shared by its worktrees; a machine path is fine there). */
export function installMergeDriver(root: string, pkg = packageRoot()): string[] {
  const command = mergeDriverCommand(pkg, process.execPath);
  const current = gitRun(root, ['config', '--local', '--get', `merge.${DRIVER_NAME}.driver`]).stdout.trim();
  if (current === command) return [];
  gitRun(root, ['config', '--local', `merge.${DRIVER_NAME}.name`, 'baton: merge plan.md prose, rebuild its task table']);
  gitRun(root, ['config', '--local', `merge.${DRIVER_NAME}.driver`, command]);
  return [`merge driver ${DRIVER_NAME} for .agents/plan.md (git config)`];
}

export function uninstallMergeDriver(root: string): string[] {
  const r = gitRun(root, ['config', '--local', '--remove-section', `merge.${DRIVER_NAME}`]);
  return r.code === 0 ? [`merge driver ${DRIVER_NAME} removed from git config`] : [];
}

