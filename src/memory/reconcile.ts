/**
 * Pure: make a memory file's commit entries match a set of commits, keeping
 * every other entry, and every kept entry's text, exactly as it was.
 */
import { formatEntry } from './entry.js';
import { redact } from '../core/redact.js';
import { appendable, parseMemory } from './file.js';

export interface ReconcilePlan {
  /** For each commit entry's ref: the full SHA it stands for now, or null to remove it. */
  refs: ReadonlyMap<string, string | null>;
  /** Commits that must have an entry, oldest first; missing ones are appended. */
  expected: readonly string[];
  /** Entry text (without a final newline) by full SHA. */
  entries: ReadonlyMap<string, string>;
  /** Rewrite kept entries from `entries` too (rebuild), not only rewritten ones. */
  regenerate?: boolean;
}

export interface ReconcileResult {
  text: string;
  added: number;
  replaced: number;
  removed: number;
}

/** Entries text from hooks/format-entries.awk → entry text by 12-hex ref, redacted. */
export function parseEntriesText(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of parseMemory(text).entries) {
    if (e.kind !== 'commit' || !e.ref) continue;
    out.set(e.ref, formatEntry({ ...e, body: redact(e.body) }).replace(/\n$/, ''));
  }
  return out;
}

export function reconcileMemory(text: string, header: string, plan: ReconcilePlan): ReconcileResult {
  const lines = text.split('\n');
  const parsed = parseMemory(text);
  const starts = parsed.entries.map((e) => e.line! - 1);
  const first = starts[0] ?? lines.length;
  const pieces: string[] = first > 0 ? [lines.slice(0, first).join('\n')] : [];
  const present = new Set<string>();
  let replaced = 0;
  let removed = 0;
  parsed.entries.forEach((entry, i) => {
    const block = lines.slice(starts[i], starts[i + 1] ?? lines.length);
    if (entry.kind !== 'commit' || !entry.ref) return void pieces.push(block.join('\n'));
    const sha = plan.refs.get(entry.ref);
    if (!sha || present.has(sha)) return void removed++;
    present.add(sha);
    const fresh = plan.entries.get(sha);
    const stale = !sha.startsWith(entry.ref) || plan.regenerate;
    if (!fresh || !stale) return void pieces.push(block.join('\n'));
    // Keep the blank lines that separated the old entry from the next.
    let tail = block.length;
    while (tail > 1 && block[tail - 1]!.trim() === '') tail--;
    const next = [fresh, ...block.slice(tail)].join('\n');
    if (next !== block.join('\n')) replaced++;
    pieces.push(next);
  });
  let out = starts.length ? pieces.join('\n') : text;
  if (removed) out = out.replace(/\s*$/, '\n');
  const missing = plan.expected.filter((sha) => !present.has(sha) && plan.entries.has(sha));
  if (missing.length) {
    if (out.trim() === '') out = header;
    out = appendable(out).replace(/\n*$/, '\n\n') + missing.map((sha) => `${plan.entries.get(sha)!}\n`).join('\n');
  }
  return { text: out, added: missing.length, replaced, removed };
}
