/**
 * The board's pages by name, shared by the live server and the static export
 * so both show exactly the same thing: `index.html`, `<task id>.html`,
 * `reviews.html`, `cost.html`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { TASK_ID_RE } from '../core/task.js';
import { summarizeUsage } from '../memory/usage.js';
import type { Project } from '../workspace/context.js';
import { readAllMemory } from '../memory/file.js';
import { costPoints } from './cost-chart.js';
import { readBoard, readReviews, type Board } from './data.js';
import { taskDetail } from './detail.js';
import { renderInbox } from './questions-html.js';
import { renderCost, renderError, renderIndex, renderReviews, renderTask, type RenderOptions } from './pages.js';

export interface Rendered {
  status: number;
  html: string;
}

/** Every page name of the board as it is now. */
export function pageNames(board: Board): string[] {
  return ['index.html', ...board.tasks.map((t) => `${t.id}.html`), 'reviews.html', 'cost.html', 'inbox.html'];
}

export function renderCostPage(project: Project, opts: RenderOptions): string {
  const entries = readAllMemory(project.root);
  return renderCost(summarizeUsage(entries), costPoints(entries), opts);
}

/** One page; `board` is read once per request (or once for a whole export). */
export async function renderPage(project: Project, name: string, opts: RenderOptions, board?: Board): Promise<Rendered | undefined> {
  try {
    if (name === 'reviews.html') return { status: 200, html: renderReviews(readReviews(project), opts) };
    if (name === 'cost.html') return { status: 200, html: renderCostPage(project, opts) };
    const id = /^(T-[0-9a-f]+)\.html$/.exec(name)?.[1];
    if (name !== 'index.html' && name !== 'inbox.html' && !(id && TASK_ID_RE.test(id))) return undefined;
    const b = board ?? (await readBoard(project));
    if (name === 'inbox.html') return { status: 200, html: renderInbox(b.questions, b.events, opts) };
    if (name === 'index.html') return { status: 200, html: renderIndex(b, opts) };
    const task = b.byId.get(id!);
    if (!task) return undefined;
    const detail = taskDetail(project, b, task);
    const fileText = opts.csrf ? readFileSync(join(project.root, task.path), 'utf8') : undefined;
    return { status: 200, html: renderTask(detail, { ...opts, fileText }) };
  } catch (error) {
    // A task file broken by a hand edit: say where, and keep serving so the page recovers once it is fixed.
    if (error instanceof BatonError) return { status: 500, html: renderError(error.format(), opts) };
    throw error;
  }
}
