/** `baton cost` over time: the running total of recorded model spend as an inline SVG line chart. */
import type { MemoryEntry } from '../memory/entry.js';
import { parseUsageEntry } from '../memory/usage.js';
import { esc } from './html.js';

export interface CostPoint {
  time: string;
  /** Running total in USD after this call. */
  total: number;
  task: string;
}

export function costPoints(entries: readonly MemoryEntry[]): CostPoint[] {
  const usages = entries.map(parseUsageEntry).filter((u) => u !== undefined);
  usages.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  let total = 0;
  return usages.map((u) => {
    total += u.costUsd ?? 0;
    return { time: u.time, total: Math.round(total * 1e6) / 1e6, task: u.task };
  });
}

const WIDTH = 720;
const HEIGHT = 220;
const LEFT = 64;
const BOTTOM = 28;
const TOP = 12;
const RIGHT = 16;

export function costChart(points: readonly CostPoint[]): string {
  if (!points.length) return '';
  const times = points.map((p) => Date.parse(p.time));
  const t0 = times[0]!;
  const t1 = Math.max(times[times.length - 1]!, t0 + 1000);
  const max = Math.max(points[points.length - 1]!.total, 0.0001);
  const x = (t: number) => LEFT + ((t - t0) / (t1 - t0)) * (WIDTH - LEFT - RIGHT);
  const y = (v: number) => TOP + (1 - v / max) * (HEIGHT - TOP - BOTTOM);
  // A step line: the total only changes when a call is made.
  let d = `M${x(t0).toFixed(1)} ${y(0).toFixed(1)}`;
  points.forEach((p, i) => {
    d += `H${x(times[i]!).toFixed(1)}V${y(p.total).toFixed(1)}`;
  });
  const dots = points.map((p, i) =>
    `<circle cx="${x(times[i]!).toFixed(1)}" cy="${y(p.total).toFixed(1)}" r="3"><title>${esc(`${p.time} ${p.task}: $${p.total.toFixed(4)} so far`)}</title></circle>`).join('');
  const ticks = [0, 0.5, 1].map((f) => `<text x="${LEFT - 6}" y="${y(max * f) + 4}" text-anchor="end">$${(max * f).toFixed(max * f < 1 ? 4 : 2)}</text><line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(max * f)}" y2="${y(max * f)}" stroke="#eaeef2"/>`).join('');
  return (
    `<svg class="cost-chart" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="Cumulative cost over time" font-size="11" font-family="system-ui,sans-serif" fill="#656d76">` +
    ticks +
    `<text x="${LEFT}" y="${HEIGHT - 8}">${esc(points[0]!.time)}</text><text x="${WIDTH - RIGHT}" y="${HEIGHT - 8}" text-anchor="end">${esc(points[points.length - 1]!.time)}</text>` +
    `<path d="${d}" fill="none" stroke="#0969da" stroke-width="2"/><g fill="#0969da">${dots}</g></svg>`
  );
}
