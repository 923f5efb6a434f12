/**
 * Redact anything that looks like a secret before it is written to memory or
 * sent to a model. Patterns favour false positives over leaks.
 */
/** Token shapes; hooks/format-entries.awk redacts the same ones (test/faults-formats.test.ts). */
export const PATTERNS: RegExp[] = [
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{16,}/g, // OpenAI, Anthropic
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key id
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bAIza[0-9A-Za-z_-]{30,}/g, // Google API key
  /\bhf_[A-Za-z0-9]{20,}/g, // Hugging Face
  /\bglpat-[A-Za-z0-9_-]{20,}/g, // GitLab
  // A key block whole; one cut short (a commit body kept to 5 lines) to the end of its paragraph.
  /-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----|[^\n]*(?:\n(?![ \t\r]*(?:\n|$))[^\n]*)*)/g,
];

// `API_KEY=...`, `"secret": "..."`, `Authorization: Bearer ...`
const ASSIGNMENT =
  /\b([A-Za-z0-9_]*(?:api[_-]?key|secret|token|password|passwd)[A-Za-z0-9_]*)(["']?\s*[:=]\s*["']?)([^\s"'`,;]{8,})/gi;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/-]{16,}=*/g;

export const REDACTED = '[REDACTED]';

export function redact(text: string): string {
  let out = text;
  for (const re of PATTERNS) out = out.replace(re, REDACTED);
  out = out.replace(BEARER, `$1${REDACTED}`);
  out = out.replace(ASSIGNMENT, (m, key: string, sep: string, value: string) =>
    // `$VAR`, `${VAR}` and bare variable names (`api_key_env: OPENAI_API_KEY`) name a secret, they are not one.
    value === REDACTED || /^\$?\{?[A-Z][A-Z0-9_]*\}?$/.test(value) ? m : `${key}${sep}${REDACTED}`,
  );
  return out;
}
