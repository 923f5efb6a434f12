/**
 * The dependency graph as inline SVG, laid out on the server: each task sits
 * in the column of its longest chain of dependencies, so every arrow points
 * right; within a column tasks are ordered by where their dependencies are
 * (one barycenter pass), which keeps most arrows short. No script, no CDN.
 */
import { esc } from './html.js';

export interface GraphNode {
  id: string;
  title: string;
  status: string;
  ready: boolean;
  depends_on: string[];
}

const W = 168;
const H = 38;
const GAP_X = 56;
const GAP_Y = 12;
const PAD = 12;

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Columns of ids; `nodes` must come dependencies first (topological order). */
export function layers(nodes: readonly GraphNode[]): string[][] {
  const layer = new Map<string, number>();
  for (const n of nodes) {
    let l = 0;
    // A dependency not placed yet is on a cycle (or missing): it does not push this task right.
    for (const d of n.depends_on) {
      const dl = layer.get(d);
      if (dl !== undefined) l = Math.max(l, dl + 1);
    }
    layer.set(n.id, l);
  }
  const cols: string[][] = [];
  for (const n of nodes) (cols[layer.get(n.id)!] ??= []).push(n.id);
  const row = new Map<string, number>();
  (cols[0] ?? []).forEach((id, i) => row.set(id, i));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (let c = 1; c < cols.length; c++) {
    const col = cols[c]!;
    const centre = (id: string) => {
      const rows = byId.get(id)!.depends_on.map((d) => row.get(d)).filter((r): r is number => r !== undefined);
      return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : 0;
    };
    const keyed = col.map((id, i) => ({ id, key: centre(id), i }));
    keyed.sort((a, b) => a.key - b.key || a.i - b.i);
    cols[c] = keyed.map((k) => k.id);
    cols[c]!.forEach((id, i) => row.set(id, i));
  }
  return cols;
}

export function graphSvg(nodes: readonly GraphNode[], href: (id: string) => string): string {
  if (!nodes.length) return '<p class="muted">No tasks yet.</p>';
  const cols = layers(nodes);
  const pos = new Map<string, { x: number; y: number }>();
  cols.forEach((col, c) => col.forEach((id, r) => pos.set(id, { x: PAD + c * (W + GAP_X), y: PAD + r * (H + GAP_Y) })));
  const width = PAD * 2 + cols.length * W + (cols.length - 1) * GAP_X;
  const height = PAD * 2 + Math.max(...cols.map((c) => c.length)) * (H + GAP_Y) - GAP_Y;
  const edges: string[] = [];
  const boxes: string[] = [];
  for (const n of nodes) {
    const to = pos.get(n.id)!;
    for (const d of n.depends_on) {
      const from = pos.get(d);
      if (!from) continue;
      const x1 = from.x + W;
      const y1 = from.y + H / 2;
      const x2 = to.x - 4;
      const y2 = to.y + H / 2;
      const mid = (x1 + x2) / 2;
      edges.push(`<path d="M${x1} ${y1}C${mid} ${y1} ${mid} ${y2} ${x2} ${y2}" marker-end="url(#arrow)"/>`);
    }
    const cls = `n-${n.status}${n.ready ? ' n-ready' : ''}`;
    const label = n.ready ? 'ready' : n.status;
    boxes.push(
      `<a href="${esc(href(n.id))}" class="${cls}" data-id="${esc(n.id)}"><title>${esc(`${n.id} ${n.title} (${label})`)}</title>` +
        `<rect x="${to.x}" y="${to.y}" width="${W}" height="${H}" rx="6"/>` +
        `<text class="gid" x="${to.x + 8}" y="${to.y + 15}">${esc(n.id)} · ${esc(label)}</text>` +
        `<text x="${to.x + 8}" y="${to.y + 30}">${esc(truncate(n.title, 24))}</text></a>`,
    );
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Dependency graph">` +
    '<defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L8 4L0 8z" fill="#afb8c1" stroke="none"/></marker></defs>' +
    `<g>${edges.join('')}</g><g>${boxes.join('')}</g></svg>`
  );
}
