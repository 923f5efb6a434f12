/**
 * A git merge driver for `.agents/plan.md`. Two branches that each add tasks
 * both rewrite the generated task table, and git's line merge reports a
 * conflict there although nothing really clashes. This driver merges the
 * person's prose with git's own 3-way merge (`git merge-file`, so real prose
 * conflicts are still reported) and rebuilds the table from the rows of both
 * sides. It runs only during a merge that touches plan.md, never per commit.
 * git-hooks/merge-driver.ts registers it in git's config.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStatus, type Task } from '../core/task.js';
import { gitRun } from '../git/task-branch.js';
import { blockRows, withoutTaskBlock, withTaskBlock, type BlockRow } from './plan.js';
import { AGENTS } from '../workspace/paths.js';

/** For each task: the side that changed its row wins; a row deleted on one side and untouched on the other goes. */
export function mergeRows(base: Map<string, BlockRow>, ours: Map<string, BlockRow>, theirs: Map<string, BlockRow>): BlockRow[] {
  const ids = new Set([...ours.keys(), ...theirs.keys()]);
  const out: BlockRow[] = [];
  for (const id of ids) {
    const b = base.get(id)?.line, o = ours.get(id), t = theirs.get(id);
    if (!o) { if (t && t.line !== b) out.push(t); continue; }
    if (!t) { if (o.line !== b) out.push(o); continue; }
    out.push(o.line === b ? t : o);
  }
  return out;
}

/** A task as far as a table row tells; `order` keeps the rows' order where the graph allows. */
function rowTask(row: BlockRow, order: number): Task {
  const status = row.status === 'ready' ? 'todo' : isStatus(row.status) ? row.status : 'todo';
  return {
    id: row.id, title: row.title, status, depends_on: row.depends_on, phase: row.phase || undefined,
    files: [], checks: [], path: `${AGENTS.tasks}/${row.file}`, body: '', lines: {}, created: new Date(order).toISOString(),
  };
}

/** Merge three versions of plan.md; `conflicts` > 0 when the prose itself clashed (markers are then in the text). */
export function mergePlan(base: string, ours: string, theirs: string): { text: string; conflicts: number } {
  const dir = mkdtempSync(join(tmpdir(), 'baton-merge-'));
  try {
    const files = ['ours', 'base', 'theirs'].map((n) => join(dir, n));
    [ours, base, theirs].forEach((text, i) => writeFileSync(files[i]!, withoutTaskBlock(text)));
    // Exit code: the number of conflicts (capped at 127); above that, an error.
    const r = gitRun(dir, ['merge-file', '-p', '-L', 'ours', '-L', 'base', '-L', 'theirs', ...files]);
    if (r.code > 127) throw new Error(`git merge-file failed: ${r.stderr}`);
    const rows = mergeRows(blockRows(base), blockRows(ours), blockRows(theirs));
    const hasBlock = [ours, theirs].some((t) => t.includes('<!-- baton:tasks:begin'));
    const text = hasBlock && rows.length ? withTaskBlock(r.stdout, rows.map((row, i) => rowTask(row, i))) : r.stdout;
    return { text, conflicts: r.code };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `baton merge-driver plan %O %A %B`: git's contract is to write the result into %A. */
export function runPlanDriver(basePath: string, oursPath: string, theirsPath: string): number {
  const read = (p: string) => readFileSync(p, 'utf8');
  const { text, conflicts } = mergePlan(read(basePath), read(oursPath), read(theirsPath));
  writeFileSync(oursPath, text);
  return conflicts > 0 ? 1 : 0;
}
