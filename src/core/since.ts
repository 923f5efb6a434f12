/** `--since`: a date, an ISO time, a time ago (`30m`, `12h`, `2d`, `1w`), `today` or `yesterday`. */
import { BatonError, USAGE_EXIT } from './errors.js';

const DAYS_BACK: Record<string, number> = { today: 0, yesterday: 1 };

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Pure: the ISO time (to the second, as memory writes it) that `text` means, counted back from `now`. */
export function parseSince(text: string, now: Date = new Date()): string {
  const ago = /^(\d+)\s*(m|h|d|w)$/i.exec(text.trim());
  const day = DAYS_BACK[text.trim().toLowerCase()];
  let t: number;
  // `today` and `yesterday`: from the start of that day, in UTC like every time in memory.
  if (day !== undefined) t = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - day);
  else if (ago) t = now.getTime() - Number(ago[1]) * UNIT_MS[ago[2]!.toLowerCase() as keyof typeof UNIT_MS];
  else t = Date.parse(/^\d{4}-\d\d-\d\d$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(t)) {
    throw new BatonError(`\`--since ${text}\` is not a date`, {
      hint: 'Give a time ago (30m, 12h, 2d, 1w), `today`, `yesterday`, a date (2026-11-22) or an ISO time (2026-11-22T10:00:00Z).',
      exitCode: USAGE_EXIT,
    });
  }
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const SINCE_DESCRIBE = 'Only entries at or after this time: 30m, 12h, 2d, 1w ago, today, yesterday (UTC), a date or an ISO time';
