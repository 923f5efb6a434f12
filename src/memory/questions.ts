/**
 * Questions an agent asked and the answers a person gave, read from one
 * task's memory. An `answer` entry answers every question before it that had
 * none yet: a person answers a task, not a numbered question. Pure.
 */
import { BatonError } from '../core/errors.js';
import { ENTRY_HEADING_RE, type MemoryEntry } from './entry.js';

export interface QuestionPair {
  question: MemoryEntry;
  answer?: MemoryEntry;
}

/** Every question of a task in order, each with the answer that came after it (if one did). */
export function questionPairs(entries: readonly MemoryEntry[]): QuestionPair[] {
  const pairs: QuestionPair[] = [];
  for (const e of entries) {
    if (e.kind === 'question') pairs.push({ question: e });
    else if (e.kind === 'answer') for (const p of pairs) p.answer ??= e;
  }
  return pairs;
}

/** The questions still waiting for an answer. */
export function openQuestions(entries: readonly MemoryEntry[]): MemoryEntry[] {
  return questionPairs(entries).filter((p) => !p.answer).map((p) => p.question);
}

/** What the views say about a blocked task that waits on a person. */
export const WAITING_FOR_ANSWER = 'waiting for an answer';

/** A question or an answer is at most this many characters: a person reads it, and a prompt carries it whole. */
export const QA_MAX = 4000;

/**
 * A question or an answer as typed by an agent or a person (untrusted): trimmed,
 * line ends made LF, within QA_MAX, and no line that would read as an entry
 * heading of its own (it is indented, so the memory file keeps one entry).
 * Empty is refused, naming `what`.
 */
export function untrustedText(raw: string, what: string): string {
  const text = raw.replace(/\r\n?/g, '\n').trim();
  if (!text) throw new BatonError(`the ${what} is empty`, { hint: `Write the ${what} as text, e.g. \`"Use SQLite for now"\`.` });
  const cut = text.length > QA_MAX ? `${text.slice(0, QA_MAX)} … (cut: ${text.length} characters in all)` : text;
  return cut.split('\n').map((l) => (ENTRY_HEADING_RE.test(l) ? ` ${l}` : l)).join('\n');
}
