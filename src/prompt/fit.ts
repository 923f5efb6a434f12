/**
 * Fitting a prompt to its token budget. Memory is given up least relevant
 * first, each try rendered in full (the "left out" note included, at its real
 * size); protected items (a direct dependency's result, the task's own failure
 * history, instructions addressed to it) are never given up for that note.
 * When that is not enough, the prompt gets terser (short report format, entry
 * bodies cut), then the plan and task text are cut, and as a last resort the
 * text itself: a prompt is never over its budget. Deterministic.
 */
import type { Counter } from './tokens.js';
import { dropOrder, isProtected, type Item } from './select.js';

export interface FitStyle {
  /** Cut each memory entry's body to this many characters (0: no cut). */
  bodyLimit: number;
  /** Shorter working rules and report format. */
  terse: boolean;
  /** Cut the plan and task sections to this many characters (0: no cut). */
  textLimit: number;
  /** Leave the plan out altogether: the last resort before cutting the text itself. */
  noPlan?: boolean;
}

export type Renderer = (kept: ReadonlySet<Item>, omitted: readonly Item[], style: FitStyle) => string;

export interface Fitted {
  text: string;
  tokens: number;
  omitted: Item[];
  style: FitStyle;
}

const STYLES: FitStyle[] = [
  { bodyLimit: 0, terse: false, textLimit: 0 },
  { bodyLimit: 600, terse: true, textLimit: 0 },
  { bodyLimit: 240, terse: true, textLimit: 0 },
  { bodyLimit: 160, terse: true, textLimit: 1500 },
  { bodyLimit: 100, terse: true, textLimit: 600 },
  { bodyLimit: 100, terse: true, textLimit: 300, noPlan: true },
];

function attempt(render: Renderer, items: readonly Item[], queue: readonly Item[], budget: number, count: Counter, style: FitStyle): Fitted | undefined {
  const at = (k: number): Fitted => {
    const omitted = queue.slice(0, k);
    const gone = new Set(omitted);
    const kept = new Set(items.filter((i) => !gone.has(i)));
    const text = render(kept, omitted, style);
    // Exact when it fits; a render over the budget is only compared, never reported.
    return { text, tokens: count(text, budget), omitted, style };
  };
  const none = at(0);
  if (none.tokens <= budget) return none;
  const all = at(queue.length);
  if (all.tokens > budget) return undefined;
  // The smallest number of items to give up: binary search, then make sure.
  let lo = 1;
  let hi = queue.length;
  let best = all;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = at(mid);
    if (r.tokens <= budget) {
      hi = mid;
      best = r;
    } else lo = mid + 1;
  }
  return best;
}

/**
 * How much a fit costs the agent: each item left out by its tier, plus what a
 * terser style loses (the long report format, explanations, long bodies): less
 * than one item of tier 2, more than one of tier 3.
 */
const TIER_COST = [1000, 100, 10, 1];
const cost = (f: Fitted) =>
  f.omitted.reduce((s, i) => s + TIER_COST[i.tier]!, 0) + (f.style.terse ? 3 : 0) + (f.style.bodyLimit ? 3000 / f.style.bodyLimit : 0);

export function fitToBudget(render: Renderer, items: readonly Item[], budget: number, count: Counter): Fitted {
  let best: Fitted | undefined;
  // The same for every style: sorted once.
  const queue = dropOrder(items).filter((i) => !isProtected(i));
  for (const style of STYLES) {
    // Cutting the plan or the task's own text is worse than any memory: only when nothing else fits.
    if (style.textLimit && best) break;
    const r = attempt(render, items, queue, budget, count, style);
    if (!r) continue;
    if (!best || cost(r) < cost(best)) best = r;
    if (!r.omitted.length) break;
  }
  if (best) return best;
  // Nothing but protected memory left, and still too long: cut the text itself.
  const last = STYLES[STYLES.length - 1]!;
  const kept = new Set(items.filter((i) => isProtected(i)));
  const full = render(kept, queue, last);
  const note = '\n\n… (cut here to fit the token budget)\n';
  let lo = 0;
  let hi = full.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (count(full.slice(0, mid) + note, budget) <= budget) lo = mid;
    else hi = mid - 1;
  }
  const text = lo ? full.slice(0, lo).trimEnd() + note : '';
  return { text, tokens: count(text), omitted: queue, style: last };
}
