/**
 * What a check's output says about a failure, in a bounded size. Test runners
 * print the failure anywhere: before pages of passing suites (uvu, jest), after
 * the totals (mocha), twice (node:test), with thousands of identical stack
 * frames (a stack overflow). The last lines alone are usually the passing
 * suites and the totals. So the output is read line by line, once, in bounded
 * memory, and what is kept is chosen by the kind of line, not by the runner:
 *
 * - failure lines (`FAIL`, `Error`, `✘`/`✖`, `not ok`, `Expected`/`Received`…)
 *   with the line before them that names the test, and the lines that follow
 *   (the message, the assertion diff, the code frame, the stack) up to a blank
 *   line after the stack, a passing test, or `BLOCK_AFTER` lines;
 * - stack frames: the first few in the project, none from `node_modules` or
 *   Node's internals (they are counted instead);
 * - identical lines in a row folded into one (`×8373`), and lines a live
 *   display redrew (cursor up) taken back, so only its last frame counts;
 * - then the summary (the last lines), within `MAX_CHARS`.
 *
 * Paths under the checkout are shown relative to it. Pure (no I/O).
 */
import { stripAnsi } from './ansi.js';

/** The most an excerpt holds: enough for a few failures with their diffs and frames, small next to a prompt. */
export const MAX_CHARS = 4000;
/** A line longer than this (a minified bundle, a data dump) is cut. */
const MAX_LINE = 240;
/** Lines kept after a failure line when no blank line ends its block first. */
const BLOCK_AFTER = 14;
/** Project stack frames kept per block. */
const FRAMES_PER_BLOCK = 3;
/** Lines of failure blocks kept while reading (several times what fits, so the best blocks can be chosen). */
const KEEP_LINES = 400;
/** The summary: the last lines of the output. */
const SUMMARY_LINES = 8;
/** When no line says what failed: the first and last lines. */
const HEAD_LINES = 5;
const TAIL_LINES = 20;

/**
 * A line that says something failed. General line classes, no runner's
 * wording: failure words, error and exception names, the cross marks runners
 * print, TAP's `not ok`, and the two sides of an assertion.
 */
const FAILURE_RE = new RegExp(
  [
    '\\b(?:fail(?:ed|ure|ures|ing|s)?)\\b',
    '\\w*(?:Error|Exception)\\b',
    '\\b(?:error|errors|panic|panicked|traceback|uncaught|unhandled|assert(?:ion)?|exceeded)\\b',
    '[✘✖✗✕×]',
    '^\\s*not ok\\b',
    '^\\s*(?:[-+]+\\s*)?(?:expected|received|actual)\\b',
  ].join('|'),
  'i',
);
/** `at fn (file:1:2)` (V8, most runtimes) and `❯ fn file:1:2` (vitest). */
const FRAME_RE = /^\s*(?:at\s+\S|❯\s+\S.*:\d+)/;
/** A test that passed: it ends a failure's block. */
const PASS_RE = /[✓✔√]|^\s*(?:ok|PASS)\b/;
/** Cursor up (`CSI n A`, `CSI n F`): a live display about to redraw the lines above. */
const CURSOR_UP_RE = /(?:\u001b\[|\u009b)(\d*)[AF]/g;
/** Lines held back before they are read, so a redraw can take them back. */
const REDRAW_LINES = 60;

/** Frames outside the project: dependencies and the runtime's own. */
const FOREIGN_FRAME_RE = /node_modules|node:|internal\/|\(<anonymous>\)|<anonymous>$|\bprocessTicksAndRejections\b/;

interface Line {
  text: string;
  /** Identical lines in a row folded into this one. */
  times: number;
  /** The line's number in the output (0-based), to show where lines were left out; a note's is between two lines. */
  at: number;
}

/** Reads output line by line; `excerpt()` says what failed. Memory is bounded whatever the output's size. */
export class CheckDigest {
  private readonly cwd: string | undefined;
  /** Cleaned lines not read yet: a live display's redraw (cursor up) takes them back. */
  private readonly pending: string[] = [];
  private last: Line | undefined;
  private count = 0;
  /** The lines before the current one, for the line that names a failure. */
  private readonly before: Line[] = [];
  private readonly kept: Line[] = [];
  private readonly keptAt = new Set<number>();
  /** Lines of the current block still to keep (0: not in a block). */
  private after = 0;
  private frames = 0;
  private foreign = 0;
  /** Where the last frame left out was: the note that counts them stands there. */
  private foreignAt = -1;
  private readonly recent: Line[] = [];
  private readonly head: Line[] = [];
  private done = false;

  /** `cwd`: the checkout the check ran in; paths under it are shown relative to it. */
  constructor(cwd?: string) {
    this.cwd = cwd?.replace(/\/+$/, '');
  }

  /** One line of output (without its newline), as the process wrote it. */
  line(raw: string): void {
    let up = 0;
    if (raw.includes('\u001b[') || raw.includes('\u009b')) for (const m of raw.matchAll(CURSOR_UP_RE)) up += Number(m[1] || 1);
    if (up) this.pending.splice(Math.max(0, this.pending.length - up));
    let text = stripAnsi(raw).replace(/\s+$/, '');
    if (this.cwd) text = relativePaths(text, this.cwd);
    if (text.length > MAX_LINE) text = `${text.slice(0, MAX_LINE)} …`;
    this.pending.push(text);
    if (this.pending.length > REDRAW_LINES) this.fold(this.pending.shift()!);
  }

  /** All of `text`'s lines. */
  text(text: string): this {
    for (const l of text.split('\n')) this.line(l);
    return this;
  }

  /** Identical lines in a row become one. */
  private fold(text: string): void {
    if (this.last && this.last.text === text) {
      this.last.times++;
      return;
    }
    if (this.last) this.take(this.last);
    this.last = { text, times: 1, at: this.count++ };
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    for (const t of this.pending.splice(0)) this.fold(t);
    if (this.last) this.take(this.last);
    this.flushForeign();
  }

  private take(l: Line): void {
    if (this.head.length < HEAD_LINES) this.head.push(l);
    this.recent.push(l);
    if (this.recent.length > TAIL_LINES * 2) this.recent.splice(0, this.recent.length - TAIL_LINES);
    this.read(l);
    this.before.push(l);
    if (this.before.length > 2) this.before.shift();
  }

  /** Which class of line `l` is, and whether the excerpt keeps it. */
  private read(l: Line): void {
    const frame = FRAME_RE.test(l.text);
    if (!frame && FAILURE_RE.test(l.text)) {
      if (this.after === 0) {
        // A new block: the line before names what failed (the test), when there is one.
        this.frames = 0;
        this.flushForeign();
        const named = this.before.filter((b) => b.text.trim()).at(-1);
        if (named && !FRAME_RE.test(named.text) && !PASS_RE.test(named.text)) this.keep(named);
      }
      this.keep(l);
      this.after = BLOCK_AFTER;
      return;
    }
    if (this.after === 0) return;
    if (frame) {
      if (FOREIGN_FRAME_RE.test(l.text) || this.frames >= FRAMES_PER_BLOCK) {
        this.foreign += l.times;
        this.foreignAt = l.at;
      }
      else {
        this.flushForeign();
        this.frames++;
        this.keep(l);
      }
      return;
    }
    this.flushForeign();
    if (PASS_RE.test(l.text)) this.after = 0;
    else if (!l.text.trim()) {
      // A blank line after the stack ends the block; before it, the diff or the stack may follow.
      if (this.frames) this.after = 0;
      else this.keep(l);
    } else {
      this.keep(l);
      this.after--;
    }
  }

  private flushForeign(): void {
    if (!this.foreign) return;
    const at = this.foreignAt + 0.5;
    this.keep({ text: `    … ${this.foreign} more frame${this.foreign === 1 ? '' : 's'} (dependencies, the runtime, or deeper)`, times: 1, at });
    this.foreign = 0;
  }

  private keep(l: Line): void {
    if (this.kept.length >= KEEP_LINES || this.keptAt.has(l.at)) return;
    this.keptAt.add(l.at);
    this.kept.push(l);
  }

  /** The last `n` lines, blank ones at either end left out. */
  lastLines(n = SUMMARY_LINES): string {
    this.finish();
    return render(trimBlank(this.recent).slice(-n));
  }

  /**
   * What the output says: for a failure, its blocks and then the summary;
   * when no line says what failed, the first and last lines. Within `max` characters.
   */
  excerpt(max = MAX_CHARS): string {
    this.finish();
    if (!this.count) return '';
    if (!this.kept.length) {
      const tail = trimBlank(this.recent).slice(-TAIL_LINES);
      const head = this.head.filter((l) => l.at < (tail[0]?.at ?? Infinity));
      return fit(head, tail, max);
    }
    // The totals, not the last passing tests.
    const summary = trimBlank(this.recent.filter((l) => !PASS_RE.test(l.text))).slice(-SUMMARY_LINES);
    const inSummary = new Set(summary.map((l) => l.at));
    return fit(trimBlank(this.kept).filter((l) => !inSummary.has(l.at)), summary, max);
  }
}

/** A whole output at once (a stored entry's, an agent's): the same rules. */
export function checkExcerpt(text: string, options: { cwd?: string; max?: number } = {}): string {
  return new CheckDigest(options.cwd).text(text).excerpt(options.max);
}

/** The last lines of an output, cleaned and folded: what a passing check shows. */
export function outputTail(text: string, lines = SUMMARY_LINES, cwd?: string): string {
  return new CheckDigest(cwd).text(text).lastLines(lines);
}

function trimBlank(lines: readonly Line[]): Line[] {
  let start = 0;
  let end = lines.length;
  while (start < end && !lines[start]!.text.trim()) start++;
  while (end > start && !lines[end - 1]!.text.trim()) end--;
  return lines.slice(start, end);
}

function show(l: Line): string {
  return l.times > 1 && l.text.trim() ? `${l.text}  (×${l.times})` : l.text;
}

const isNote = (l: Line) => !Number.isInteger(l.at);

/** Lines in order, `…` where lines were left out between them (a note says itself what it stands for). */
function render(lines: readonly Line[]): string {
  const out: string[] = [];
  let prev: number | undefined;
  for (const l of [...lines].sort((a, b) => a.at - b.at)) {
    if (!isNote(l) && prev !== undefined && l.at > prev + 1 && out.at(-1) !== '…') out.push('…');
    const blank = !l.text.trim();
    if (!blank || (out.length && out.at(-1)!.trim() && out.at(-1) !== '…')) out.push(show(l));
    prev = Math.floor(l.at);
  }
  return out.join('\n');
}

/**
 * `body` then `summary`, in output order, within `max` characters: the summary
 * is kept, and the body from its first line on, as far as fits; what was left
 * out is said.
 */
function fit(body: readonly Line[], summary: readonly Line[], max: number): string {
  const whole = render([...body, ...summary]);
  if (whole.length <= max) return whole;
  const room = max - render(summary).length - 60;
  const taken: Line[] = [];
  let size = 0;
  for (const l of body) {
    size += show(l).length + 2;
    if (size > room) break;
    taken.push(l);
  }
  const left = body.length - taken.length;
  const at = (taken.at(-1)?.at ?? -1) + 0.75;
  const note: Line = { text: `… (${left} more line${left === 1 ? '' : 's'} of failures left out)`, times: 1, at };
  return render([...taken, ...(left ? [note] : []), ...summary]).slice(0, max);
}

/** `/work/repo/src/a.js:3` → `src/a.js:3` (also as a `file://` URL); the checkout itself → `.`. */
function relativePaths(text: string, cwd: string): string {
  if (!text.includes(cwd)) return text;
  return text.replaceAll(`file://${cwd}/`, '').replaceAll(`${cwd}/`, '').replaceAll(cwd, '.');
}
