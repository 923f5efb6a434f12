/**
 * `baton memory compact`: the memory of tasks done long ago folded into one
 * summary entry each (memory/compact.ts), the full text linked at HEAD.
 *
 * Which tasks: those `done` with at least `olderThan` other tasks finished
 * (their latest result logged) after them: the default is `memory_fold_after`
 * in config.yaml, else DEFAULT_FOLD_AFTER. Where: on a branch that is not a
 * task branch (the base, in practice): a task branch's memory changes reach
 * the base only through the append-only check at `done`, which would put every
 * folded entry back, so a fold there is refused up front. A file with
 * uncommitted changes is left alone (HEAD's tree must hold the full text the
 * fold links to).
 */
import { existsSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { FOLD_KIND, foldMemory } from '../memory/compact.js';
import { memoryFileKind, memoryPath, parseMemory, writeMemoryText } from '../memory/file.js';
import { taskOfBranch } from '../memory/attribution.js';
import { safeBranch } from '../git/gitdir.js';
import { gitRun } from '../git/task-branch.js';
import { loadTaskHeads } from '../tasks/task-files.js';
import { withLock } from '../workspace/atomic.js';
import type { Project } from '../workspace/context.js';
import { AGENTS, stateDir } from '../workspace/paths.js';
import { commitPlanChange, type PlanCommit } from './plan-commit.js';

/** Default for `memory_fold_after`: a task's memory is folded once this many tasks finished after it. */
export const DEFAULT_FOLD_AFTER = 100;

export interface CompactOptions {
  olderThan?: number;
  dryRun?: boolean;
  /** false: `--no-commit`. */
  commit?: boolean;
}

export interface CompactResult {
  /** The commit the folds link to (HEAD when they were made). */
  link?: string;
  olderThan: number;
  folded: { id: string; entries: number; bytesBefore: number; bytesAfter: number }[];
  skipped: { id: string; reason: string }[];
  /** Done tasks too recent to fold. */
  recent: number;
  committed?: PlanCommit;
  subject?: string;
}

export async function compactMemory(project: Project, opts: CompactOptions = {}): Promise<CompactResult> {
  const { root, config } = project;
  const olderThan = opts.olderThan ?? config.memory_fold_after ?? DEFAULT_FOLD_AFTER;
  if (!Number.isInteger(olderThan) || olderThan < 0) throw new BatonError(`\`--older-than\` must be a whole number of tasks, got ${olderThan}`, { hint: 'Pass e.g. `--older-than 100`.', exitCode: 2 });
  const branch = safeBranch(root);
  const onTask = taskOfBranch(branch, config.branch_prefix);
  if (onTask) {
    throw new BatonError(`memory is folded on the base branch, not on the task branch \`${branch}\``, {
      hint: `Run it on \`${config.base_branch}\` (a task branch may only add to memory: \`baton done\` would put the folded entries back).`,
    });
  }
  const head = gitRun(root, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']);
  if (head.code !== 0) throw new BatonError('there is no commit yet: a fold links to the commit that holds the full text', { hint: 'Commit `.agents/` first.' });
  const link = head.stdout.trim();
  const dirty = new Set(gitRun(root, ['status', '--porcelain', '-z', '--untracked-files=all', '--', AGENTS.memory, AGENTS.prompts]).stdout
    .split('\0').filter((l) => l.length > 3).map((l) => l.slice(3)));

  // Done tasks, oldest finished first: the time of their latest result (else their last entry).
  const done: { id: string; finished: string }[] = [];
  for (const t of loadTaskHeads(root).tasks) {
    if (t.status !== 'done') continue;
    const path = memoryPath(root, t.id);
    if (memoryFileKind(path) !== 'file') continue;
    const entries = parseMemory(readFileSync(path, 'utf8'), t.id).entries;
    const finished = entries.filter((e) => e.kind === 'result').at(-1)?.time ?? entries.at(-1)?.time ?? '';
    done.push({ id: t.id, finished });
  }
  done.sort((a, b) => a.finished.localeCompare(b.finished) || a.id.localeCompare(b.id));
  const old = done.slice(0, Math.max(0, done.length - olderThan));
  const result: CompactResult = { link, olderThan, folded: [], skipped: [], recent: done.length - old.length };
  const written: string[] = [];
  for (const t of old) {
    const rel = AGENTS.memoryFile(t.id);
    if (dirty.has(rel)) {
      result.skipped.push({ id: t.id, reason: 'uncommitted changes (commit them first: the fold links to the file as HEAD holds it)' });
      continue;
    }
    const path = memoryPath(root, t.id);
    await withLock(join(stateDir(root), `memory-${t.id}.lock`), () => {
      const text = readFileSync(path, 'utf8');
      const parsed = parseMemory(text, t.id);
      // The last prompt of a task done long ago goes too (its text stays at the link), unless changed since HEAD.
      const prompt = `${AGENTS.prompts}/${t.id}.md`;
      const withPrompt = existsSync(join(root, prompt)) && !dirty.has(prompt);
      const plan = foldMemory(parsed.entries, parsed.preamble, t.id, link, { prompt: withPrompt });
      if (!plan.text) {
        if (plan.reason !== 'nothing to fold') result.skipped.push({ id: t.id, reason: plan.reason ?? 'not folded' });
        return;
      }
      // Folded before: folded again only when that makes it smaller (a commit recorded since is no reason to churn).
      if (parsed.entries.some((e) => e.kind === FOLD_KIND) && plan.text.length >= text.length) return;
      const promptBytes = withPrompt ? statSync(join(root, prompt)).size : 0;
      result.folded.push({ id: t.id, entries: plan.folded, bytesBefore: Buffer.byteLength(text) + promptBytes, bytesAfter: Buffer.byteLength(plan.text) });
      if (opts.dryRun) return;
      const st = statSync(path);
      writeMemoryText(path, plan.text);
      // A fold is no news: the file keeps its time, so `status` still shows the memory most recently written.
      utimesSync(path, st.atime, st.mtime);
      written.push(rel);
      if (withPrompt) {
        rmSync(join(root, prompt));
        written.push(prompt);
      }
    });
  }
  if (written.length) {
    const n = result.folded.length;
    result.subject = `Memory: fold ${n} task${n === 1 ? '' : 's'} done more than ${olderThan} task${olderThan === 1 ? '' : 's'} ago`;
    result.committed = await commitPlanChange(root, written, result.subject, { commit: opts.commit });
  }
  return result;
}
