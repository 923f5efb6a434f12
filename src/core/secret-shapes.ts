// Generated from hooks/secret-shapes.txt by scripts/secret-shapes.mjs (npm run build): edit the table, not this file.
export interface SecretShape {
  name: string;
  /** The secret, a POSIX ERE (also a valid JS pattern). */
  secret: string;
  /** Kept text that must come before it. */
  before?: string;
  /** Kept text that must follow it. */
  after?: string;
  /** The secret must end a word. */
  word?: boolean;
}

export const SECRET_SHAPES: readonly SecretShape[] = [
  { name: "openai", secret: "sk-[A-Za-z0-9_-]{16,}" },
  { name: "anthropic", secret: "sk-ant-[A-Za-z0-9_-]{16,}" },
  { name: "stripe", secret: "[rs]k_(live|test)_[A-Za-z0-9]{16,}" },
  { name: "github", secret: "gh[pousr]_[A-Za-z0-9]{20,}" },
  { name: "github-pat", secret: "github_pat_[A-Za-z0-9_]{20,}" },
  { name: "aws", secret: "AKIA[0-9A-Z]{16}", word: true },
  { name: "slack", secret: "xox[abeoprs]-[A-Za-z0-9-]{10,}" },
  { name: "google", secret: "AIza[A-Za-z0-9_-]{30,}" },
  { name: "hugging-face", secret: "hf_[A-Za-z0-9]{20,}" },
  { name: "gitlab", secret: "glpat-[A-Za-z0-9_-]{20,}" },
  { name: "jwt", secret: "eyJ[A-Za-z0-9_-]{8,}[.]eyJ[A-Za-z0-9_-]{8,}[.][A-Za-z0-9_-]{8,}" },
  { name: "url-password", secret: "[^/@ ]+", before: "[A-Za-z][A-Za-z0-9+.-]*://[^/@ :]*:", after: "@" },
];
