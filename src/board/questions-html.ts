/**
 * The board's part of a person in the loop: the questions agents asked (on
 * the plan, in the inbox page and on each task's page, with a form to answer
 * on a `--write` board) and the events `notify.command` hears, shown live. Pure.
 */
import type { MemoryEntry } from '../memory/entry.js';
import { questionPairs } from '../memory/questions.js';
import type { InboxItem } from '../workflow/questions.js';
import type { BatonEvent } from '../workflow/notify.js';
import { esc, markdown, page, taskHref } from './html.js';


/** The form that answers a task's open questions: posted to `/<id>/answer`, through `baton answer`'s use case. */
function answerForm(id: string, csrf: string): string {
  return `<form class="answer" method="post" action="/${esc(id)}/answer"><input type="hidden" name="csrf" value="${esc(csrf)}">`
    + `<textarea name="answer" rows="3" placeholder="Your answer" aria-label="Answer to ${esc(id)}"></textarea>`
    + `<label><input type="checkbox" name="for_project" value="1"> Also a decision for the whole project</label> <button>Answer</button></form>`;
}

/** A task's questions, open ones first with the form; answered ones with their answers. */
export function taskQuestions(id: string, memory: readonly MemoryEntry[], csrf?: string): string {
  const pairs = questionPairs(memory);
  if (!pairs.length) return '';
  const open = pairs.filter((p) => !p.answer);
  const answered = pairs.filter((p) => p.answer);
  const item = (q: MemoryEntry, a?: MemoryEntry) =>
    `<li><span class="muted">${esc(q.time)}</span>${markdown(q.body)}${a ? `<div class="muted">answered ${esc(a.time)}</div>${markdown(a.body)}` : ''}</li>`;
  return [
    `<h2 id="questions">Questions</h2>`,
    open.length
      ? `<p><b>Waiting for an answer.</b> ${csrf ? 'Answer here, or' : 'Answer with'} <code>baton answer ${esc(id)} "…"</code>; the task's next prompt starts with the answer.</p><ul class="questions open">${open.map((p) => item(p.question)).join('')}</ul>${csrf ? answerForm(id, csrf) : ''}`
      : '',
    answered.length ? `<details id="answered"${open.length ? '' : ' open'}><summary>${answered.length} answered</summary><ul class="questions">${answered.map((p) => item(p.question, p.answer)).join('')}</ul></details>` : '',
  ].join('\n');
}

/** The open questions across tasks, each with an answer form when `csrf` is given (the inbox page). */
function inboxList(items: readonly InboxItem[], csrf?: string): string {
  if (!items.length) return '<p class="muted" id="inbox-empty">No open questions.</p>';
  const byTask = new Map<string, InboxItem[]>();
  for (const q of items) byTask.set(q.id, [...(byTask.get(q.id) ?? []), q]);
  return `<ul class="inbox" id="inbox">${[...byTask].map(([id, qs]) =>
    `<li data-id="${esc(id)}"><a href="${esc(taskHref(id))}">${esc(id)}</a> ${esc(qs[0]!.title)}${qs.map((q) => `<div class="muted">${esc(q.time)}</div>${markdown(q.question)}`).join('')}${csrf ? answerForm(id, csrf) : ''}</li>`).join('')}</ul>`;
}

/** The plan page's summary: how many questions wait, linking to the inbox. */
export function inboxNotice(items: readonly InboxItem[]): string {
  if (!items.length) return '';
  const tasks = new Set(items.map((q) => q.id)).size;
  return `<p class="badge-line" id="inbox-notice"><a href="inbox.html">${items.length} open question${items.length === 1 ? '' : 's'}</a> from ${tasks} task${tasks === 1 ? '' : 's'} wait${items.length === 1 ? 's' : ''} for an answer.</p>`;
}

const EVENT_LABELS: Record<string, string> = { question: 'question asked', failed: 'task failed', review: 'ready for review', 'run-finished': 'run finished' };

/** The newest events, as `notify.command` got them. */
export function eventList(events: readonly BatonEvent[]): string {
  if (!events.length) return '';
  return `<h2>Events</h2><ul class="timeline" id="events">${events.map((e) =>
    `<li class="ev-${esc(e.event)}"><span class="muted">${esc(e.time)}</span> <span class="kind">${esc(EVENT_LABELS[e.event] ?? e.event)}</span>${e.task ? ` · <a href="${esc(taskHref(e.task))}">${esc(e.task)}</a> ${esc(e.title ?? '')}` : ''}${e.text ? `<div>${esc(e.text.split('\n')[0]!)}</div>` : ''}</li>`).join('')}</ul>`;
}

export function renderInbox(items: readonly InboxItem[], events: readonly BatonEvent[], opts: { live: boolean; csrf?: string }): string {
  const body = `<h1>Inbox</h1><p class="muted">Questions agents asked that wait for a person. An answer unblocks the task; <code>baton auto</code> takes it again, and its next prompt starts with the answer.</p>${inboxList(items, opts.csrf)}${eventList(events)}`;
  return page({ title: 'Inbox', current: 'inbox', live: opts.live }, body);
}
