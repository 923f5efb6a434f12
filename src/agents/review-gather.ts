/**
 * What a review reads: memory since the last review, the plan's state, cost,
 * and baton's own cross-check of implementers' claims against the evidence
 * (commits recorded, check outcomes). Reads only; pure apart from the file reads.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { topoOrder } from '../core/graph.js';
import type { MemoryEntry } from '../memory/entry.js';
import type { Task } from '../core/task.js';
import type { Project } from '../workspace/context.js';
import { parseFrontMatter } from '../workspace/frontmatter.js';
import { parseMemory, readAllMemory } from '../memory/file.js';
import { splitAttempts, standings } from '../memory/attempts.js';
import { showFile, unmergedBranches } from '../git/task-branch.js';
import { taskBranchName } from '../tasks/checkout.js';
import { readPlan } from '../tasks/plan.js';
import { loadTasksStrict } from '../tasks/task-files.js';
import { summarizeUsage, type CostReport } from '../memory/usage.js';
import { readLessons } from '../memory/lessons-file.js';
import { DEFAULT_STRATEGY_AFTER, type LessonsFile } from '../memory/lessons.js';
import { findRecurring, type Finding, type HistoryTask } from '../memory/lessons-detect.js';
import { AGENTS } from '../workspace/paths.js';

export interface ReviewRecord {
  number: number;
  id: string;
  time?: string;
  path: string;
}

/** A claim the evidence does not back. */
export interface Flag {
  task: string;
  claim: string;
  evidence: string;
  /** `baton` when found by the cross-check, `reviewer` when the model raised it. */
  by: 'baton' | 'reviewer';
}

export interface ReviewInput {
  id: string;
  number: number;
  previous?: ReviewRecord;
  /** Entries newer than the previous review (all, for the first); usage entries excluded. */
  entries: MemoryEntry[];
  cost: CostReport;
  tasks: Task[];
  flags: Flag[];
  plan: string;
  /** Entries of `entries` logged by a try that a later success of the same task superseded (shown as such). */
  superseded: ReadonlySet<MemoryEntry>;
  /** The lessons file as it stands, and the recurring problems found in all memory (memory/lessons.ts). */
  lessons: LessonsFile;
  findings: Finding[];
  /** `lessons_strategy_after`: a lesson seen in this many tasks since the plan last changed for it keeps firing. */
  strategyAfter: number;
}

export const REVIEW_FILE_RE = /^R-(\d+)\.md$/;

export function listReviews(project: Project): ReviewRecord[] {
  const dir = project.paths.reviews;
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const m = REVIEW_FILE_RE.exec(name);
    if (!m) return [];
    const path = join(dir, name);
    let time: string | undefined;
    try {
      const t = parseFrontMatter(readFileSync(path, 'utf8'), `${AGENTS.reviews}/${name}`).data.time;
      time = typeof t === 'string' ? t : t instanceof Date ? t.toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
    } catch {
      /* a hand-written review without front matter still counts for numbering */
    }
    return [{ number: Number(m[1]), id: `R-${m[1]}`, time, path }];
  }).sort((a, b) => a.number - b.number);
}

export function gatherReview(project: Project): ReviewInput {
  const reviews = listReviews(project);
  const number = (reviews.at(-1)?.number ?? 0) + 1;
  const previous = [...reviews].filter((r) => r.time).sort((a, b) => a.time!.localeCompare(b.time!)).at(-1);
  const tasks = loadTasksStrict(project.root);
  const all = withUnmergedBranches(project, tasks, readAllMemory(project.root));
  const since = previous?.time;
  const recent = all.filter((e) => !since || e.time > since);
  return {
    id: `R-${String(number).padStart(3, '0')}`,
    number,
    previous,
    entries: recent.filter((e) => e.kind !== 'usage').sort((a, b) => a.time.localeCompare(b.time)),
    cost: summarizeUsage(recent),
    tasks: topoOrder(tasks),
    flags: crossCheck(tasks, all, recent),
    plan: planProse(readPlan(project.root)),
    superseded: supersededEntries(all),
    lessons: readLessons(project.root),
    findings: findRecurring(historyByTask(all)),
    strategyAfter: project.config.lessons_strategy_after ?? DEFAULT_STRATEGY_AFTER,
  };
}

/** Entries by task, in the order given (a task's file order). */
function historyByTask(all: readonly MemoryEntry[]): HistoryTask[] {
  const out = new Map<string, MemoryEntry[]>();
  for (const e of all) {
    const list = out.get(e.task ?? 'project');
    if (list) list.push(e);
    else out.set(e.task ?? 'project', [e]);
  }
  return [...out].map(([id, entries]) => ({ id, entries }));
}

/**
 * Add the memory kept on unmerged task branches: a failed attempt is logged on
 * its branch, which is not merged, and the review must see it. Entries the base
 * already has (the branch forked after them) are not counted twice.
 */
export function withUnmergedBranches(project: Project, tasks: readonly Task[], base: MemoryEntry[]): MemoryEntry[] {
  const branches = new Set(unmergedBranches(project.root, project.config.branch_prefix, project.config.base_branch));
  if (!branches.size) return base;
  const seen = new Set(base.map((e) => `${e.task} ${e.time} ${e.kind} ${e.ref ?? ''} ${e.body}`));
  const out = [...base];
  for (const t of tasks) {
    const branch = taskBranchName(project, t);
    if (!branches.has(branch)) continue;
    const text = showFile(project.root, branch, AGENTS.memoryFile(t.id));
    if (text === undefined) continue;
    for (const e of parseMemory(text, t.id).entries) {
      const key = `${e.task} ${e.time} ${e.kind} ${e.ref ?? ''} ${e.body}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(e);
      }
    }
  }
  return out;
}

function byTask(all: readonly MemoryEntry[]): Map<string, MemoryEntry[]> {
  const out = new Map<string, MemoryEntry[]>();
  for (const e of all) {
    if (!e.task || e.task === 'project') continue;
    const list = out.get(e.task);
    if (list) list.push(e);
    else out.set(e.task, [e]);
  }
  return out;
}

/** What tries that a later success superseded logged: the review reads it, marked, rather than as what holds. */
export function supersededEntries(all: readonly MemoryEntry[]): Set<MemoryEntry> {
  const out = new Set<MemoryEntry>();
  for (const entries of byTask(all).values()) for (const [e, s] of standings(entries)) if (s === 'superseded') out.add(e);
  return out;
}

/**
 * Each success claimed since the last review, checked against the evidence of
 * its own attempt, every attempt, not only the last: a claim with no commit
 * recorded by then, or whose attempt's latest run of a check failed, is
 * flagged (a later attempt's passing check does not clear an earlier false claim).
 */
export function crossCheck(tasks: readonly Task[], all: readonly MemoryEntry[], recent: readonly MemoryEntry[]): Flag[] {
  const flags: Flag[] = [];
  const claims = new Set(recent.filter((r) => r.kind === 'result' && r.ref === 'success'));
  const known = new Set(tasks.map((t) => t.id));
  for (const [task, mine] of byTask(all)) {
    if (!known.has(task)) continue;
    let earlier = false; // a commit recorded by an earlier attempt: a claim may build on it
    for (const attempt of splitAttempts(mine)) {
      // One pass per attempt: its commits (wherever a rebuild put them), claims and latest run of each check.
      const latest = new Map<string, MemoryEntry>();
      const claimed: MemoryEntry[] = [];
      let committed: boolean = earlier;
      for (const e of attempt.entries) {
        if (e.kind === 'commit') committed = true;
        else if (e.kind === 'check') latest.set(checkCommand(e), e);
        else if (claims.has(e)) claimed.push(e);
      }
      earlier = committed;
      for (const c of claimed) {
        const claim = `success: ${firstLine(c.body)}`;
        const which = attempt.number ? ` (attempt ${attempt.number})` : '';
        if (!committed) flags.push({ task, claim, evidence: `no commit is recorded in the memory of ${task}${which}`, by: 'baton' });
        for (const [cmd, e] of latest) {
          if (/fail|error|timeout/i.test(e.ref ?? '')) flags.push({ task, claim, evidence: `check ${cmd} failed at ${e.time}${which}`, by: 'baton' });
        }
      }
    }
  }
  return flags;
}

function checkCommand(e: MemoryEntry): string {
  return /`([^`]+)`/.exec(e.body)?.[0] ?? firstLine(e.body);
}

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim()) ?? '').trim().slice(0, 200);
}

/** plan.md without its title, the generated task block and the empty `## Tasks` heading above it. */
export function planProse(plan: string): string {
  return plan.split('<!-- baton:tasks:begin')[0]!.trim().replace(/^# [^\n]*\n+/, '').replace(/\n*## Tasks\s*$/, '').trim();
}
