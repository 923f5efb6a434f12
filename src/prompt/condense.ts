/**
 * A long text in a few words: its first sentence, then the names and numbers
 * the rest carries (code, paths, identifiers, constants, quantities). What a
 * small budget keeps of an entry or a paragraph before it gives the whole up:
 * writers put the point first, and the facts a later agent acts on have names.
 * Pure and linear in the text.
 */

const MAX_FIRST = 240;
const MAX_NAMES = 10;
/** Abbreviations whose period does not end a sentence. */
const ABBREVIATIONS = /(?:^|\s)(?:e\.g|i\.e|etc|vs|cf|approx|incl|no|fig|dr|mr|ms|st)\.$/i;

/** Where the first sentence ends (exclusive): at `.`, `!` or `?` before a space, at a blank line, or at a new list item. */
function firstSentenceEnd(text: string): number {
  let tick = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '`') tick = !tick;
    if (tick) continue;
    if (c === '\n' && (text[i + 1] === '\n' || /^\s*([-*+]|\d+[.)])\s/.test(text.slice(i + 1, i + 8)))) return i;
    if ((c === '.' || c === '!' || c === '?') && (i + 1 === text.length || /\s/.test(text[i + 1]!))) {
      // `(FOO).` and `done.)`: the closing punctuation belongs to the sentence.
      let end = i + 1;
      while (end < text.length && /[)"'\]]/.test(text[end]!)) end++;
      if (c === '.' && ABBREVIATIONS.test(text.slice(Math.max(0, i - 8), i + 1))) continue;
      return end;
    }
  }
  return text.length;
}

const NAME_RES: RegExp[] = [
  /`[^`\n]{1,80}`/g, // code
  /(?<![\w/.-])(?:[\w.-]+\/)+[\w.-]+|(?<![\w/.-])[\w-]+\.(?:[a-z]{1,5})(?![\w])/g, // paths and file names
  /\b[a-z]+(?:[A-Z][a-z0-9]*)+\b|\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b/g, // camelCase, PascalCase
  /\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b/g, // snake_case, CONSTANT_CASE
  /\b[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)+\b|\b[A-Z]{2,}[0-9]*\b/g, // CODE-NAMES, acronyms
  /\b\d[\d,.]*\d(?:\s?(?:%|[a-zA-Z]{1,12}\b))?/g, // quantities (a lone digit is rarely the fact)
];

/** The names and numbers of a text, in order of first appearance, once each. */
export function namesIn(text: string): string[] {
  const found: { at: number; name: string }[] = [];
  // Code spans first; the other patterns skip what a code span already covers.
  const covered: [number, number][] = [];
  NAME_RES.forEach((re, n) => {
    for (const m of text.matchAll(re)) {
      const at = m.index!;
      if (n > 0 && covered.some(([a, b]) => at >= a && at < b)) continue;
      if (n === 0) covered.push([at, at + m[0].length]);
      found.push({ at, name: m[0].replace(/[.,]+$/, '') });
    }
  });
  found.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  return found.map((f) => f.name).filter((n) => n && !seen.has(n) && (seen.add(n), true));
}

/**
 * `text` cut to its first sentence (at most ~240 characters) and, when more
 * was cut, the names and numbers of the rest that the first sentence does not
 * already carry: `First sentence. […: \`fn()\`, 4817 rows]`.
 */
export function condense(text: string): string {
  const body = text.trim();
  const end = firstSentenceEnd(body);
  if (end >= body.length && body.length <= MAX_FIRST) return body;
  let first = body.slice(0, end).trim();
  let rest = body.slice(end);
  if (first.length > MAX_FIRST) {
    const cut = first.lastIndexOf(' ', MAX_FIRST);
    rest = first.slice(cut > 0 ? cut : MAX_FIRST) + rest;
    first = first.slice(0, cut > 0 ? cut : MAX_FIRST).trimEnd();
  }
  const names = namesIn(rest).filter((n) => !first.includes(n)).slice(0, MAX_NAMES);
  return names.length ? `${first} […: ${names.join(', ')}]` : `${first} […]`;
}
