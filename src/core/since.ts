/** `--since`: a date, an ISO time, or a time ago (`30m`, `12h`, `2d`, `1w`). */
import { BatonError } from './errors.js';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Pure: the ISO time (to the second, as memory writes it) that `text` means, counted back from `now`. */
export function parseSince(text: string, now: Date = new Date()): string {
  const ago = /^(\d+)\s*(m|h|d|w)$/i.exec(text.trim());
  let t: number;
  if (ago) t = now.getTime() - Number(ago[1]) * UNIT_MS[ago[2]!.toLowerCase() as keyof typeof UNIT_MS];
  else t = Date.parse(/^\d{4}-\d\d-\d\d$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(t)) {
    throw new BatonError(`\`--since ${text}\` is not a date`, {
      hint: 'Give a time ago (30m, 12h, 2d, 1w), a date (2026-11-22) or an ISO time (2026-11-22T10:00:00Z).',
    });
  }
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const SINCE_DESCRIBE = 'Only entries at or after this time: 30m, 12h, 2d, 1w ago, a date or an ISO time';
