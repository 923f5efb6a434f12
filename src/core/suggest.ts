/** "Did you mean …?": the nearest of the known words to a mistyped one. */

/** Edit distance (insert, delete, replace, swap two neighbours), bounded by the words' lengths. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known word nearest to `word`, if it is near enough to be what was meant (a third of its letters at most). */
export function closest(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: { word: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(w, k.toLowerCase());
    if (!best || d < best.d) best = { word: k, d };
  }
  if (!best) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(w.length, best.word.length) / 3));
  return best.d <= limit || best.word.toLowerCase().startsWith(w) ? best.word : undefined;
}

/** ` Did you mean \`x\`?` or nothing. */
export function didYouMean(word: string, known: readonly string[], show: (w: string) => string = (w) => `\`${w}\``): string {
  const near = closest(word, known);
  return near ? ` Did you mean ${show(near)}?` : '';
}
