/**
 * One key style for every JSON baton gives a program (docs/json.md): camelCase.
 * Task files say `depends_on`; the CLI's `--json` and the MCP tools say `dependsOn`.
 */
const SNAKE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/;

/** `depends_on` → `dependsOn`, recursively; values and other keys (task ids, statuses) are kept. */
export function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (!value || typeof value !== 'object' || value.constructor !== Object) return value;
  const result: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    result[SNAKE.test(key) ? key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()) : key] = camelKeys(v);
  }
  return result;
}
