/**
 * Find the JSON in a model's answer: the whole text, a fenced block, or the
 * first balanced `{…}` among prose. Pure; shared by the API path and `--import`.
 */
export type JsonFound = { ok: true; value: unknown } | { ok: false; error: string };

export function extractJson(text: string): JsonFound {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, error: 'the answer is empty' };
  const candidates: string[] = [trimmed];
  for (const m of trimmed.matchAll(/```[a-zA-Z0-9_-]*[ \t]*\r?\n([\s\S]*?)\r?\n[ \t]*```/g)) candidates.push(m[1]!.trim());
  const balanced = firstBalancedObject(trimmed);
  if (balanced) candidates.push(balanced);
  let firstError: string | undefined;
  for (const candidate of candidates) {
    if (!candidate.startsWith('{') && !candidate.startsWith('[')) continue;
    try {
      return { ok: true, value: JSON.parse(candidate) };
    } catch (error) {
      firstError ??= (error as Error).message;
    }
  }
  return {
    ok: false,
    error: firstError ? `the JSON does not parse: ${firstError}` : 'the answer holds no JSON object',
  };
}

/** The first `{` … matching `}`, skipping braces inside strings. */
function firstBalancedObject(text: string): string | undefined {
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        const slice = text.slice(start, i + 1);
        try {
          JSON.parse(slice);
          return slice;
        } catch {
          break; // not JSON (e.g. a code sample); try the next `{`
        }
      }
    }
  }
  return undefined;
}
