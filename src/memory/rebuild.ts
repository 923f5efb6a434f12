/**
 * `baton memory rebuild [ID]`: memory made right from history, in the current
 * worktree. Commit entries are made again from the commits (the `Task:`
 * trailer and the task branch; stale ones go); every other entry stays where
 * it is, and one deleted from the file (or with it) comes back from the file's
 * own history. The whole file is redacted.
 */
import { existsSync } from 'node:fs';
import { memoryFileNames, memoryHeader, memoryPath } from './file.js';
import { writeFileAtomic } from '../workspace/atomic.js';
import { currentBranch } from '../git/gitdir.js';
import { commitsBefore, listCommits, resolveCommit } from '../git/history.js';
import { readConfig, type Config } from '../workspace/config.js';
import { agentsPaths, AGENTS } from '../workspace/paths.js';
import { attribute, branchOnlyCommits, taskOfBranch } from './attribution.js';
import { syncCommitEntries, type SyncResult } from './sync.js';
import { memoryIdsInHistory, memoryHistory, restoreMemory } from './restore.js';
import { runGit } from '../git/run.js';

/**
 * The one rule, applied to HEAD's history: which commits each memory file must
 * hold (a `Task:` trailer, else the task branch for its own commits, else
 * `project`), from the commit that added .agents/ on. The flush, doctor and
 * `baton done` ask the same question of the same code.
 */
export async function expectedCommits(
  root: string, config: Config = readConfig(root), opts: { recent?: number } = {},
): Promise<{ groups: Map<string, string[]>; ids: string[] }> {
  let branch: string | undefined;
  try {
    branch = currentBranch(root);
  } catch {
    branch = undefined;
  }
  if (!(await resolveCommit(root, 'HEAD'))) return { groups: new Map(), ids: [] };
  const branchTask = taskOfBranch(branch, config.branch_prefix);
  // History baton knows about starts with the commit that added .agents/ (config.yaml). With config.yaml
  // never committed, no commit of this history is baton's to record: the project's past is not backfilled.
  const before = await commitsBefore(root, AGENTS.config);
  // `recent`: only the newest commits of the history (the flush's bounded look back).
  const limit = opts.recent ? [`--max-count=${opts.recent}`] : [];
  const commits = before === undefined ? [] : await listCommits(root, [...limit, 'HEAD', ...(before.length ? ['--not', ...before] : [])]);
  const own = branchTask ? await branchOnlyCommits(root, config.base_branch) : undefined;
  const groups = attribute(commits, branchTask, new Set((own ?? []).map((c) => c.sha)));
  if (!config.record_off_task_commits) groups.delete('project');
  const ids = [...new Set([...groups.keys(), ...existingMemoryIds(root)])].filter((i) => i !== 'project' || config.record_off_task_commits);
  return { groups, ids };
}

/** `keep`: full SHAs off HEAD's history whose commit entries stay (doctor --fix deletes nothing still reachable). */
export async function rebuildMemory(root: string, id?: string, opts: { keep?: ReadonlySet<string> } = {}): Promise<SyncResult[]> {
  const config = readConfig(root);
  if (!(await resolveCommit(root, 'HEAD'))) return [];
  const { groups, ids: known } = await expectedCommits(root);
  // Every memory file: those with commits, those here, and those deleted (still in history).
  const inHistory = runGit(root, memoryIdsInHistory);
  const ids = new Set(id ? [id] : [...known, ...inHistory]);
  if (!config.record_off_task_commits) ids.delete('project');
  const history = ids.size > 1 ? memoryHistory(root) : undefined;
  const results: SyncResult[] = [];
  for (const each of [...ids].sort()) {
    const { restored, cleaned } = await restoreMemory(root, each, history);
    const r = await syncCommitEntries(root, each, { expected: groups.get(each) ?? [], regenerate: true, keep: opts.keep });
    // A file deleted that held no entry (baton's own commits are none) comes back as its header.
    const path = memoryPath(root, each);
    if (!existsSync(path) && inHistory.includes(each)) writeFileAtomic(path, `${memoryHeader(each)}`);
    results.push({ ...r, added: r.added + restored, replaced: r.replaced + (cleaned ? 1 : 0) });
  }
  return results;
}

function existingMemoryIds(root: string): string[] {
  const dir = agentsPaths(root).memory;
  if (!existsSync(dir)) return [];
  return memoryFileNames(dir)
    .filter((n) => /^T-[0-9a-f]+\.md$/.test(n) || n === 'project.md')
    .map((n) => n.slice(0, -3));
}
