/**
 * Colour for people at a terminal, never for pipes or files. No dependency: a handful of ANSI
 * codes is all baton needs, and loading a colour library would cost every command's cold start.
 * NO_COLOR (non-empty) always wins (https://no-color.org); FORCE_COLOR turns it on in a pipe
 * (`FORCE_COLOR=0` turns it off); otherwise colour follows whether the stream is a terminal.
 */
const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;

export type Style = keyof typeof CODES;
export type Paint = (style: Style, text: string) => string;

export function colourOn(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return !!stream.isTTY && env.TERM !== 'dumb';
}

/** A painter for one stream: the identity when colour is off, so callers never branch. */
export function painter(stream: { isTTY?: boolean } = process.stdout): Paint {
  if (!colourOn(stream)) return (_style, text) => text;
  return (style, text) => (text ? `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m` : text);
}

/** Task statuses, coloured the same way in every list. */
export const STATUS_STYLE: Record<string, Style | undefined> = {
  done: 'green',
  'in-progress': 'yellow',
  review: 'cyan',
  blocked: 'red',
  cancelled: 'dim',
};
