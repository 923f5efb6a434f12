/**
 * Line ends. baton's files are LF, but a file saved by a Windows editor, or
 * checked out by a clone with `core.autocrlf=true`, has CRLF: it is read as
 * its LF twin and written back in the line ends it already uses. Pure.
 */

/** CRLF line ends read as LF; line numbers stay. */
export function lfText(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n/g, '\n') : text;
}

/** LF `text` written with the line ends `like` (the file as it was) uses: its first line break decides. */
export function withEolOf(text: string, like: string): string {
  const nl = like.indexOf('\n');
  return nl > 0 && like[nl - 1] === '\r' ? text.replace(/\r?\n/g, '\r\n') : text;
}
