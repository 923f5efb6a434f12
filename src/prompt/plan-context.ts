/**
 * What of plan.md binds the implementer of one task: every prose section a
 * person, the planner or a review wrote (Goal, Constraints, Architecture,
 * Conventions, Review notes, …), with `## Phases` cut to the task's own phase
 * and review notes routed like memory (a note that names other tasks or their
 * files goes to them; one that names this task leads its prompt). The
 * generated task table and graph are left out: the prompt has its own.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Task } from '../core/task.js';
import { sections } from '../tasks/markdown.js';
import { BEGIN_MARKER, END_MARKER, PLAN_TEMPLATE } from '../tasks/plan.js';
import { namedFiles, namedIds } from './select.js';

export interface PlanContext {
  /** The plan's sections as markdown, `###` headings. */
  project: string;
  /** Review notes addressed to this task. */
  instructions: string[];
}

const FIRST = [
  ['Goal', ['goal', 'goals', 'purpose', 'overview']],
  ['Constraints', ['constraints', 'rules', 'non-goals']],
  ['Architecture', ['architecture', 'architecture decisions', 'design', 'decisions']],
] as const;
const PHASES = ['phases', 'phase', 'milestones'];
const NOTES = ['review notes', 'reviews', 'amendments', 'plan changes'];
const SKIP = ['tasks', 'task graph', 'graph'];

/** Push every heading one level down, so a section nests under the prompt's own headings. */
export function nestHeadings(markdown: string, levels = 1): string {
  let fence: string | undefined;
  return markdown
    .split('\n')
    .map((line) => {
      const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      if (f) fence = fence ? (line.trim().startsWith(fence) ? undefined : fence) : f[1];
      return !fence && !f && /^#{1,5} /.test(line) ? `${'#'.repeat(levels)}${line}` : line;
    })
    .join('\n');
}

function withoutBlock(text: string): string {
  const begin = text.indexOf(BEGIN_MARKER);
  const end = text.indexOf(END_MARKER);
  if (begin === -1 || end < begin) return text;
  return text.slice(0, begin) + text.slice(end + END_MARKER.length);
}

/** Top-level items (with their nested lines) of a list section; prose before them is one item too. */
function bullets(content: string): string[] {
  const lines = content.split('\n');
  const marker = (l: string) => /^(\s*)([-*+]|\d+[.)])\s/.exec(l)?.[1]!.length;
  const base = Math.min(...lines.map(marker).filter((n): n is number => n !== undefined));
  const out: string[] = [];
  for (const line of lines) {
    const m = marker(line);
    if ((m !== undefined && m <= base + 1) || !out.length) out.push(line);
    else out[out.length - 1] += `\n${line}`;
  }
  return out.map((b) => b.trimEnd()).filter((b) => b.trim());
}

function phaseLines(content: string, phase: string | undefined): string {
  if (!phase) return '';
  const re = new RegExp(`(^|[^\\w])${phase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w])`, 'i');
  return bullets(content).filter((b) => re.test(b)).join('\n');
}

export interface PlanInput {
  plan: string;
  task: Task;
  tasks: readonly Task[];
  myFiles: ReadonlySet<string>;
  allFiles: ReadonlySet<string>;
}

export function planContext(input: PlanInput): PlanContext {
  const { task } = input;
  const text = withoutBlock(input.plan);
  if (!text.trim()) return { project: '', instructions: [] };
  const placeholder = new Set(sections(PLAN_TEMPLATE).map((s) => s.content));
  const known = new Set(input.tasks.map((t) => t.id));
  const instructions: string[] = [];
  const parts: { rank: number; order: number; md: string }[] = [];
  sections(text).forEach((s, order) => {
    const name = s.title.toLowerCase();
    if (!s.content || placeholder.has(s.content) || SKIP.includes(name)) return;
    let content = s.content;
    if (PHASES.includes(name)) content = phaseLines(content, task.phase);
    else if (NOTES.includes(name)) {
      const kept: string[] = [];
      for (const b of bullets(content)) {
        const ids = namedIds(b, known);
        const files = namedFiles(b, input.allFiles);
        if (ids.has(task.id) || [...files].some((f) => input.myFiles.has(f))) instructions.push(b.replace(/^\s*[-*+]\s+/, ''));
        else if (!ids.size && !files.size) kept.push(b);
      }
      content = kept.join('\n');
    }
    if (!content.trim()) return;
    const first = FIRST.findIndex(([, names]) => (names as readonly string[]).includes(name));
    const title = first >= 0 ? FIRST[first]![0] : s.title;
    parts.push({ rank: first >= 0 ? first : FIRST.length, order, md: `### ${title}\n\n${nestHeadings(content)}` });
  });
  parts.sort((a, b) => a.rank - b.rank || a.order - b.order);
  return { project: parts.map((p) => p.md).join('\n\n'), instructions };
}

/**
 * Why a review filed this task: the line for it under `## Filed` in
 * `reviews/R-*.md` (`- T-x Title (follows T-y): reason`), as an instruction
 * that names the task it follows by title.
 */
export function filedReasons(reviewsDir: string, task: Task, byId: ReadonlyMap<string, Task>): string[] {
  if (!existsSync(reviewsDir)) return [];
  const out: string[] = [];
  const prefix = `- ${task.id} ${task.title}`;
  for (const name of readdirSync(reviewsDir).filter((n) => /^R-\d+\.md$/.test(n)).sort()) {
    const text = readFileSync(join(reviewsDir, name), 'utf8');
    const filed = sections(text).find((s) => s.title.toLowerCase() === 'filed');
    for (const line of filed?.content.split('\n') ?? []) {
      if (!line.startsWith(prefix)) continue;
      const m = /^(?: \(follows (T-[0-9a-f]+)\))?(?::\s*(.*))?$/.exec(line.slice(prefix.length));
      if (!m || (!m[1] && !m[2])) continue;
      const follows = m[1] ? ` as a follow-up of "${byId.get(m[1])?.title ?? m[1]}" (${m[1]})` : '';
      out.push(`A review filed this task${follows}${m[2] ? `: ${m[2]}` : '.'}`);
    }
  }
  return out;
}
