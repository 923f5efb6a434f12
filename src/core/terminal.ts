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

/** Text safe to print on a terminal: newlines and tabs kept, CRLF read as a newline, every other control made visible. */
export function forTerminal(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE_RE, visible);
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
