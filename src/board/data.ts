/**
 * What the board shows, read the way `baton status` reads it: the tasks of
 * this checkout with the work on unmerged task branches laid over them
 * (`effectiveTasks`), plus where each task branch is checked out.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isReady, topoOrder } from '../core/graph.js';
import type { MemoryEntry } from '../memory/entry.js';
import type { Task } from '../core/task.js';
import { listWorktrees, unmergedBranches } from '../git/task-branch.js';
import type { Project } from '../workspace/context.js';
import type { InFlight } from '../tasks/in-flight.js';
import { effectiveTasks, recentMemory } from '../workflow/status.js';
import { taskBranchName } from '../tasks/checkout.js';
import { Predictor } from '../tasks/predicted-files.js';
import { waitText } from '../core/overlap.js';
import { splitFrontMatter } from '../workspace/frontmatter.js';
import { yaml } from '../workspace/yaml.js';
import { pendingPromptPath } from '../prompt/pending.js';
import { inboxOf, type InboxItem } from '../workflow/questions.js';
import { readEvents, type BatonEvent } from '../workflow/notify.js';
import { changesRequested } from '../memory/change-requests.js';

export interface BoardTask extends Task {
  ready: boolean;
  /** The unmerged task branch this task has work on, if any. */
  flight?: InFlight;
  /** Folder of the worktree that has its branch checked out (not the main checkout). */
  worktree?: string;
  /** Why it is blocked, when baton knows (`waiting for an answer`). */
  reason?: string;
  /** Ready, but its predicted files overlap a task at work: `waits for T-x: both touch f` (as `baton next`). */
  waits?: string;
  /** A person asked for changes on its branch's work that the branch has not answered yet. */
  changesRequested?: boolean;
}

export interface Board {
  /** Tasks in the order to take them (dependencies first). */
  tasks: BoardTask[];
  byId: Map<string, BoardTask>;
  flights: InFlight[];
  /** Unmerged task branches that exist, whether or not their task file changed there. */
  branches: Set<string>;
  recent: MemoryEntry[];
  /** Questions agents asked that wait for an answer (the inbox), oldest first. */
  questions: InboxItem[];
  /** The newest events (question asked, task failed, ready for review, run finished), newest first. */
  events: BatonEvent[];
}

export async function readBoard(project: Project): Promise<Board> {
  const { tasks, flights } = await effectiveTasks(project, true);
  // Two git calls whatever the plan's size: branch pages and worktree folders are looked up in these.
  const branches = new Set(unmergedBranches(project.root, project.config.branch_prefix, 'HEAD'));
  const worktrees = new Map<string, string>();
  if (branches.size) {
    // A worktree kept after its branch was merged is no work in flight: only unmerged branches count.
    for (const wt of listWorktrees(project.root)) if (wt.branch && branches.has(wt.branch) && resolve(wt.path) !== resolve(project.root)) worktrees.set(wt.branch, wt.path);
  }
  const byIdPlain = new Map(tasks.map((t) => [t.id, t]));
  const flightOf = new Map(flights.map((f) => [f.id, f]));
  const ordered: BoardTask[] = topoOrder(tasks).map((t) => ({
    ...t,
    ready: isReady(t, byIdPlain),
    flight: flightOf.get(t.id),
    worktree: worktrees.get(taskBranchName(project, t)),
  }));
  const ready = ordered.filter((t) => t.ready);
  if (ready.length) {
    const waits = new Predictor(project, tasks).schedule(ready, ordered.filter((t) => t.status === 'in-progress'));
    for (const t of ready) {
      const w = waits.get(t.id);
      if (w) t.waits = waitText(w);
    }
  }
  for (const t of ordered) if (t.flight && changesRequested(project, t.id, t.flight.branch)) t.changesRequested = true;
  return {
    tasks: ordered,
    byId: new Map(ordered.map((t) => [t.id, t])),
    flights,
    branches,
    recent: recentMemory(project, 8),
    questions: inboxOf(project, tasks),
    events: readEvents(project.root, 10),
  };
}

export interface Review {
  name: string;
  text: string;
  /** The front matter's fields (time, previous, filed, reopened, …); empty when it has none or it is not YAML. */
  fields: Record<string, unknown>;
  /** The markdown after the front matter. */
  body: string;
}

/** A review file as the board shows it: its fields apart from its markdown (never the raw `---` block). */
function splitReview(name: string, text: string): Review {
  const split = splitFrontMatter(text);
  if (!split) return { name, text, fields: {}, body: text };
  let fields: Record<string, unknown> = {};
  try {
    const data = yaml().parse(text.slice(split.yamlStart, split.yamlEnd)) as unknown;
    if (data && typeof data === 'object' && !Array.isArray(data)) fields = data as Record<string, unknown>;
  } catch {
    // a hand-broken block: shown without its fields (doctor names the line)
  }
  return { name, text, fields, body: text.slice(split.bodyStart) };
}

export function readReviews(project: Project): Review[] {
  const dir = project.paths.reviews;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => /^R-.*\.md$/.test(n))
    .sort()
    .reverse()
    .map((name) => splitReview(name.slice(0, -3), readFileSync(join(dir, name), 'utf8')));
}

/** The last prompt issued for a task: from the checkout where it is worked on, else this one. */
export function lastPrompt(project: Project, id: string, dirs: string[]): string | undefined {
  const pending = pendingPromptPath(project.root, id);
  if (existsSync(pending)) return readFileSync(pending, 'utf8');
  for (const dir of dirs) {
    const file = join(dir, '.agents', 'prompts', `${id}.md`);
    if (existsSync(file)) return readFileSync(file, 'utf8');
  }
  const here = join(project.paths.prompts, `${id}.md`);
  return existsSync(here) ? readFileSync(here, 'utf8') : undefined;
}
