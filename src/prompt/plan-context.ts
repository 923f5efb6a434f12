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

/** How much a block of plan prose matters to this task, for fitting a small budget. */
export type PlanWeight = 'core' | 'touched' | 'untouched';

export interface PlanBlock {
  /** Index of its section in `PlanContext.sections`. */
  section: number;
  /** A paragraph or a top-level list item, as markdown (headings nested). */
  text: string;
  /** `core`: Goal, Constraints, the task's phase; `touched`: names its files, phase or title's words; else `untouched`. */
  weight: PlanWeight;
}

export interface PlanContext {
  /** The plan's sections (`###` headings) and their blocks, so that a small budget can condense or leave out what the task does not touch. */
  headings: string[];
  /** Each section's markdown as written, for a section shown whole. */
  contents: string[];
  blocks: PlanBlock[];
  /** Review notes addressed to this task. */
  instructions: string[];
}

/** 0: the block whole; 1: condensed to its first sentence and names; 2: left out. */
export type BlockLevel = 0 | 1 | 2;

/** The plan prose with each block at its level; a section whose blocks are all left out goes with them. */
export function renderPlan(plan: PlanContext, level: (i: number) => BlockLevel, condense: (text: string) => string): string {
  const bySection: string[] = plan.headings.map(() => '');
  const whole = plan.headings.map(() => true);
  let previous: string | undefined;
  plan.blocks.forEach((b, i) => {
    const l = level(i);
    if (l) whole[b.section] = false;
    if (l === 2) return;
    const text = l === 1 ? condenseBlock(b.text, condense) : b.text;
    const sep = !bySection[b.section] ? '' : LIST_RE.test(text) && previous !== undefined && LIST_RE.test(previous) ? '\n' : '\n\n';
    bySection[b.section] += sep + text;
    previous = text;
  });
  return plan.headings
    .flatMap((h, i) => (whole[i] ? [`${h}\n\n${plan.contents[i]}`] : bySection[i] ? [`${h}\n\n${bySection[i]}`] : []))
    .join('\n\n');
}

const LIST_RE = /^\s*([-*+]|\d+[.)])\s/;

/** A list item keeps its marker; a fenced block or a heading has nothing shorter to say. */
function condenseBlock(text: string, condense: (text: string) => string): string {
  if (/^\s*(`{3,}|~{3,})/.test(text) || /^#{1,6} /.test(text)) return text;
  const m = /^(\s*(?:[-*+]|\d+[.)])\s+)/.exec(text);
  return m ? `${m[1]}${condense(text.slice(m[1]!.length)).split('\n').join(' ')}` : condense(text).split('\n').join(' ');
}

/** Paragraphs (fences kept whole), and each top-level list item on its own. */
function blocksOf(content: string): string[] {
  const paragraphs: string[] = [];
  let fence: string | undefined;
  let current: string[] = [];
  for (const line of content.split('\n')) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f) fence = fence ? (line.trim().startsWith(fence) ? undefined : fence) : f[1];
    if (!fence && !f && !line.trim()) {
      if (current.length) paragraphs.push(current.join('\n'));
      current = [];
    } else current.push(line);
  }
  if (current.length) paragraphs.push(current.join('\n'));
  return paragraphs.flatMap((p) => (/^\s*([-*+]|\d+[.)])\s/.test(p) ? bullets(p) : [p]));
}

const STOP = new Set(['with', 'from', 'into', 'that', 'this', 'then', 'when', 'each', 'every', 'page', 'tool', 'task', 'tasks', 'file', 'files', 'data', 'make', 'add', 'update', 'support', 'the', 'and', 'for']);

/**
 * Words that say a block is about this task: its phase, its title's words, its
 * files' base names; each only if few blocks use it (a word every other
 * paragraph uses, like `stage` in a pipeline, tells nothing).
 */
function termsOf(task: Task, myFiles: ReadonlySet<string>, texts: readonly string[]): RegExp | undefined {
  const words = new Set<string>();
  if (task.phase) words.add(task.phase.toLowerCase());
  for (const w of task.title.toLowerCase().split(/[^a-z0-9]+/)) if (w.length >= 4 && !STOP.has(w)) words.add(w);
  for (const f of myFiles) {
    const base = f.split('/').pop()!.replace(/\.[^.]*$/, '').toLowerCase();
    if (base.length >= 4 && !STOP.has(base) && base !== 'index') words.add(base);
  }
  const re = (w: string) => new RegExp(`(^|[^a-z0-9])(${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})(s|es)?($|[^a-z0-9])`, 'i');
  const most = Math.max(2, Math.floor(texts.length / 4));
  const telling = [...words].sort().filter((w) => {
    const r = re(w);
    return texts.reduce((n, t) => n + (r.test(t) ? 1 : 0), 0) <= most;
  });
  return telling.length ? new RegExp(telling.map((w) => re(w).source).join('|'), 'i') : undefined;
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
  if (!text.trim()) return { headings: [], contents: [], blocks: [], instructions: [] };
  const placeholder = new Set(sections(PLAN_TEMPLATE).map((s) => s.content));
  const known = new Set(input.tasks.map((t) => t.id));
  const instructions: string[] = [];
  const parts: { rank: number; order: number; heading: string; content: string; weight?: PlanWeight }[] = [];
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
    const weight: PlanWeight | undefined = first === 0 || first === 1 || PHASES.includes(name) ? 'core' : undefined;
    parts.push({ rank: first >= 0 ? first : FIRST.length, order, heading: `### ${title}`, content: nestHeadings(content), weight });
  });
  parts.sort((a, b) => a.rank - b.rank || a.order - b.order);
  const split = parts.map((p) => blocksOf(p.content));
  const terms = termsOf(task, input.myFiles, split.flat());
  const blocks: PlanBlock[] = [];
  parts.forEach((p, section) => {
    for (const text of split[section]!) {
      const touched = namedIds(text, known).has(task.id) || [...namedFiles(text, input.myFiles)].length > 0 || !!terms?.test(text);
      blocks.push({ section, text, weight: p.weight ?? (touched ? 'touched' : 'untouched') });
    }
  });
  return { headings: parts.map((p) => p.heading), contents: parts.map((p) => p.content), blocks, instructions };
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
