/**
 * Typed errors. Domain code throws these; only the CLI entry turns them into
 * an exit code. Each names where the problem is and how to fix it.
 */
export interface Location {
  file?: string;
  line?: number;
}

export interface ErrorDetails extends Location {
  hint?: string;
  cause?: unknown;
  /** Process exit code the CLI should use (default 1). */
  exitCode?: number;
}

/** The exit code of a command line that is wrong (an unknown value, a missing argument): cli/exit-codes.ts's `usage`. */
export const USAGE_EXIT = 2;

export class BatonError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly hint?: string;
  readonly exitCode: number;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'BatonError';
    this.file = details.file;
    this.line = details.line;
    this.hint = details.hint;
    this.exitCode = details.exitCode ?? 1;
  }

  /** `file:line: message` then the hint on its own line. */
  format(): string {
    const where = formatLocation(this);
    const head = where ? `${where}: ${this.message}` : this.message;
    return this.hint ? `${head}\n  ${this.hint}` : head;
  }
}

/** A problem found while validating, reported like a linter would. */
export interface Problem extends Location {
  message: string;
  hint?: string;
  /** Fatal problems make `doctor` exit 1; warnings do not. */
  severity: 'error' | 'warning';
}

export function formatLocation(loc: Location): string {
  if (!loc.file) return '';
  return loc.line ? `${loc.file}:${loc.line}` : loc.file;
}

export function formatProblem(p: Problem): string {
  const where = formatLocation(p);
  const head = `${where ? where + ': ' : ''}${p.severity}: ${p.message}`;
  return p.hint ? `${head}\n  ${p.hint}` : head;
}

export function problemToError(p: Problem): BatonError {
  return new BatonError(p.message, { file: p.file, line: p.line, hint: p.hint });
}
