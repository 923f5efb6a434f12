/**
 * When a rate or usage limit an agent CLI hit ends, read from its own words:
 * the CLIs pass the provider's text through, not its headers. Each provider
 * names the reset its own way: Claude "5-hour limit reached ∙ resets 3pm
 * (Europe/Paris)" or "usage limit reached|1765033200", codex "try again at
 * 3:05 PM" (or, when it resets on another day, "try again at Dec 7th, 2026
 * 12:11 AM"), Gemini a RetryInfo
 * `retryDelay: "37s"` or "Please retry in 37.5s", others "Retry-After: 60",
 * "try again in 20 minutes" or a timestamp. Pure: text and now in, a time out.
 */

const UNIT_MS: Record<string, number> = { s: 1000, sec: 1000, second: 1000, m: 60_000, min: 60_000, minute: 60_000, h: 3_600_000, hr: 3_600_000, hour: 3_600_000 };
/** A reset further away than this is not believed (a misread number). */
const MAX_AHEAD_MS = 8 * 24 * 3_600_000;

export function limitResetAt(message: string, now: Date = new Date()): Date | undefined {
  const at = epoch(message) ?? isoTime(message) ?? delay(message, now) ?? calendarTime(message, now) ?? clockTime(message, now);
  if (!at || Number.isNaN(at.getTime())) return undefined;
  const ahead = at.getTime() - now.getTime();
  return ahead > 0 && ahead <= MAX_AHEAD_MS ? at : undefined;
}

/** `…limit reached|1765033200`: the reset as Unix seconds. */
function epoch(text: string): Date | undefined {
  const m = /limit reached\|(\d{10})\b/i.exec(text);
  return m ? new Date(Number(m[1]) * 1000) : undefined;
}

/** `resets at 2026-12-06T15:00:00Z`, `reset: 2026-12-06 15:00 UTC`. */
function isoTime(text: string): Date | undefined {
  const m = /\b(?:reset|resets|retry|until|after)\b[^0-9\n]{0,20}(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|UTC|[+-]\d{2}:?\d{2})?)/i.exec(text);
  if (!m) return undefined;
  const iso = m[1]!.replace(' ', 'T').replace(/\s*UTC$/i, 'Z');
  return new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
}

/** `retryDelay: "37s"`, `retry in 37.5s`, `Retry-After: 60`, `try again in 20 minutes`, `resets in 2h`. */
function delay(text: string, now: Date): Date | undefined {
  const m = /retryDelay\\?"?\s*[:=]\s*\\?"?(\d+(?:\.\d+)?)s/i.exec(text)
    ?? /\b(?:retry|try again|resets?|wait)(?:[- ]after)?\s*(?:in|after|:)?\s*(\d+(?:\.\d+)?)\s*(s|sec|seconds?|m|min|minutes?|h|hr|hours?)\b/i.exec(text)
    ?? /\bretry-after\s*:?\s*(\d+)\b/i.exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? 's').toLowerCase().replace(/s$/, '') || 's';
  const ms = Number(m[1]) * (UNIT_MS[unit] ?? 1000);
  return Number.isFinite(ms) ? new Date(now.getTime() + Math.ceil(ms)) : undefined;
}

/** A wall-clock time: `3pm`, `3:30 pm`, `15:00`, then an optional zone `(Europe/Paris)` or `UTC`. Groups: hour, minute, am/pm, zone, UTC. */
const CLOCK = String.raw`(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\s*(?:\(([A-Za-z_]+(?:\/[A-Za-z_+-]+)*)\)|\b(UTC|GMT)\b)?`;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Hour and minute of a CLOCK match (from group `i`), and the zone's offset; undefined when not a time. */
function clock(m: RegExpExecArray, i: number, now: Date): { hour: number; minute: number; offset: number } | undefined {
  let hour = Number(m[i]);
  const minute = Number(m[i + 1] ?? 0);
  const half = m[i + 2]?.toLowerCase();
  if (half) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return undefined;
  const offset = zoneOffsetMs(m[i + 3] ?? m[i + 4], now);
  return offset === undefined ? undefined : { hour, minute, offset };
}

/** `resets 3pm`, `resets at 3:30 pm (Europe/Paris)`, `resets at 15:00 UTC`, codex's `try again at 3:05 PM`: the next such time, in that zone (else local). */
function clockTime(text: string, now: Date): Date | undefined {
  const m = new RegExp(String.raw`\b(?:resets?|try again)\s+(?:at\s+)?${CLOCK}`, 'i').exec(text);
  if (!m || (!m[2] && !m[3])) return undefined;
  const c = clock(m, 1, now);
  if (!c) return undefined;
  // Today's wall clock in that zone, then the next occurrence of hour:minute after now.
  const local = new Date(now.getTime() + c.offset);
  let at = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), c.hour, c.minute) - c.offset;
  if (at <= now.getTime()) at += 24 * 3_600_000;
  return new Date(at);
}

/** codex's `try again at Dec 7th, 2026 12:11 AM` (a reset on another day), `resets Dec 7 at 3pm (Europe/Paris)`: that day and time. */
function calendarTime(text: string, now: Date): Date | undefined {
  const m = new RegExp(String.raw`\b(?:resets?|try again)\s+(?:at\s+|on\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(?:(\d{4}),?\s+)?(?:at\s+)?${CLOCK}`, 'i').exec(text);
  if (!m || (!m[5] && !m[6])) return undefined;
  const month = MONTHS.indexOf(m[1]!.toLowerCase());
  const day = Number(m[2]);
  const c = clock(m, 4, now);
  if (month < 0 || day < 1 || day > 31 || !c) return undefined;
  const local = new Date(now.getTime() + c.offset);
  // No year given: this year's date, or next year's when that has passed (a reset on Jan 1st read on Dec 31st).
  let year = m[3] ? Number(m[3]) : local.getUTCFullYear();
  let at = Date.UTC(year, month, day, c.hour, c.minute) - c.offset;
  if (!m[3] && at <= now.getTime()) at = Date.UTC(++year, month, day, c.hour, c.minute) - c.offset;
  return new Date(at);
}

/** How far the zone's wall clock is ahead of UTC at `now`; the process's own zone when none is named. */
function zoneOffsetMs(zone: string | undefined, now: Date): number | undefined {
  if (!zone) return -now.getTimezoneOffset() * 60_000;
  if (/^(UTC|GMT)$/i.test(zone)) return 0;
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(now);
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return wall - Math.floor(now.getTime() / 1000) * 1000;
  } catch {
    return undefined; // not a zone this Node knows: no reset read, a backoff instead
  }
}
