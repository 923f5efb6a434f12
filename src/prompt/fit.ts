/**
 * Fitting a prompt to its token budget. Everything that may give way is a
 * piece with three levels (whole, condensed to its first sentence and the
 * names and numbers it carries, left out): memory entries by relevance, plan
 * prose by whether it touches the task, and the long report format. Each
 * step lowers one piece by one level; the steps are ordered once, least
 * valuable first, and a piece is condensed well before it is left out:
 *
 *   - memory: an entry of tier t (0 kept longest, see select.ts) with score s
 *     is worth v = (3 - t) + s/3.1; it is condensed at v - 2.3, left out at v
 *     (condensing keeps what most entries are for: all but the first entries
 *     are condensed before a relevant one goes);
 *   - plan prose the task does not touch: condensed at 0.3, left out at 1.72,
 *     after notes, before the results and decisions further up the graph (1.74-1.84);
 *     prose that names the task's files, phase or title words: 1.8 / 2.8;
 *     Goal, Constraints and the task's phase: 1.9 / 2.9;
 *   - the long report format and explanations: at 0.9;
 *   - the task's own Context (condensed, never left out): at 5, after all memory.
 * The task's title, requirements and success criteria, its checks and the
 * short report format are never cut. The fewest steps that fit are found by
 * binary search over the ordered steps: O(log n) renders of O(n) each. When
 * even all steps do not fit, the budget is below the smallest useful prompt:
 * the caller is told that size and refuses. Deterministic.
 */
import type { MemoryEntry } from '../memory/entry.js';
import type { BlockLevel, PlanBlock, PlanWeight } from './plan-context.js';
import type { Counter } from './tokens.js';
import type { Item } from './select.js';

/** How the prompt is rendered: which pieces are condensed or left out. */
export interface FitState {
  /** Memory entries shown condensed. */
  condensed: ReadonlySet<MemoryEntry>;
  /** Memory items left out, in the order they were given up. */
  omitted: readonly Item[];
  /** Memory items kept (whole or condensed). */
  kept: ReadonlySet<Item>;
  /** Each plan block's level, by index. */
  plan: readonly BlockLevel[];
  /** The short report format, no explanations. */
  terse: boolean;
  /** The task's Context (and other sections besides requirements and criteria) condensed. */
  taskCondensed: boolean;
}

export type Renderer = (state: FitState) => string;

export interface Fitted {
  text: string;
  tokens: number;
  state: FitState;
}

/** Even with every step taken the prompt is over the budget: its size then, and that state. */
export interface Unfit {
  smallest: number;
  state: FitState;
}

interface Mutable {
  condensed: Set<MemoryEntry>;
  omitted: Item[];
  plan: BlockLevel[];
  terse: boolean;
  taskCondensed: boolean;
}

interface Step {
  key: number;
  apply(s: Mutable): void;
}

const PLAN_KEYS: Record<PlanWeight, [condense: number, drop: number]> = {
  untouched: [0.3, 1.72],
  touched: [1.8, 2.8],
  core: [1.9, 2.9],
};
const TERSE_KEY = 0.9;
const TASK_KEY = 5;

/** An item's worth: its tier first, its score within the tier. */
export function worth(item: Item): number {
  return 3 - item.tier + Math.min(Math.max(item.score, 0), 3) / 3.1;
}

function steps(items: readonly Item[], blocks: readonly PlanBlock[]): Step[] {
  const out: Step[] = [];
  for (const item of items) {
    const v = worth(item);
    out.push({ key: v - 2.3, apply: (s) => void s.condensed.add(item.entry) });
    out.push({ key: v, apply: (s) => void s.omitted.push(item) });
  }
  blocks.forEach((b, i) => {
    const [condense, drop] = PLAN_KEYS[b.weight];
    out.push({ key: condense, apply: (s) => void (s.plan[i] = Math.max(s.plan[i]!, 1) as BlockLevel) });
    out.push({ key: drop, apply: (s) => void (s.plan[i] = 2) });
  });
  out.push({ key: TERSE_KEY, apply: (s) => void (s.terse = true) });
  out.push({ key: TASK_KEY, apply: (s) => void (s.taskCondensed = true) });
  // Stable: equal keys keep the order above (items in selection order, oldest first within a task).
  return out.map((step, order) => ({ step, order })).sort((a, b) => a.step.key - b.step.key || a.order - b.order).map((x) => x.step);
}

function stateAfter(ordered: readonly Step[], k: number, items: readonly Item[], blocks: number): FitState {
  const s: Mutable = { condensed: new Set(), omitted: [], plan: new Array<BlockLevel>(blocks).fill(0), terse: false, taskCondensed: false };
  for (let i = 0; i < k; i++) ordered[i]!.apply(s);
  const gone = new Set(s.omitted);
  return { ...s, kept: new Set(items.filter((i) => !gone.has(i))) };
}

export function fitToBudget(render: Renderer, items: readonly Item[], blocks: readonly PlanBlock[], budget: number, count: Counter): Fitted | Unfit {
  const ordered = steps(items, blocks);
  const at = (k: number): Fitted => {
    const state = stateAfter(ordered, k, items, blocks.length);
    const text = render(state);
    // Exact when it fits; a render over the budget is only compared, never reported.
    return { text, tokens: count(text, budget), state };
  };
  const none = at(0);
  if (none.tokens <= budget) return none;
  const all = at(ordered.length);
  if (all.tokens > budget) return { smallest: count(all.text), state: all.state };
  // The fewest steps that fit: binary search, keeping the best seen.
  let lo = 1;
  let hi = ordered.length;
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
