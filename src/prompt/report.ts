/**
 * The report an agent writes at the end of a task, and a tolerant reader of
 * it. Models garble formats: they wrap the report in prose or a code fence,
 * change heading levels, write `**Outcome:** success`, skip sections, or say
 * "Succeeded" instead of "success". The reader accepts all of that and only
 * insists on an outcome. Pure: text in, data out.
 */
import { OUTCOMES, type Outcome } from '../memory/entry.js';

export interface Report {
  outcome?: Outcome;
  summary: string;
  bugs: string[];
  decisions: string[];
  blockers: string[];
  notes: string[];
  /** Questions only a person can answer: the task waits for the answers (`baton answer`). */
  questions: string[];
}

type Field = 'outcome' | 'summary' | 'bugs' | 'decisions' | 'blockers' | 'notes' | 'questions';

/** The format's example question: echoed back verbatim, it asks nothing (and must not block the task). */
const QUESTION_EXAMPLE = 'A question only a person can answer, if you cannot go on without it (the task waits for the answer).';

/** What the prompt asks for; `parseReport` reads it back. */
export const REPORT_FORMAT = `## Outcome
success | partial | failure

## Summary
What you did and what works now, in a few sentences.

## Decisions
- A design decision a later task must know, and why.

## Bugs
- A bug you found (fixed or not), and where.

## Blockers
- What stops the task from being finished, if anything.

## Notes
- Anything else the next person should know.

## Questions
- ${QUESTION_EXAMPLE}`;

const LABELS: [RegExp, Field][] = [
  [/^(outcome|result|status|final status|task status)$/, 'outcome'],
  [/^(summary|what i did|what was done|work done|changes|result summary)$/, 'summary'],
  [/^(decisions?|design decisions?|key decisions?|architecture decisions?)$/, 'decisions'],
  [/^(bugs?|bugs found|issues found|known bugs|known issues|issues)$/, 'bugs'],
  [/^(blockers?|blocked by|blocking issues?)$/, 'blockers'],
  [/^(notes?|other notes|follow[- ]?ups?|additional notes|remarks)$/, 'notes'],
  [/^(questions?|open questions?|questions for (the )?(user|person|human|maintainers?))$/, 'questions'],
];

function fieldOf(label: string): Field | undefined {
  const clean = label
    .replace(/[*_`]/g, '')
    .replace(/^\s*(\d+[.)]\s*)?/, '')
    .replace(/[:.\s]+$/, '')
    .trim()
    .toLowerCase();
  return LABELS.find(([re]) => re.test(clean))?.[1];
}

const NONE_RE = /^(none|n\/a|na|nothing|no|-|—|none so far|not applicable|no blockers|no bugs|no decisions|no notes|no questions)\.?$/i;

/** `Succeeded`, `**PARTIAL**`, `failure (tests fail)` → an outcome. */
export function outcomeOf(text: string): Outcome | undefined {
  const word = text.replace(/[*_`#>[\]]/g, ' ').trim().toLowerCase();
  if (!word) return undefined;
  // `success | partial | failure` copied verbatim from the format is no answer.
  if (/[|/]/.test(word) && OUTCOMES.filter((o) => word.includes(o)).length > 1) return undefined;
  if (/^(partial|partially|partly|incomplete|in progress)\b/.test(word) || /^partial(ly)? success/.test(word)) return 'partial';
  if (/^(success|succeeded|successful|successfully|done|complete|completed|pass|passed|ok)\b/.test(word)) return 'success';
  if (/^(failure|failed|fail|failing|blocked|unsuccessful|not done)\b/.test(word)) return 'failure';
  const found = OUTCOMES.filter((o) => new RegExp(`\\b${o}\\b`).test(word));
  return found.length === 1 ? found[0] : undefined;
}

const HEADING_RE = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
const BOLD_RE = /^ {0,3}(?:[-*+]\s+)?(?:\*\*|__)([^*_]+?)(?:\*\*|__)\s*:?\s*(.*)$/;
const PLAIN_RE = /^ {0,3}([A-Za-z][A-Za-z ]{1,30}?)\s*:\s*(.*)$/;
/** A label alone on its line (`Decisions`), as models write when they drop the markup. */
const BARE_RE = /^ {0,3}([A-Za-z][A-Za-z ]{1,30}?)\s*$/;
const FENCE_RE = /^ {0,3}(`{3,}|~{3,})/;
const BULLET_RE = /^(\s*)(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.*)$/;

interface Block {
  field: Field;
  inline: string;
  lines: string[];
}

/** Which line starts a report section, and with what inline text. */
function sectionStart(line: string): { field: Field; inline: string } | undefined {
  for (const re of [HEADING_RE, BOLD_RE, PLAIN_RE]) {
    const m = re.exec(line);
    if (!m) continue;
    const label = m[1]!;
    // `**Outcome: success**` puts the value inside the bold.
    const colon = label.indexOf(':');
    const head = colon === -1 ? label : label.slice(0, colon);
    const field = fieldOf(head);
    if (field) return { field, inline: `${colon === -1 ? '' : label.slice(colon + 1)} ${m[2] ?? ''}`.trim() };
  }
  const bare = BARE_RE.exec(line);
  const field = bare ? fieldOf(bare[1]!) : undefined;
  return field ? { field, inline: '' } : undefined;
}

/** The fenced block that holds the report, when the model put it in one. */
function fencedReport(lines: string[]): string[] | undefined {
  let best: string[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_RE.exec(lines[i]!);
    if (!open) continue;
    const marker = open[1]!;
    let j = i + 1;
    while (j < lines.length && !(lines[j]!.trim().startsWith(marker) && lines[j]!.trim().replace(/[`~]/g, '') === '')) j++;
    const inner = lines.slice(i + 1, j);
    if (inner.some((l) => sectionStart(l)?.field === 'outcome')) best = inner;
    i = j;
  }
  return best;
}

function splitBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  let fence: string | undefined;
  for (const line of lines) {
    const f = FENCE_RE.exec(line);
    if (f) fence = fence ? undefined : f[1];
    const start = fence || f ? undefined : sectionStart(line);
    if (start) {
      current = { field: start.field, inline: start.inline, lines: [] };
      blocks.push(current);
      continue;
    }
    // Any other heading ends the section: what follows is not the report.
    if (!fence && HEADING_RE.test(line)) {
      current = undefined;
      continue;
    }
    current?.lines.push(line);
  }
  return blocks;
}

function listItems(block: Block): string[] {
  const items: string[] = [];
  let sawItem = false;
  let gap = false;
  const prose: string[] = [];
  for (const line of block.lines) {
    const bullet = BULLET_RE.exec(line);
    if (bullet && bullet[1]!.length < 2) {
      items.push(bullet[2]!.trim());
      sawItem = true;
      gap = false;
    } else if (!line.trim()) {
      gap = true;
      if (!sawItem && prose.length) break;
    } else if (sawItem && (/^\s{2,}/.test(line) || !gap)) {
      items[items.length - 1] = `${items[items.length - 1]} ${line.trim()}`.trim();
    } else if (sawItem) {
      break; // prose after the list is the model talking, not the report
    } else prose.push(line.trim());
  }
  const all = [...(block.inline ? [block.inline] : []), ...(sawItem ? items : prose.length ? [prose.join(' ')] : [])];
  return all.map((i) => i.replace(/^\*\*(.*)\*\*$/, '$1').trim()).filter((i) => i && !NONE_RE.test(i));
}

function paragraph(block: Block): string {
  const lines = [...(block.inline ? [block.inline] : []), ...block.lines];
  return lines.join('\n').replace(/^\s+|\s+$/g, '');
}

export function parseReport(text: string): Report {
  const all = text.replace(/\r\n?/g, '\n').split('\n');
  const lines = fencedReport(all) ?? all;
  const report: Report = { summary: '', bugs: [], decisions: [], blockers: [], notes: [], questions: [] };
  for (const block of splitBlocks(lines)) {
    if (block.field === 'outcome') {
      const candidate = outcomeOf(block.inline || block.lines.find((l) => l.trim()) || '');
      if (candidate) report.outcome = candidate;
    } else if (block.field === 'summary') {
      const s = paragraph(block);
      if (s && !NONE_RE.test(s)) report.summary = s;
    } else {
      // A repeated section (the model echoed the format, then filled it in): the later one wins.
      const items = listItems(block).filter((i) => block.field !== 'questions' || i !== QUESTION_EXAMPLE);
      if (items.length || !report[block.field].length) report[block.field] = items;
    }
  }
  return report;
}
