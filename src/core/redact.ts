/**
 * Redact anything that looks like a secret before it leaves a command: memory,
 * prompts and requests to models, pull requests, branch names, the board, error
 * texts. Patterns favour false positives over leaks.
 */
import { SECRET_SHAPES, type SecretShape } from './secret-shapes.js';

export const REDACTED = '[REDACTED]';

/** A shape of hooks/secret-shapes.txt as a JS pattern: group 1 is the kept text before the secret. */
function compile(shape: SecretShape): RegExp {
  const after = shape.after ? `(?=${shape.after})` : '';
  const end = shape.word ? '(?![A-Za-z0-9_])' : '';
  return new RegExp(`(?<![A-Za-z0-9_])(${shape.before ?? ''})(?:${shape.secret})${end}${after}`, 'g');
}

/** Token shapes, from the table the sh hooks read too (hooks/secret-shapes.txt; test/faults-secret-shapes.test.ts). */
const SHAPES: RegExp[] = SECRET_SHAPES.map(compile);

// A key block whole; one cut short (a commit body kept to 5 lines) to the end of its paragraph.
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----|[^\n]*(?:\n(?![ \t\r]*(?:\n|$))[^\n]*)*)/g;

// `API_KEY=...`, `"secret": "..."`, `Authorization: Bearer ...` (Node only: the hooks record subjects and paths, not configs).
const ASSIGNMENT =
  /\b([A-Za-z0-9_]*(?:api[_-]?key|secret|token|password|passwd)[A-Za-z0-9_]*)(["']?\s*[:=]\s*["']?)([^\s"'`,;]{8,})/gi;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/-]{16,}=*/g;

/** Values this process knows are secret whatever their shape (the configured API keys). */
const known = new Set<string>();

/**
 * Redact `value` wherever it appears from now on (a key read from the environment).
 * Only what looks like a key: 12 characters or more, letters and digits, no spaces.
 * The words local servers take as keys (`ollama`, `lm-studio`, `sk-no-key-required`)
 * are no secret, and redacting them would mangle every text that names the server.
 */
export function addSecretValue(value: string | undefined): void {
  if (value && value.length >= 12 && /\d/.test(value) && /[A-Za-z]/.test(value) && !/\s/.test(value)) known.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const value of known) if (out.includes(value)) out = out.split(value).join(REDACTED);
  out = out.replace(PRIVATE_KEY, REDACTED);
  for (const re of SHAPES) out = out.replace(re, (_m, before: string) => `${before}${REDACTED}`);
  out = out.replace(BEARER, `$1${REDACTED}`);
  out = out.replace(ASSIGNMENT, (m, key: string, sep: string, value: string) =>
    // `$VAR`, `${VAR}` and bare variable names (`api_key_env: OPENAI_API_KEY`) name a secret, they are not one.
    value === REDACTED || /^\$?\{?[A-Z][A-Z0-9_]*\}?$/.test(value) ? m : `${key}${sep}${REDACTED}`,
  );
  return out;
}
