/**
 * The plan lives in git. A command that changes it (init, task add/set/edit,
 * plan, review, config set) commits exactly the files it wrote, one commit on
 * the branch it ran on, with `git commit -- <paths>`: whatever the person had
 * staged stays staged and out of the commit. `commit_plan_changes: false` in
 * config.yaml, or `--no-commit`, leaves the files for them to commit.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { batonMessage, commitPaths, gitRun } from '../git/task-branch.js';
import { readConfig } from '../workspace/config.js';
import { AGENTS } from '../workspace/paths.js';
import { withCheckoutLock } from '../workspace/pid-lock.js';

/** What `.agents/` held before a command: path → a stamp of its bytes (inode, size, time). */
export interface AgentsSnapshot {
  root: string;
  files: Map<string, string>;
}

function walk(root: string, dir: string, out: Map<string, string>): void {
  const abs = join(root, dir);
  if (!existsSync(abs)) return;
  for (const entry of readdirSync(abs, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) walk(root, path, out);
    else if (entry.isFile()) {
      const s = statSync(join(root, path));
      out.set(path, `${s.ino}:${s.size}:${s.mtimeMs}`);
    }
  }
}

export function snapshotAgents(root: string): AgentsSnapshot {
  const files = new Map<string, string>();
  walk(root, AGENTS.dir, files);
  return { root, files };
}

/** The `.agents/` paths written (created, changed or deleted) since the snapshot. */
export function writtenSince(before: AgentsSnapshot): string[] {
  const after = snapshotAgents(before.root).files;
  const changed = [...after].filter(([p, stamp]) => before.files.get(p) !== stamp).map(([p]) => p);
  const gone = [...before.files.keys()].filter((p) => !after.has(p));
  return [...changed, ...gone].sort();
}

export interface PlanCommit {
  /** Short SHA of the commit; undefined when nothing was committed. */
  commit?: string;
  paths: string[];
  /** Why nothing was committed although files were written: `off` (config or --no-commit), or git's refusal. */
  skipped?: 'off' | string;
}

export interface PlanCommitOptions {
  /** false: `--no-commit` was given. */
  commit?: boolean;
}

/** Whether plan changes are committed here: `--no-commit` wins, then `commit_plan_changes`. */
export function commitsPlanChanges(root: string, opts: PlanCommitOptions = {}): boolean {
  if (opts.commit === false) return false;
  try {
    return readConfig(root).commit_plan_changes;
  } catch {
    return true; // a config doctor reports as broken: the default
  }
}

/**
 * Commit `paths` (relative to `root`) as one of baton's Plan commits, one
 * writer at a time in the checkout. A path deleted and never tracked is left
 * out. Never throws for git's refusal (a merge in progress, a hook that said
 * no): the files are written, and the answer says what to run.
 */
export async function commitPlanChange(root: string, paths: readonly string[], subject: string, opts: PlanCommitOptions = {}): Promise<PlanCommit> {
  const wanted = [...new Set(paths)];
  if (!wanted.length) return { paths: [] };
  if (!commitsPlanChanges(root, opts)) return { paths: wanted, skipped: 'off' };
  return withCheckoutLock(root, 'commit', () => {
    const tracked = new Set(gitRun(root, ['ls-files', '-z', '--', ...wanted]).stdout.split('\0').filter(Boolean));
    const present = wanted.filter((p) => existsSync(join(root, p)) || tracked.has(p));
    try {
      return { commit: commitPaths(root, present, batonMessage(subject, 'plan')), paths: present };
    } catch (error) {
      return { paths: present, skipped: error instanceof BatonError ? error.message : String(error) };
    }
  });
}

/** The files under `.agents/` this command wrote (optionally only among `among`), committed. */
export async function commitWritten(before: AgentsSnapshot, subject: string, opts: PlanCommitOptions = {}, among?: readonly string[]): Promise<PlanCommit> {
  const keep = among ? new Set(among) : undefined;
  const written = writtenSince(before).filter((p) => !keep || keep.has(p));
  return commitPlanChange(before.root, written, subject, opts);
}

/** The line a command prints about its plan commit (undefined: nothing to say). */
export function planCommitNote(r: PlanCommit, subject: string): string | undefined {
  if (r.commit) return `committed ${r.commit}  ${subject}`;
  if (!r.paths.length || r.skipped === 'off' || r.skipped === undefined) return undefined;
  const list = r.paths.map((p) => `'${p}'`).join(' ');
  return `not committed (${r.skipped}); commit it with: git add -- ${list} && git commit -m ${JSON.stringify(subject)} -- ${list}`;
}

/** `Plan: 3 new, 1 amended tasks, plan.md`: what `plan` changed, for its commit. */
export function planSubject(c: { created: readonly unknown[]; amended: readonly unknown[]; planChanged: boolean }): string {
  const parts = [c.created.length ? `${c.created.length} new` : '', c.amended.length ? `${c.amended.length} amended` : ''].filter(Boolean);
  if (!parts.length) return 'Plan: plan.md';
  return `Plan: ${parts.join(', ')} task${c.created.length + c.amended.length === 1 ? '' : 's'}${c.planChanged ? ', plan.md' : ''}`;
}

/** `Review R-002: 1 filed, 1 reopened`: what a review changed, for its commit. */
export function reviewSubject(c: { id: string; filed: readonly unknown[]; reopened: readonly unknown[]; accepted: readonly unknown[]; split: readonly unknown[] }): string {
  const parts = [
    c.filed.length ? `${c.filed.length} filed` : '', c.reopened.length ? `${c.reopened.length} reopened` : '',
    c.accepted.length ? `${c.accepted.length} accepted` : '', c.split.length ? `${c.split.length} split` : '',
  ].filter(Boolean);
  return `Review ${c.id}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/** `Plan: set T-7f3a status blocked; phase DB`: the fields `task set` was given. */
export function setSubject(id: string, changes: Record<string, unknown>): string {
  const said = Object.entries(changes).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : String(v)}`);
  return `Plan: set ${id} ${said.join('; ')}`;
}
