/**
 * A git merge driver for `.agents/plan.md`. Two branches that each add tasks
 * both rewrite the generated task table, and git's line merge reports a
 * conflict there although nothing really clashes. This driver merges the
 * person's prose with git's own 3-way merge (`git merge-file`, so real prose
 * conflicts are still reported) and rebuilds the table from the rows of both
 * sides. It runs only during a merge that touches plan.md, never per commit.
 * The task files' driver (mergeTaskFile) does the same for baton's own front
 * matter fields. git-hooks/merge-driver.ts registers both in git's config.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStatus, type Task } from '../core/task.js';
import { gitRun } from '../git/task-branch.js';
import { blockRows, withoutTaskBlock, withTaskBlock, type BlockRow } from './plan.js';
import { AGENTS } from '../workspace/paths.js';
import { parseFrontMatter, setFrontMatterFields } from '../workspace/frontmatter.js';

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

/** git's own 3-way merge of three texts (`git merge-file -p`); `conflicts` > 0 leaves markers in the text. */
function mergeText(base: string, ours: string, theirs: string): { text: string; conflicts: number } {
  const dir = mkdtempSync(join(tmpdir(), 'baton-merge-'));
  try {
    const files = ['ours', 'base', 'theirs'].map((n) => join(dir, n));
    [ours, base, theirs].forEach((text, i) => writeFileSync(files[i]!, text));
    // Exit code: the number of conflicts (capped at 127); above that, an error.
    const r = gitRun(dir, ['merge-file', '-p', '-L', 'ours', '-L', 'base', '-L', 'theirs', ...files]);
    if (r.code > 127) throw new Error(`git merge-file failed: ${r.stderr}`);
    return { text: r.stdout, conflicts: r.code };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Merge three versions of plan.md; `conflicts` > 0 when the prose itself clashed (markers are then in the text). */
export function mergePlan(base: string, ours: string, theirs: string): { text: string; conflicts: number } {
  const r = mergeText(withoutTaskBlock(base), withoutTaskBlock(ours), withoutTaskBlock(theirs));
  const rows = mergeRows(blockRows(base), blockRows(ours), blockRows(theirs));
  const hasBlock = [ours, theirs].some((t) => t.includes('<!-- baton:tasks:begin'));
  const text = hasBlock && rows.length ? withTaskBlock(r.text, rows.map((row, i) => rowTask(row, i))) : r.text;
  return { text, conflicts: r.conflicts };
}

/** Front matter fields baton itself writes as a task moves (start, log, done, review): they never conflict. */
export const OWN_FIELDS = ['status', 'branch'] as const;

/**
 * Which status wins when both sides changed it: the one further along. A task
 * reopened on the base (`todo`) and finished on its branch (`done`) is done,
 * since the branch carries the new attempt's work.
 */
const RANK: Record<string, number> = { todo: 0, 'in-progress': 1, blocked: 2, review: 3, done: 4, cancelled: 5 };

function frontMatterData(text: string): Record<string, unknown> | undefined {
  try {
    return parseFrontMatter(text, 'task').data;
  } catch {
    return undefined;
  }
}

/**
 * Baton's own fields of three versions of a task file, each decided once:
 * a field only one side changed takes that side's value; both changed, the
 * status further along wins and its side's branch comes with it.
 */
export function resolveOwnFields(base: Record<string, unknown>, ours: Record<string, unknown>, theirs: Record<string, unknown>): Record<string, unknown> {
  const pick = (key: string): 'ours' | 'theirs' | 'both' => {
    const b = JSON.stringify(base[key]), o = JSON.stringify(ours[key]), t = JSON.stringify(theirs[key]);
    if (o === t || t === b) return 'ours';
    return o === b ? 'theirs' : 'both';
  };
  const rank = (v: unknown) => RANK[String(v)] ?? -1;
  const statusSide = pick('status');
  const winner = statusSide === 'both' ? (rank(theirs.status) > rank(ours.status) ? theirs : ours) : statusSide === 'theirs' ? theirs : ours;
  const out: Record<string, unknown> = { status: winner.status };
  const branchSide = pick('branch');
  out.branch = branchSide === 'both' ? winner.branch : branchSide === 'theirs' ? theirs.branch : ours.branch;
  return out;
}

/**
 * Merge three versions of a task file: baton's own fields (OWN_FIELDS) are
 * decided by resolveOwnFields and written into all three versions first, so
 * git's 3-way merge of the rest (`git merge-file`) never stops on them; what a
 * person wrote still conflicts where both sides changed it. A version whose
 * front matter does not parse is merged as plain text.
 */
export function mergeTaskFile(base: string, ours: string, theirs: string): { text: string; conflicts: number } {
  const data = [base, ours, theirs].map(frontMatterData);
  if (data.some((d) => d === undefined)) return mergeText(base, ours, theirs);
  const own = resolveOwnFields(data[0]!, data[1]!, data[2]!);
  const [b, o, t] = [base, ours, theirs].map((text) => setFrontMatterFields(text, 'task', own));
  return mergeText(b!, o!, t!);
}

/** `baton merge-driver task %O %A %B`: the result goes into %A. */
export function runTaskDriver(basePath: string, oursPath: string, theirsPath: string): number {
  const read = (p: string) => readFileSync(p, 'utf8');
  const { text, conflicts } = mergeTaskFile(read(basePath), read(oursPath), read(theirsPath));
  writeFileSync(oursPath, text);
  return conflicts > 0 ? 1 : 0;
}

/** `baton merge-driver plan %O %A %B`: git's contract is to write the result into %A. */
export function runPlanDriver(basePath: string, oursPath: string, theirsPath: string): number {
  const read = (p: string) => readFileSync(p, 'utf8');
  const { text, conflicts } = mergePlan(read(basePath), read(oursPath), read(theirsPath));
  writeFileSync(oursPath, text);
  return conflicts > 0 ? 1 : 0;
}
