/**
 * Token counting with the tokenizer of the model that will read the prompt.
 * gpt-tokenizer's tables are large, so they are imported only here, only when
 * a prompt is composed, and only the one encoding the model uses. They come
 * from dist/tokenizer/, where `npm run build` bundles the two encodings baton
 * uses (scripts/bundle.mjs): ~4 MB installed instead of 55 MB.
 */
/**
 * Tokens in a text. With `limit`, a text over it may stop being counted there
 * (the answer is then only some number above `limit`): fitting a prompt asks
 * "does it fit?" of renders many times its budget.
 */
export type Counter = (text: string, limit?: number) => number;

/** The part of gpt-tokenizer's encoding module that baton uses. */
interface Encoding {
  countTokens(text: string, options: { disallowedSpecial: Set<string> }): number;
  isWithinTokenLimit(text: string, limit: number, options: { disallowedSpecial: Set<string> }): number | false;
}

/** o200k for the GPT-4o / 4.1 / 5 and o-series families, cl100k for the rest (a close estimate for non-OpenAI models). */
export function encodingFor(model: string): 'o200k_base' | 'cl100k_base' {
  const m = model.toLowerCase().replace(/^.*\//, ''); // `openai/gpt-4o` on OpenRouter
  return /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|o[1-9]|chatgpt-4o|codex)/.test(m) ? 'o200k_base' : 'cl100k_base';
}

export async function tokenCounter(model: string): Promise<{ encoding: string; count: Counter }> {
  const encoding = encodingFor(model);
  // A URL, not a literal path: the bundler leaves it alone, and every build keeps tokenizer/ beside this module's folder.
  const mod = (await import(new URL(`../tokenizer/${encoding}.js`, import.meta.url).href)) as Encoding;
  // Text that happens to contain `<|endoftext|>` is counted as text, not refused.
  const options = { disallowedSpecial: new Set<string>() };
  const exact: Counter = (text, limit) => {
    if (limit === undefined) return mod.countTokens(text, options);
    const within = mod.isWithinTokenLimit(text, limit, options);
    return within === false ? limit + 1 : within;
  };
  const count: Counter = (text, limit) => {
    if (!LONG_RUN.test(text)) return exact(text, limit);
    let total = 0;
    for (const piece of boundedPieces(text)) {
      total += exact(piece, limit === undefined ? undefined : limit - total + 1);
      if (limit !== undefined && total > limit) return limit + 1;
    }
    return total;
  };
  return { encoding, count };
}

/** A run the tokenizer reads as one word; its cost grows with the square of the run (100 KB of one word: seconds). */
const RUN = 256;
const LONG_RUN = new RegExp(`\\S{${RUN + 1}}`);

/**
 * Pure: `text` in pieces whose words are at most RUN characters: every longer
 * run of non-space is cut into RUN-character slices, counted apart. Counting
 * is then linear in the text; a text with no such run is counted whole, exactly.
 */
export function boundedPieces(text: string): string[] {
  const pieces: string[] = [];
  const re = new RegExp(`\\S{${RUN + 1},}`, 'g');
  let from = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > from) pieces.push(text.slice(from, m.index));
    for (let i = 0; i < m[0].length; i += RUN) pieces.push(m[0].slice(i, i + RUN));
    from = m.index + m[0].length;
  }
  if (from < text.length) pieces.push(text.slice(from));
  return pieces;
}
