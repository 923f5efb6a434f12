/**
 * HTML for the board: escaping, the page shell, and a tiny markdown reader.
 * Everything a person or an agent wrote (titles, task text, memory, reviews)
 * goes through `esc` before it reaches a page, and is redacted there (a key
 * pasted into a task file by hand is not shown to whoever opens the board).
 */
import { redact } from '../core/redact.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The page of a task, relative to the board's other pages. */
export const taskHref = (id: string) => `${id}.html`;

export function esc(text: string): string {
  return redact(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export interface PageOptions {
  title: string;
  /** Which nav link is the current page. */
  current: 'board' | 'reviews' | 'cost' | 'task' | 'inbox';
  /** Served live: adds the small script that swaps `<main>` when the repository changes. */
  live: boolean;
  /** One more inline script for a live page (the review's line comments). */
  script?: string;
}

const STYLE = `
:root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#f6f8fa;--todo:#ffffff;--ready:#1a7f37;--prog:#bf8700;--review:#8250df;--done:#1f883d;--blocked:#cf222e;--cancelled:#8c959f}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:#fff}
header{display:flex;gap:18px;align-items:center;padding:10px 20px;border-bottom:1px solid var(--line);background:var(--bg)}
header b{font-size:16px}header a{color:var(--fg);text-decoration:none}header a.on{font-weight:600;border-bottom:2px solid var(--fg)}
#live{margin-left:auto;color:var(--muted);font-size:12px}main{padding:16px 20px;max-width:1400px}
h1{font-size:20px;margin:4px 0 12px}h2{font-size:16px;margin:22px 0 8px}a{color:#0969da}
.muted{color:var(--muted)}code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
pre{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:10px;overflow:auto;white-space:pre-wrap}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;align-items:start}
.col{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:8px;max-height:520px;overflow:auto}
.col h3{margin:0 0 6px;font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.card{display:block;background:#fff;border:1px solid var(--line);border-left:4px solid var(--line);border-radius:6px;padding:6px 8px;margin:6px 0;color:var(--fg);text-decoration:none}
.card:hover{border-color:#0969da}.card .id{font:11px ui-monospace,monospace;color:var(--muted)}
.card.ready{border-left-color:var(--ready);box-shadow:0 0 0 1px var(--ready) inset}.card.in-progress{border-left-color:var(--prog)}.card.review{border-left-color:var(--review)}
.card.done{border-left-color:var(--done);opacity:.8}.card.blocked{border-left-color:var(--blocked)}.card.cancelled{border-left-color:var(--cancelled);opacity:.6}
.badge{display:inline-block;font-size:11px;padding:0 6px;border-radius:10px;border:1px solid var(--line);background:#fff;margin:2px 4px 0 0}
.badge.ready{border-color:var(--ready);color:var(--ready)}.badge.requested{border-color:var(--blocked);color:var(--blocked)}.badge.branch{border-color:var(--review);color:var(--review)}
.phases{display:grid;grid-template-columns:max-content 1fr max-content;gap:4px 12px;align-items:center;max-width:700px}
.bar{height:8px;background:var(--bg);border:1px solid var(--line);border-radius:4px;overflow:hidden}.bar i{display:block;height:100%;background:var(--done)}
table{border-collapse:collapse}td,th{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}th{color:var(--muted);font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.graph{overflow:auto;border:1px solid var(--line);border-radius:8px;background:#fff;max-height:640px}
.graph rect{fill:#fff;stroke:#8c959f;stroke-width:1}.graph text{font:11px system-ui,sans-serif;fill:var(--fg)}.graph text.gid{font:bold 11px ui-monospace,monospace}
.graph .n-done rect{fill:#dafbe1;stroke:var(--done)}.graph .n-in-progress rect{fill:#fff8c5;stroke:var(--prog)}.graph .n-review rect{fill:#fbefff;stroke:var(--review)}
.graph .n-blocked rect{fill:#ffebe9;stroke:var(--blocked)}.graph .n-cancelled rect{fill:#f6f8fa;stroke:var(--cancelled)}.graph .n-ready rect{stroke:var(--ready);stroke-width:3}
.graph path{fill:none;stroke:#afb8c1;stroke-width:1.2}.graph a:hover rect{stroke:#0969da;stroke-width:2}
.timeline{list-style:none;margin:0;padding:0 0 0 14px;border-left:2px solid var(--line)}
.timeline>li{position:relative;margin:0 0 12px;padding-left:10px}.timeline>li::before{content:"";position:absolute;left:-21px;top:5px;width:10px;height:10px;border-radius:50%;background:var(--line);border:2px solid #fff}
.timeline>.k-commit::before{background:#0969da}.timeline>.k-result::before{background:var(--done)}.timeline>.k-bug::before,.timeline>.k-blocker::before{background:var(--blocked)}
.timeline>.k-decision::before{background:var(--review)}.timeline>.k-attempt::before{background:var(--prog)}.timeline>.k-review::before{background:#1b1f24}.timeline>.k-check::before{background:#0550ae}
.kind{font-weight:600}ul.files{margin:2px 0;padding-left:18px}.r-failure{color:var(--blocked)}.r-success{color:var(--done)}.r-partial{color:var(--prog)}
.md h4{margin:12px 0 4px;font-size:14px}.md ul{margin:4px 0;padding-left:22px}.md p{margin:6px 0}
.error{border:1px solid var(--blocked);background:#ffebe9;border-radius:6px;padding:10px}
form.inline{display:inline-flex;gap:6px;align-items:center}textarea{width:100%;min-height:260px;font:12px ui-monospace,monospace}
form.answer textarea{min-height:60px;font:14px system-ui,sans-serif;display:block;margin:6px 0}.questions.open>li,.inbox>li{border-left:3px solid var(--blocked);padding-left:8px;margin:0 0 10px;list-style:none}
.review-grid{display:grid;grid-template-columns:minmax(0,1fr) 340px;gap:20px;align-items:start}.review-grid>aside{position:sticky;top:8px;max-height:calc(100vh - 16px);overflow:auto}
@media (max-width:900px){.review-grid{grid-template-columns:1fr}}
details.file{border:1px solid var(--line);border-radius:6px;margin:0 0 12px;overflow:hidden}details.file>summary{background:var(--bg);padding:6px 10px;cursor:pointer;border-bottom:1px solid var(--line)}
table.diff{width:100%;border-collapse:collapse;font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}table.diff td{border:0;padding:0 8px;vertical-align:top}
table.diff td.ln{width:1%;min-width:44px;text-align:right;color:var(--muted);user-select:none;white-space:nowrap}table.diff td.code{white-space:pre-wrap;word-break:break-all}
table.diff tr.add td{background:#e6ffec}table.diff tr.add td.ln{background:#ccffd8}table.diff tr.del td{background:#ffebe9}table.diff tr.del td.ln{background:#ffd7d5}
table.diff tr.hunk td{background:#ddf4ff;color:var(--muted);padding:2px 8px}.mark{display:inline-block;width:1.2em;color:var(--muted)}
.add-comment{visibility:hidden;border:0;background:#0969da;color:#fff;border-radius:4px;font:bold 11px system-ui;padding:0 5px;margin-right:4px;cursor:pointer}tr:hover .add-comment{visibility:visible}
tr.comment td,tr.composer td{background:#fff;padding:4px 8px}.note{border:1px solid var(--line);border-left:3px solid var(--review);border-radius:6px;padding:6px 10px;font:13px/1.45 system-ui,sans-serif;max-width:760px;background:#fff}
.note textarea{min-height:60px;font:13px system-ui,sans-serif}tr.draft .note{border-left-color:var(--prog)}.plus{color:var(--done)}.minus{color:var(--blocked)}
.file-list{columns:2;font-size:12px;margin:0 0 10px}.capped{border:1px solid var(--prog);background:#fff8c5;border-radius:6px;padding:6px 10px}
.requested-note{border:1px solid var(--review);background:#fbefff;border-radius:6px;padding:6px 10px}
.review-form{border:1px solid var(--line);border-radius:8px;padding:10px 14px;background:var(--bg);margin:16px 0}.review-form h2{margin-top:0}.review-form label{display:block;margin:6px 0}
.review-form textarea{min-height:60px;font:13px system-ui,sans-serif;display:block;margin-top:4px}.buttons button{margin-right:8px;padding:5px 12px;border-radius:6px;border:1px solid var(--line);font-weight:600;cursor:pointer}
.buttons .request{background:#fff;color:var(--blocked)}.buttons .approve{background:var(--done);color:#fff;border-color:var(--done)}.buttons .cancel{background:#fff;color:var(--muted)}
`;

/**
 * Live updates without a framework: on each server-sent event, fetch this
 * same URL and swap in its `<main>`; the page itself never reloads. While a
 * person is in one of its forms (an answer half typed), the swap waits until
 * they leave it.
 */
const CLIENT = `(()=>{const live=document.getElementById('live');const es=new EventSource('/events');let busy=false,again=false;
async function swap(){if(busy){again=true;return}if(document.querySelector('.draft')||[...document.querySelectorAll('#review-form textarea')].some(t=>t.value.trim())){live.textContent='live · update held while you write a review';return}busy=true;try{const r=await fetch(location.href,{cache:'no-store'});const d=new DOMParser().parseFromString(await r.text(),'text/html');const m=d.querySelector('main');if(m){const open=[...document.querySelectorAll('details[open][id]')].map(e=>e.id);document.querySelector('main').replaceWith(m);for(const id of open){const e=document.getElementById(id);if(e)e.open=true}document.title=d.title;live.textContent='live · updated '+new Date().toLocaleTimeString()}}catch(e){live.textContent='live · update failed'}busy=false;if(again){again=false;swap()}}
const held=()=>{const a=document.activeElement;return!!(a&&a.closest&&a.closest('main form'))};let waiting=false;
document.addEventListener('focusout',()=>setTimeout(()=>{if(waiting&&!held()){waiting=false;swap()}},0));
es.onopen=()=>{live.textContent='live'};es.onmessage=()=>{if(held())waiting=true;else swap()};es.onerror=()=>{live.textContent='reconnecting…'}})();`;

/** Static pages load nothing at all: no script, no other host (the live server sends its own header). */
const STATIC_CSP = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`;

export function page(opts: PageOptions, body: string): string {
  const nav = (key: PageOptions['current'], href: string, label: string) =>
    `<a href="${href}"${opts.current === key ? ' class="on"' : ''}>${label}</a>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
${opts.live ? '' : STATIC_CSP}<title>${esc(opts.title)} · baton board</title><style>${STYLE}</style></head>
<body><header><b>baton board</b>${nav('board', 'index.html', 'Plan')}${nav('reviews', 'reviews.html', 'Reviews')}${nav('cost', 'cost.html', 'Cost')}${nav('inbox', 'inbox.html', 'Inbox')}<span id="live">${opts.live ? 'connecting…' : 'static export'}</span></header>
<main>${body}</main>${opts.live ? `<script>${CLIENT}</script>${opts.script ? `<script>${opts.script}</script>` : ''}` : ''}</body></html>
`;
}

/** Inline markdown: code spans, bold; everything escaped first. */
function inline(text: string): string {
  return esc(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>');
}

/**
 * Enough markdown for task text, memory bodies and reviews: headings, lists,
 * checkboxes, fenced code, paragraphs. Anything else stays as escaped text.
 */
export function markdown(text: string): string {
  const out: string[] = [];
  let list = false;
  let fence: string[] | undefined;
  let para: string[] = [];
  const flush = () => {
    if (para.length) out.push(`<p>${para.map(inline).join('<br>')}</p>`);
    para = [];
    if (list) out.push('</ul>');
    list = false;
  };
  for (const line of text.split('\n')) {
    if (fence) {
      if (/^\s*(```|~~~)/.test(line)) {
        out.push(`<pre>${esc(fence.join('\n'))}</pre>`);
        fence = undefined;
      } else fence.push(line);
      continue;
    }
    if (/^\s*(```|~~~)/.test(line)) {
      flush();
      fence = [];
      continue;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    const item = /^\s*[-*+]\s+(?:\[([ xX])\]\s+)?(.*)$/.exec(line);
    if (list && !item && /^\s+\S/.test(line)) {
      // A wrapped list item: the indented line continues it.
      out[out.length - 1] = out[out.length - 1]!.replace(/<\/li>$/, ` ${inline(line.trim())}</li>`);
    } else if (heading) {
      flush();
      out.push(`<h4>${inline(heading[1]!)}</h4>`);
    } else if (item) {
      if (para.length) {
        out.push(`<p>${para.map(inline).join('<br>')}</p>`);
        para = [];
      }
      if (!list) out.push('<ul>');
      list = true;
      const box = item[1] === undefined ? '' : item[1] === ' ' ? '☐ ' : '☑ ';
      out.push(`<li>${box}${inline(item[2]!)}</li>`);
    } else if (!line.trim()) flush();
    else {
      if (list) {
        out.push('</ul>');
        list = false;
      }
      para.push(line);
    }
  }
  if (fence) out.push(`<pre>${esc(fence.join('\n'))}</pre>`);
  flush();
  return `<div class="md">${out.join('\n')}</div>`;
}
