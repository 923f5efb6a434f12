/**
 * Code fences in a memory file, as Markdown reads them: a line inside fenced
 * code is never an entry heading or a title. One rule for the parser
 * (file.ts), the stray-title finder (titles.ts) and the hook (format-entries.awk
 * does the same in awk).
 */
const FENCE_RE = /^ {0,3}(`{3,}|~{3,})/;

/** Whether `line` opens or closes a fence, and the fence open after it, given the one open before it. */
export function fenceAfter(line: string, open: string | undefined): { isFence: boolean; open: string | undefined } {
  const f = FENCE_RE.exec(line);
  if (!f) return { isFence: false, open };
  if (!open) return { isFence: true, open: f[1]![0]!.repeat(f[1]!.length) };
  const t = line.trim();
  return { isFence: true, open: t.startsWith(open) && t.replace(/[`~]/g, '') === '' ? undefined : open };
}
