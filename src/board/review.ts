/**
 * A task's review on the board: its branch's diff against the base, file by
 * file, with the comments a person left on lines; and, on a board started
 * with `--write`, the form that requests changes, approves (merges) or
 * cancels. Pure: HTML strings. The diff is text from the branch under
 * review: every character goes through `esc`, nothing of it is ever markup.
 */
import type { DiffLine, FileDiff } from '../git/diff.js';
import type { MemoryEntry } from '../memory/entry.js';
import type { TaskDetail } from './detail.js';
import { esc } from './html.js';

/** A line longer than this is cut on the page (a minified bundle, a lock file). */
const LINE_SHOWN = 400;

export interface ShownComment {
  path: string;
  line: number;
  text: string;
  time: string;
}

/** The `- \`path:line\`: text` items of review entries → comments to show on their lines. Pure. */
export function commentsOf(entries: readonly MemoryEntry[]): ShownComment[] {
  const out: ShownComment[] = [];
  for (const e of entries) {
    let current: ShownComment | undefined;
    for (const line of e.body.split('\n')) {
      const m = /^- `(.+):(\d+)`: (.*)$/.exec(line);
      if (m) {
        current = { path: m[1]!, line: Number(m[2]), text: m[3]!, time: e.time };
        out.push(current);
      } else if (current && /^ {2}/.test(line)) current.text += `\n${line.slice(2)}`;
      else current = undefined;
    }
  }
  return out;
}

function cell(text: string): string {
  const cut = text.length > LINE_SHOWN ? `${esc(text.slice(0, LINE_SHOWN))}<span class="muted"> … (${text.length - LINE_SHOWN} more characters)</span>` : esc(text);
  return cut || ' ';
}

function row(file: FileDiff, l: DiffLine, comments: readonly ShownComment[], write: boolean): string {
  const mark = l.kind === 'add' ? '+' : l.kind === 'del' ? '−' : ' ';
  const at = l.new !== undefined ? ` data-line="${l.new}"` : '';
  // Only lines the branch has can be commented on: a comment names the branch's line.
  const add = write && l.new !== undefined ? `<button type="button" class="add-comment" title="Comment on this line" aria-label="Comment on line ${l.new}">+</button>` : '';
  const here = l.new === undefined ? [] : comments.filter((c) => c.path === file.path && c.line === l.new);
  const notes = here.map((c) => `<tr class="comment"><td colspan="3"><div class="note"><span class="muted">${esc(file.path)}:${c.line} · ${esc(c.time)}</span><div>${esc(c.text).replace(/\n/g, '<br>')}</div></div></td></tr>`).join('');
  return `<tr class="${l.kind}"${at}><td class="ln">${l.old ?? ''}</td><td class="ln">${add}${l.new ?? ''}</td><td class="code"><span class="mark">${mark}</span>${cell(l.text)}</td></tr>${notes}`;
}

function fileBlock(file: FileDiff, i: number, comments: readonly ShownComment[], write: boolean): string {
  const name = file.from ? `${esc(file.from)} → ${esc(file.path)}` : esc(file.path);
  const counts = file.binary ? '<span class="muted">binary</span>' : `<span class="plus">+${file.added}</span> <span class="minus">−${file.deleted}</span>`;
  const head = `<summary><code>${name}</code> ${counts} <span class="badge">${esc(file.status)}</span></summary>`;
  let body: string;
  if (file.binary) body = '<p class="muted">A binary file: not shown.</p>';
  else if (file.omitted) body = `<p class="muted capped">${esc(file.omitted)}</p>`;
  else if (!file.hunks.length) body = '<p class="muted">No change in its text (a mode or a rename only).</p>';
  else {
    body = `<table class="diff">${file.hunks.map((h) =>
      `<tr class="hunk"><td colspan="3">${esc(h.header)}</td></tr>${h.lines.map((l) => row(file, l, comments, write)).join('')}`).join('')}</table>`;
  }
  return `<details class="file" id="f-${i + 1}" data-path="${esc(file.path)}" open>${head}${body}</details>`;
}

/** The diff, file by file; undefined when the task has no unmerged branch. */
export function changesSection(d: TaskDetail, write: boolean): string | undefined {
  const diff = d.diff;
  if (!diff) return undefined;
  const comments = commentsOf(d.requests);
  const added = diff.files.reduce((n, f) => n + f.added, 0);
  const deleted = diff.files.reduce((n, f) => n + f.deleted, 0);
  const head = `<h2>Changes</h2><p class="muted"><code>${esc(diff.base)}...${esc(diff.branch)}</code> · ${diff.files.length} file${diff.files.length === 1 ? '' : 's'} · <span class="plus">+${added}</span> <span class="minus">−${deleted}</span> (baton's own files under <code>.agents/</code> are left out: the memory is beside it)</p>`;
  const list = diff.files.length > 1 ? `<ul class="file-list">${diff.files.map((f, i) => `<li><a href="#f-${i + 1}"><code>${esc(f.path)}</code></a></li>`).join('')}</ul>` : '';
  const note = diff.note ? `<p class="capped">${esc(diff.note)}</p>` : '';
  const files = diff.files.length ? diff.files.map((f, i) => fileBlock(f, i, comments, write)).join('') : '<p class="muted">No change outside <code>.agents/</code> yet.</p>';
  return `<section id="changes">${head}${note}${list}${files}</section>`;
}

/** What is asked of the task now, above the diff. */
export function requestsNote(d: TaskDetail): string {
  if (!d.requests.length) return '';
  const n = commentsOf(d.requests).length;
  return `<p class="requested-note" id="requested"><b>Changes requested</b> (${n} line comment${n === 1 ? '' : 's'}): the task is open again; its next prompt starts with them.</p>`;
}

/** Request changes / approve / cancel: a form that works without script (comments typed as `FILE:LINE text`). */
export function reviewForm(d: TaskDetail, csrf: string): string {
  const t = d.task;
  if (t.status === 'cancelled' || (t.status === 'done' && !d.onBranch)) return '';
  const merge = d.onBranch
    ? '<button name="action" value="approve" class="approve">Approve and merge</button>'
    : '';
  return `<form method="post" action="/${esc(t.id)}/review" id="review-form" class="review-form"><h2>Review</h2>` +
    `<input type="hidden" name="csrf" value="${esc(csrf)}">` +
    '<div id="drafts"></div>' +
    '<label>Comment on the whole change<textarea name="message" rows="3" placeholder="Optional"></textarea></label>' +
    `<details class="plain"><summary>Line comments as text</summary><label>One per line: <code>FILE:LINE text</code><textarea name="comments" rows="3" placeholder="src/login.ts:12 Check the length"></textarea></label></details>` +
    '<p class="buttons"><button name="action" value="request-changes" class="request">Request changes</button>' +
    `${merge}<button name="action" value="cancel" class="cancel">Cancel the task</button></p>` +
    '<p class="muted">Request changes reopens the task with the comments as the reason; <code>baton auto</code> runs it again. Approve merges it (<code>baton done --merge</code>). Each is written to its memory.</p></form>';
}

/**
 * Line comments in the browser: "+" on a line opens a box; a comment added
 * goes into the review form as a hidden field and stays on its line as a
 * draft until the form is sent. Delegated from `document`, so it keeps
 * working when the live update swaps `<main>` (which waits while drafts exist).
 */
export const REVIEW_CLIENT = `(()=>{document.addEventListener('click',e=>{const b=e.target.closest('button');if(!b)return;
if(b.classList.contains('add-comment')){const tr=b.closest('tr');const n=tr.nextElementSibling;if(n&&n.classList.contains('composer'))return n.querySelector('textarea').focus();
const path=b.closest('details.file').dataset.path,line=tr.dataset.line;const c=document.createElement('tr');c.className='composer draft';c.innerHTML='<td colspan="3"><div class="note"><textarea rows="3"></textarea><p><button type="button" class="save-comment">Add comment</button> <button type="button" class="drop-comment">Discard</button></p></div></td>';
c.dataset.path=path;c.dataset.line=line;tr.after(c);c.querySelector('textarea').focus();return}
if(b.classList.contains('drop-comment')){const c=b.closest('tr');const id=c.dataset.input;if(id)document.getElementById(id)?.remove();c.remove();return}
if(b.classList.contains('save-comment')){const c=b.closest('tr');const text=c.querySelector('textarea').value.trim();if(!text)return;const form=document.getElementById('review-form');if(!form)return;
const i=document.createElement('input');i.type='hidden';i.name='comment';i.value=c.dataset.path+':'+c.dataset.line+'\\n'+text;i.id='c-'+Math.random().toString(36).slice(2);form.querySelector('#drafts').append(i);
c.className='comment draft';c.dataset.input=i.id;const d=c.querySelector('.note');d.textContent='';const h=document.createElement('span');h.className='muted';h.textContent=c.dataset.path+':'+c.dataset.line+' · draft, sent with the review';const p=document.createElement('div');p.textContent=text;
const x=document.createElement('button');x.type='button';x.className='drop-comment';x.textContent='Discard';d.append(h,p,x);}})})();`;
