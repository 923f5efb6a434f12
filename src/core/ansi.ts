/**
 * Text that came from a check or an agent, as plain text: terminal escape
 * sequences removed, not shown. Unlike `forTerminal` (which makes controls in
 * a person's files visible), output written for a terminal carries colours,
 * cursor moves and progress bars that mean nothing in memory, a prompt or a
 * web page, and an agent reading `\x1b[31m` learns nothing. Pure.
 */

/**
 * Every escape sequence ECMA-48 defines, 7-bit and 8-bit: CSI (`ESC [` … final byte),
 * OSC/DCS/SOS/PM/APC strings (up to BEL or ST, or the end of the text when unterminated),
 * the two- and three-byte ESC sequences (`ESC ( B`, `ESC 7`), then any ESC left over.
 */
const SEQUENCE_RE = new RegExp(
  [
    '(?:\\u001b\\[|\\u009b)[\\u0030-\\u003f]*[\\u0020-\\u002f]*[\\u0040-\\u007e]?',
    '(?:\\u001b[\\]PX^_]|[\\u0090\\u0098\\u009d-\\u009f])[^\\u0007\\u001b\\u009c]*(?:\\u0007|\\u001b\\\\|\\u009c)?',
    '\\u001b[\\u0020-\\u002f]*[\\u0030-\\u007e]?',
  ].join('|'),
  'g',
);

/** Controls left after the sequences: C0 but tab, newline and CR (handled per line), DEL, C1. */
const CONTROL_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** One line as a terminal would leave it: what follows the last carriage return overprints what came before. */
function overprinted(line: string): string {
  const text = line.endsWith('\r') ? line.replace(/\r+$/, '') : line;
  const cr = text.lastIndexOf('\r');
  return cr < 0 ? text : text.slice(cr + 1);
}

/** `text` without escape sequences, carriage-return overprints or other control characters; tabs and newlines kept. */
export function stripAnsi(text: string): string {
  if (!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text)) return text;
  const plain = text.replace(SEQUENCE_RE, '');
  const lines = plain.includes('\r') ? plain.split('\n').map(overprinted).join('\n') : plain;
  return lines.replace(CONTROL_RE, '');
}
