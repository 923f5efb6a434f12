/**
 * When a rate or usage limit an agent CLI hit ends, read from its own words:
 * the CLIs pass the provider's text through, not its headers. Each provider
 * names the reset its own way: Claude "5-hour limit reached ∙ resets 3pm
 * (Europe/Paris)" or "usage limit reached|1765033200", codex "try again at
 * 3:05 PM", Gemini a RetryInfo
 * `retryDelay: "37s"` or "Please retry in 37.5s", others "Retry-After: 60",
 * "try again in 20 minutes" or a timestamp. Pure: text and now in, a time out.
 */

const UNIT_MS: Record<string, number> = { s: 1000, sec: 1000, second: 1000, m: 60_000, min: 60_000, minute: 60_000, h: 3_600_000, hr: 3_600_000, hour: 3_600_000 };
/** A reset further away than this is not believed (a misread number). */
const MAX_AHEAD_MS = 8 * 24 * 3_600_000;

export function limitResetAt(message: string, now: Date = new Date()): Date | undefined {
  const at = epoch(message) ?? isoTime(message) ?? delay(message, now) ?? clockTime(message, now);
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

/** `resets 3pm`, `resets at 3:30 pm (Europe/Paris)`, `resets at 15:00 UTC`, codex's `try again at 3:05 PM`: the next such time, in that zone (else local). */
function clockTime(text: string, now: Date): Date | undefined {
  const m = /\b(?:resets?|try again)\s+(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\s*(?:\(([A-Za-z_]+(?:\/[A-Za-z_+-]+)*)\)|\b(UTC|GMT)\b)?/i.exec(text);
  if (!m || (!m[2] && !m[3])) return undefined;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  const half = m[3]?.toLowerCase();
  if (half) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return undefined;
  const zone = m[4] ?? m[5];
  const offset = zoneOffsetMs(zone, now);
  if (offset === undefined) return undefined;
  // Today's wall clock in that zone, then the next occurrence of hour:minute after now.
  const local = new Date(now.getTime() + offset);
  let at = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hour, minute) - offset;
  if (at <= now.getTime()) at += 24 * 3_600_000;
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
