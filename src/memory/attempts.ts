/**
 * A task's memory as attempts: `attempt` entries (written by `start` and `run`)
 * delimit them, and within one attempt each `baton log` that carries an outcome
 * closes a try of its own (a failure logged, then a success, on the same
 * branch). Every decision, note, bug or blocker belongs to the try whose
 * result it was logged with, else to the next result of its attempt, else to
 * the last one before it. Pure.
 *
 * What a later reader may trust: a try that failed, ended partial or never
 * reported, followed by a later success, is superseded; its decisions and notes
 * were the road not taken (the decision that *was* the bug), and reach neither
 * other tasks' prompts nor the pull request.
 */
import type { MemoryEntry } from './entry.js';

export type Standing =
  /** From the latest successful try, or from a task with no result yet: what holds. */
  | 'current'
  /** From a try that failed or ended partial, and nothing succeeded since. */
  | 'failed'
  /** From a try that did not succeed, with a later success of the same task. */
  | 'superseded';

export interface Attempt {
  /** 0 for what came before the first `attempt` entry. */
  number: number;
  entries: MemoryEntry[];
}

/** Split a task's entries (file order) at its `attempt` entries. */
export function splitAttempts(entries: readonly MemoryEntry[]): Attempt[] {
  const out: Attempt[] = [{ number: 0, entries: [] }];
  for (const e of entries) {
    if (e.kind === 'attempt') out.push({ number: out.length, entries: [] });
    out.at(-1)!.entries.push(e);
  }
  return out[0]!.entries.length ? out : out.slice(1);
}

const LOGGED = new Set(['decision', 'note', 'bug', 'blocker']);

/** The result each logged entry belongs to (undefined: its attempt reported nothing). One pass per attempt. */
function resultsOf(attempt: Attempt): Map<MemoryEntry, MemoryEntry | undefined> {
  const out = new Map<MemoryEntry, MemoryEntry | undefined>();
  const list = attempt.entries;
  // The next result at or after each position, filled from the end.
  const next: (MemoryEntry | undefined)[] = new Array(list.length + 1);
  for (let i = list.length - 1; i >= 0; i--) next[i] = list[i]!.kind === 'result' ? list[i] : next[i + 1];
  let previous: MemoryEntry | undefined;
  let batch: MemoryEntry | undefined; // the result whose `log` call this entry came with
  for (let i = 0; i < list.length; i++) {
    const e = list[i]!;
    if (e.kind === 'result') {
      previous = batch = e;
      continue;
    }
    if (batch && (e.time !== batch.time || !LOGGED.has(e.kind))) batch = undefined;
    if (LOGGED.has(e.kind)) out.set(e, batch ?? next[i + 1] ?? previous);
  }
  return out;
}

/**
 * How far each decision, note, bug and blocker of one task's memory can be
 * trusted. Entries of other kinds are not in the map. Linear in the entries.
 */
export function standings(entries: readonly MemoryEntry[]): Map<MemoryEntry, Standing> {
  const attempts = splitAttempts(entries);
  const position = new Map(entries.map((e, i) => [e, i]));
  const overruled = overruledClaims(entries);
  const succeeded = (r: MemoryEntry | undefined) => r?.ref === 'success' && !overruled.has(r);
  let lastSuccess = -1;
  entries.forEach((e, i) => {
    if (e.kind === 'result' && succeeded(e)) lastSuccess = i;
  });
  const out = new Map<MemoryEntry, Standing>();
  for (const attempt of attempts) {
    const start = position.get(attempt.entries[0]!) ?? 0;
    for (const [e, result] of resultsOf(attempt)) {
      if (succeeded(result)) out.set(e, 'current');
      else if (result) out.set(e, position.get(result)! < lastSuccess ? 'superseded' : 'failed');
      // An attempt that never reported: superseded when a later attempt succeeded; before any attempt, plain memory.
      else out.set(e, attempt.number > 0 && start < lastSuccess ? 'superseded' : 'current');
    }
  }
  return out;
}

/**
 * Success claims a check overruled: a `result success` followed by a failed
 * `check` before the next result of the same attempt (the agent said it worked,
 * `done` ran the checks and they failed). Such a try failed, whatever it claimed.
 */
function overruledClaims(entries: readonly MemoryEntry[]): Set<MemoryEntry> {
  const out = new Set<MemoryEntry>();
  let claim: MemoryEntry | undefined;
  for (const e of entries) {
    if (e.kind === 'attempt') claim = undefined;
    else if (e.kind === 'result') claim = e.ref === 'success' ? e : undefined;
    else if (e.kind === 'check' && e.ref === 'fail' && claim) {
      out.add(claim);
      claim = undefined;
    }
  }
  return out;
}

/** The entries a reader other than the task itself should see: everything but what a later success superseded. */
export function withoutSuperseded(entries: readonly MemoryEntry[]): MemoryEntry[] {
  const s = standings(entries);
  return entries.filter((e) => s.get(e) !== 'superseded');
}
