/** When and how long to wait before calling again. Pure apart from the sleep. */
import { BatonError } from '../core/errors.js';

/** Longest Retry-After baton waits for; a longer one is reported instead of waited out. */
export const MAX_RETRY_AFTER_MS = 120_000;

/** Milliseconds a `Retry-After` / `retry-after-ms` header asks for, if any. */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter: base, 2×base, 4×base … capped at 30 s. */
export function backoffMs(attempt: number, baseMs: number, random = Math.random): number {
  const exp = Math.min(baseMs * 2 ** attempt, 30_000);
  return Math.round(exp / 2 + (random() * exp) / 2);
}

export function isRetryableStatus(status: number | undefined): boolean {
  return status === 408 || status === 409 || status === 429 || (status !== undefined && status >= 500);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(interrupted());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(interrupted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Ctrl-C: exit 130 like a shell, and say that nothing was written. */
export function interrupted(): BatonError {
  return new BatonError('interrupted; nothing was written', { exitCode: 130 });
}
