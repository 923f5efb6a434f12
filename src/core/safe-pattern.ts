/**
 * A search pattern that runs in time linear in the text: JavaScript's regular
 * expressions backtrack, and `(a+)+b` against a long run of `a` takes minutes
 * (one MCP call hung the server). Patterns whose shape backtracks without bound
 * are refused, with the reason: a quantified group that holds a quantifier or
 * an alternation, and back-references. Pure.
 */
export const PATTERN_MAX = 500;

/** Why `source` is refused, or undefined when it is safe to run. */
export function unsafePattern(source: string): string | undefined {
  if (source.length > PATTERN_MAX) return `it is ${source.length} characters long (at most ${PATTERN_MAX})`;
  // Per open group: whether it holds a quantifier or an alternation.
  const stack: { risky: boolean }[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      if (/[1-9k]/.test(source[i + 1] ?? '')) return 'it has a back-reference';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') stack.push({ risky: false });
    else if (c === '|' && stack.length) stack[stack.length - 1]!.risky = true;
    else if (c === ')') {
      const group = stack.pop();
      const next = source[i + 1];
      const unbounded = next === '*' || next === '+' || (next === '{' && /^\{\d*,\}/.test(source.slice(i + 1)));
      if (group?.risky && unbounded) return 'a repeated group holds a repetition or an alternation, e.g. `(a+)+`';
      if (group?.risky && stack.length) stack[stack.length - 1]!.risky = true;
    } else if ((c === '*' || c === '+' || c === '{') && stack.length) stack[stack.length - 1]!.risky = true;
  }
  return undefined;
}
