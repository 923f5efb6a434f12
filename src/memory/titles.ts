/**
 * A memory file's title (`# Memory: <id>` and baton's one-line intro) found
 * after its first entry. git's line union (`merge=union`) of a memory file that
 * two branches each created, with titles that differ (one written with the
 * task's title, by older baton or a person), keeps both titles and puts the
 * other side's after the last entry, glued to it: it then reads as that
 * entry's body (merge c1a4e00 of baton's own repository). Pure.
 */

import { fenceAfter } from './fence.js';

const TITLE_RE = /^# Memory: (?:T-[0-9a-f]+|project)(?:\s.*)?$/;
/** The intros baton writes under a title (memoryHeader in file.ts, baton_header in hooks/baton.sh). */
const INTRO_RE = /^(?:Append-only log of attempts, commits, results, bugs and decisions for this task\.|Decisions from reviews and commits made off task branches\. Append-only; baton adds entries below\.)$/;
const ENTRY_RE = /^## \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ [a-z]/;

export interface StrayTitle {
  /** 1-based line of the `# Memory:` line. */
  line: number;
  /** 0-based range of lines it takes, with its intro and the blank lines around them: [start, end). */
  start: number;
  end: number;
}

/** Titles below the first entry, outside code fences. */
export function strayTitles(text: string): StrayTitle[] {
  const lines = text.split('\n');
  const out: StrayTitle[] = [];
  let fence: string | undefined;
  let seenEntry = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const f = fenceAfter(line, fence);
    fence = f.open;
    if (f.isFence || fence) continue;
    if (ENTRY_RE.test(line)) seenEntry = true;
    if (!seenEntry || !TITLE_RE.test(line)) continue;
    let end = i + 1;
    while (end < lines.length && lines[end]!.trim() === '') end++;
    if (end < lines.length && INTRO_RE.test(lines[end]!)) {
      end++;
      while (end < lines.length && lines[end]!.trim() === '') end++;
    }
    out.push({ line: i + 1, start: i, end });
    i = end - 1;
  }
  return out;
}

/** `text` without its stray titles; the entries around each stay apart by one blank line. */
export function withoutStrayTitles(text: string): string {
  const found = strayTitles(text);
  if (!found.length) return text;
  const lines = text.split('\n');
  const out: string[] = [];
  let from = 0;
  for (const t of found) {
    out.push(...lines.slice(from, t.start));
    while (out.length && out[out.length - 1]!.trim() === '') out.pop();
    // Something follows: one blank line before it. Nothing: the text ends with one newline.
    out.push(...(t.end < lines.length ? [''] : []));
    from = t.end;
  }
  out.push(...lines.slice(from));
  const joined = out.join('\n');
  return from >= lines.length ? `${joined.replace(/\n*$/, '')}\n` : joined;
}
