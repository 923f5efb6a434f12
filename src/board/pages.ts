/** The board's pages as HTML strings: the plan, a task, the reviews, the cost. Pure. */
import { stripAnsi } from '../core/ansi.js';
import type { MemoryEntry } from '../memory/entry.js';
import { STATUSES } from '../core/task.js';
import { parseUsageEntry, type CostReport } from '../memory/usage.js';
import { commitEntryFiles } from '../tasks/checkout.js';
import { headline } from '../tasks/state.js';
import { costChart, type CostPoint } from './cost-chart.js';
import type { Board, BoardTask, Review } from './data.js';
import type { TaskDetail } from './detail.js';
import { graphSvg } from './graph-svg.js';
import { esc, markdown, page, taskHref } from './html.js';
import { eventList, inboxNotice, taskQuestions } from './questions-html.js';
import { changesSection, requestsNote, reviewForm, REVIEW_CLIENT } from './review.js';

export interface RenderOptions {
  live: boolean;
  /** Set when the server was started with `--write`: forms carry this token. */
  csrf?: string;
}


function card(t: BoardTask): string {
  const badges = [
    t.ready ? '<span class="badge ready">ready</span>' : '',
    t.reason ? `<span class="badge reason">${esc(t.reason)}</span>` : '',
    t.waits ? `<span class="badge" title="${esc(t.waits)}">${esc(t.waits.replace(/:.*$/, ''))}</span>` : '',
    t.flight ? `<span class="badge branch" title="unmerged task branch">on ${esc(t.flight.branch)}</span>` : '',
    t.worktree ? `<span class="badge" title="${esc(t.worktree)}">worktree</span>` : '',
    t.changesRequested ? '<span class="badge requested">changes requested</span>' : '',
  ].join('');
  return `<a class="card ${t.ready ? 'ready' : esc(t.status)}" href="${esc(taskHref(t.id))}" data-id="${esc(t.id)}"><span class="id">${esc(t.id)}${t.phase ? ` · ${esc(t.phase)}` : ''}</span><br>${esc(t.title)}${badges ? `<br>${badges}` : ''}</a>`;
}

function phases(board: Board): string {
  const byPhase = new Map<string, { done: number; total: number }>();
  for (const t of board.tasks) {
    const p = byPhase.get(t.phase ?? '(no phase)') ?? { done: 0, total: 0 };
    p.total++;
    if (t.status === 'done') p.done++;
    byPhase.set(t.phase ?? '(no phase)', p);
  }
  const rows = [...byPhase].map(([name, p]) =>
    `<span>${esc(name)}</span><div class="bar"><i style="width:${Math.round((p.done / p.total) * 100)}%"></i></div><span class="muted">${p.done}/${p.total}</span>`);
  return `<div class="phases">${rows.join('')}</div>`;
}

export function renderIndex(board: Board, opts: RenderOptions): string {
  const total = board.tasks.length;
  const columns = STATUSES.map((s) => {
    const list = board.tasks.filter((t) => t.status === s).sort((a, b) => Number(b.ready) - Number(a.ready));
    if (!list.length && (s === 'blocked' || s === 'cancelled')) return '';
    return `<section class="col" id="col-${s}"><h3>${s} (${list.length})</h3>${list.map(card).join('')}</section>`;
  }).join('');
  const flights = board.tasks.filter((t) => t.flight || t.worktree);
  const flightRows = flights.map((t) =>
    `<tr><td><a href="${esc(taskHref(t.id))}">${esc(t.id)}</a></td><td>${esc(t.title)}</td><td>${esc(t.flight?.branch ?? t.branch ?? '')}</td><td>${esc(t.flight ? (t.flight.status === 'done' ? 'done there, not merged' : t.flight.status) : t.status)}</td><td>${esc(t.worktree ?? '')}</td></tr>`);
  const body = [
    `<h1>Plan</h1><p id="headline">${esc(headline(board.tasks))}</p>`,
    inboxNotice(board.questions),
    total ? phases(board) : '<p>No tasks yet. Add one with <code>baton task add "title"</code>.</p>',
    `<h2>Tasks by status</h2><div class="cols">${columns}</div>`,
    flights.length
      ? `<h2>Work in flight</h2><table id="in-flight"><tr><th>task</th><th>title</th><th>branch</th><th>status there</th><th>worktree</th></tr>${flightRows.join('')}</table>`
      : '',
    `<h2>Dependency graph</h2><p class="muted">Arrows point from a dependency to the task that needs it; ready tasks have a green border. Click a task to open it.</p><div class="graph" id="graph">${graphSvg(board.tasks, taskHref)}</div>`,
    eventList(board.events),
    board.recent.length ? `<h2>Recent memory</h2><p class="muted">Newest first.</p><ul class="timeline">${[...board.recent].reverse().map((e) => entry(e, true)).join('')}</ul>` : '',
  ].join('\n');
  return page({ title: 'Plan', current: 'board', live: opts.live }, body);
}

function entry(raw: MemoryEntry, withTask = false): string {
  // An entry written before baton stripped escapes (a check's colours) shows as the text it was.
  const e = { ...raw, body: stripAnsi(raw.body) };
  const ref = e.ref ? (e.kind === 'result' ? ` <span class="r-${esc(e.ref)}">${esc(e.ref)}</span>` : ` <code>${esc(e.ref)}</code>`) : '';
  const who = withTask && e.task ? ` · <a href="${esc(e.task === 'project' ? 'index.html' : taskHref(e.task))}">${esc(e.task)}</a>` : '';
  let body: string;
  if (e.kind === 'commit') {
    const [subject = '', ...rest] = e.body.split('\n');
    const files = commitEntryFiles(e);
    const others = rest.filter((l) => !/^- (.+?) \+(\d+|-) -(\d+|-)\s*$/.test(l)).join('\n').trim();
    body = `<div>${esc(subject)}</div>${others ? markdown(others) : ''}${files.length ? `<ul class="files">${files.map((f) => `<li><code>${esc(f.path)}</code> <span class="muted">+${esc(f.added)} −${esc(f.deleted)}</span></li>`).join('')}</ul>` : ''}`;
  } else if (e.kind === 'usage') {
    const u = parseUsageEntry(e)!;
    body = `<div>${u.costUsd === undefined ? 'unpriced' : `$${u.costUsd.toFixed(4)}`} · ${u.promptTokens} prompt + ${u.completionTokens} completion tokens${u.purpose ? ` · for ${esc(u.purpose)}` : ''}</div>`;
  } else body = markdown(e.body);
  return `<li class="k-${esc(e.kind)}"><span class="muted">${esc(e.time)}</span> <span class="kind">${esc(e.kind)}</span>${ref}${who}${body}</li>`;
}

function statusForm(d: TaskDetail, csrf: string): string {
  const options = STATUSES.map((s) => `<option${s === d.task.status ? ' selected' : ''}>${s}</option>`).join('');
  return `<form class="inline" method="post" action="/${esc(d.task.id)}/status"><input type="hidden" name="csrf" value="${esc(csrf)}"><label>Status <select name="status">${options}</select></label><button>Save</button></form>`;
}

function editForm(d: TaskDetail, text: string, csrf: string): string {
  return `<details id="edit"><summary>Edit the task file</summary><form method="post" action="/${esc(d.task.id)}/edit"><input type="hidden" name="csrf" value="${esc(csrf)}"><textarea name="text">${esc(text)}</textarea><button>Save task</button></form></details>`;
}

export function renderTask(d: TaskDetail, opts: RenderOptions & { fileText?: string }): string {
  const t = d.task;
  const there = d.there;
  const facts = [
    ['status', `${esc(t.status)}${t.ready ? ' <span class="badge ready">ready</span>' : ''}${t.flight ? ` <span class="badge branch">${esc(t.flight.status)} on its branch, not merged</span>` : ''}${d.requests.length ? ' <span class="badge requested">changes requested</span>' : ''}`],
    ['branch', d.onBranch ? `<code>${esc(d.branch)}</code>${t.worktree ? ` in worktree <code>${esc(t.worktree)}</code>` : ''}` : t.branch ? `<code>${esc(t.branch)}</code> <span class="muted">(${d.here ? 'checked out here' : 'merged, or not created yet'})</span>` : '<span class="muted">none yet</span>'],
    ['phase', esc(t.phase ?? '')],
    ['depends on', t.depends_on.map((id) => `<a href="${esc(taskHref(id))}">${esc(id)}</a>`).join(', ') || '<span class="muted">nothing</span>'],
    ['files', there.files.map((f) => `<code>${esc(f)}</code>`).join(' ')],
    ['checks', there.checks.map((c) => `<code>${esc(c)}</code>`).join(' ')],
    ['cost', d.cost.entries ? `$${d.cost.costUsd.toFixed(4)} · ${d.cost.promptTokens} prompt + ${d.cost.completionTokens} completion tokens in ${d.cost.entries} call${d.cost.entries === 1 ? '' : 's'}${d.cost.unpriced ? ` (${d.cost.unpriced} unpriced)` : ''}` : '<span class="muted">no model calls recorded</span>'],
    ['reviews', d.reviews.map((r) => `<a href="reviews.html#${esc(r)}">${esc(r)}</a>`).join(', ')],
  ].filter(([, v]) => v);
  const timeline = [...d.memory].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  const pending = d.unrecorded.map((c) =>
    `<li class="k-commit"><span class="muted">${esc(c.time)}</span> <span class="kind">commit</span> <code>${esc(c.sha)}</code> <span class="muted">(on the branch, not in memory yet)</span><div>${esc(c.subject)}</div>${c.files.length ? `<ul class="files">${c.files.map((f) => `<li><code>${esc(f.path)}</code> <span class="muted">+${esc(f.added)} −${esc(f.deleted)}</span></li>`).join('')}</ul>` : ''}</li>`);
  const memory = [
    `<h2>Memory</h2><p class="muted">Read from <code>${esc(d.from)}</code>.</p>`,
    timeline.length || pending.length ? `<ul class="timeline" id="timeline">${timeline.map((e) => entry(e)).join('')}${pending.join('')}</ul>` : '<p class="muted">No memory yet.</p>',
  ].join('\n');
  const changes = changesSection(d, !!opts.csrf);
  const form = opts.csrf ? reviewForm(d, opts.csrf) : '';
  const body = [
    `<h1><span class="muted">${esc(t.id)}</span> ${esc(there.title)}</h1>`,
    `<table class="facts">${facts.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>`,
    requestsNote(d),
    opts.csrf ? `<p>${statusForm(d, opts.csrf)}</p>` : '',
    taskQuestions(t.id, d.memory, opts.csrf),
    `<h2>Task</h2>${markdown(there.body)}`,
    opts.csrf && opts.fileText !== undefined ? editForm(d, opts.fileText, opts.csrf) : '',
    // The diff with the memory timeline beside it: what was changed, and how it came about.
    changes ? `<div class="review-grid"><div>${changes}${form}</div><aside>${memory}</aside></div>` : `${form}${memory}`,
    `<h2>Last prompt</h2>${d.prompt ? `<details id="prompt"><summary>${d.prompt.length} characters</summary><pre>${esc(d.prompt)}</pre></details>` : '<p class="muted">None issued yet (<code>baton prompt ' + esc(t.id) + '</code>).</p>'}`,
  ].join('\n');
  return page({ title: `${t.id} ${there.title}`, current: 'task', live: opts.live, ...(form ? { script: REVIEW_CLIENT } : {}) }, body);
}

/** A review's front matter as a line of facts, task ids linked: `time` · `filed` T-1, T-2 · … (empty lists left out). */
function reviewFields(fields: Record<string, unknown>): string {
  const TASK_LISTS = ['filed', 'reopened', 'accepted', 'cancelled', 'flagged'];
  const parts: string[] = [];
  if (typeof fields.time === 'string') parts.push(`<span>${esc(fields.time)}</span>`);
  if (typeof fields.previous === 'string') parts.push(`after <a href="#${esc(fields.previous)}">${esc(fields.previous)}</a>`);
  for (const key of TASK_LISTS) {
    const list = Array.isArray(fields[key]) ? (fields[key] as unknown[]).filter((x): x is string => typeof x === 'string') : [];
    if (list.length) parts.push(`${key} ${list.map((id) => `<a href="${esc(taskHref(id))}">${esc(id)}</a>`).join(', ')}`);
  }
  return parts.length ? `<p class="muted review-fields">${parts.join(' · ')}</p>` : '';
}

export function renderReviews(reviews: Review[], opts: RenderOptions): string {
  const body = reviews.length
    ? reviews.map((r, i) => {
      const title = r.body.split('\n').find((l) => /^#\s/.test(l))?.replace(/^#\s+/, '') ?? '';
      // The heading is the summary line already: the markdown goes on from what follows it.
      const rest = title ? r.body.replace(/^\s*#\s.*\n?/, '') : r.body;
      return `<details id="${esc(r.name)}"${i === 0 ? ' open' : ''}><summary><b>${esc(r.name)}</b> ${esc(title)}</summary>${reviewFields(r.fields)}${markdown(rest)}</details>`;
    }).join('\n')
    : '<p class="muted">No reviews yet (<code>baton review</code>).</p>';
  return page({ title: 'Reviews', current: 'reviews', live: opts.live }, `<h1>Reviews</h1>${body}`);
}

export function renderCost(report: CostReport, points: CostPoint[], opts: RenderOptions): string {
  const money = (n: number, unpriced: number) => `$${n.toFixed(4)}${unpriced ? ` (+${unpriced} unpriced)` : ''}`;
  const table = (title: string, lines: CostReport['byTask'], link = false) =>
    `<h2>By ${title}</h2><table><tr><th>${title}</th><th>calls</th><th>prompt</th><th>completion</th><th>cost</th></tr>${lines.map((l) =>
      `<tr><td>${link && l.key !== 'project' ? `<a href="${esc(taskHref(l.key))}">${esc(l.key)}</a>` : esc(l.key)}</td><td class="n">${l.entries}</td><td class="n">${l.promptTokens}</td><td class="n">${l.completionTokens}</td><td class="n">${money(l.costUsd, l.unpriced)}</td></tr>`).join('')}</table>`;
  const t = report.total;
  const body = t.entries
    ? [
        `<h1>Cost</h1><p>Total: ${t.promptTokens} prompt + ${t.completionTokens} completion tokens, ${money(t.costUsd, t.unpriced)} in ${t.entries} recorded call${t.entries === 1 ? '' : 's'}.</p>`,
        `<h2>Over time</h2>${costChart(points)}`,
        table('task', report.byTask, true), table('role', report.byRole), table('model', report.byModel),
      ].join('\n')
    : '<h1>Cost</h1><p class="muted">No model calls recorded yet (they are kept as <code>usage</code> entries in .agents/memory/).</p>';
  return page({ title: 'Cost', current: 'cost', live: opts.live }, body);
}

export function renderError(message: string, opts: RenderOptions): string {
  return page({ title: 'Error', current: 'board', live: opts.live }, `<h1>Cannot show this</h1><pre class="error">${esc(message)}</pre><p class="muted">The page updates by itself once the files are fixed.</p>`);
}
