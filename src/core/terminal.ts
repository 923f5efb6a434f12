/**
 * Text that came from files (titles, memory, check output) shown on a
 * terminal. A control character in it is data, never a command to the
 * terminal: ESC (colours, cursor moves, OSC 8 links, title changes), CR (a
 * line that overwrites what was printed), other C0 and C1 controls, and the
 * Unicode bidi overrides that reorder what a reader sees. Each is shown as a
 * visible escape (`\x1b`) instead, so nothing is hidden and nothing runs.
 * Pure.
 */

/** C0 controls except tab and newline, DEL, C1, and the bidi embedding/override/isolate marks. */
const UNSAFE_RE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Controls that make a title or an id unsafe anywhere (newline and tab included: a title is one line). */
export const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * The colour codes baton's own painter writes (bold, dim, red, green, yellow, cyan and their
 * resets): they can neither move the cursor, nor hide, overwrite or link text.
 */
const OWN_COLOUR_RE = /\u001b\[(?:1|2|22|31|32|33|36|39)m/g;

/**
 * Text safe to print on a terminal: newlines and tabs kept, CRLF read as a newline, every other
 * control made visible. With `keepColour` (colour is on for that stream) the exact colour codes
 * baton paints with are kept; any other escape sequence is still shown, never run.
 */
export function forTerminal(text: string, options: { keepColour?: boolean } = {}): string {
  const unix = text.replace(/\r\n/g, '\n');
  if (!options.keepColour || !unix.includes('\u001b')) return unix.replace(UNSAFE_RE, visible);
  // Split on baton's colour codes, make each piece safe, and join them back with the codes.
  const codes = unix.match(OWN_COLOUR_RE) ?? [];
  return unix.split(OWN_COLOUR_RE).map((piece, i) => piece.replace(UNSAFE_RE, visible) + (codes[i] ?? '')).join('');
}

/**
 * JSON output that is safe on a terminal too: `JSON.stringify` escapes C0 but
 * leaves DEL, C1 (`\u009b` is a one-byte CSI) and bidi marks raw.
 */
export function jsonForTerminal(json: string): string {
  return json.replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The first control character in `text`, described for an error message (`U+001B`), or undefined. */
export function firstControl(text: string): string | undefined {
  const m = CONTROL_RE.exec(text);
  return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}
