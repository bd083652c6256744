/**
 * Snooze rules (issue 14, item 2): what a snooze request says, whether a check is snoozed, and
 * which checks a tag filter picks. A snoozed check keeps taking pings and changing status; only
 * its down alerts wait (alerts/snooze-gate.ts). Pure: `now` comes in; no I/O.
 */
import type { Check } from '../db/index.js'
import type { InvalidField } from './check-input.js'

/** The longest snooze: 30 days, in minutes. */
export const MAX_SNOOZE_MINUTES = 43_200
export const MAX_REASON = 200

export interface SnoozeRequest {
  until: number
  reason: string
}

const invalid = (field: string, problem: string): { ok: false; error: InvalidField } => ({
  ok: false,
  error: { kind: 'invalid-field', field, problem },
})

// An ISO 8601 date-time with a zone (Z or ±hh:mm): a bare local time would be ambiguous.
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/

/** Snooze minutes (a JSON integer) as the snooze end. */
export function parseMinutes(
  n: unknown,
  now: number,
): { ok: true; value: number } | { ok: false; error: InvalidField } {
  if (typeof n !== 'number' || !Number.isInteger(n)) return invalid('minutes', 'is not an integer')
  if (n < 1 || n > MAX_SNOOZE_MINUTES)
    return invalid('minutes', `is out of range (allowed: 1 to ${MAX_SNOOZE_MINUTES})`)
  return { ok: true, value: now + n * 60_000 }
}

/**
 * A snooze request body: exactly one of `minutes` (1..MAX_SNOOZE_MINUTES) and `until` (ISO 8601
 * with a zone, in the future, at most 30 days ahead), and an optional `reason`.
 */
export function parseSnoozeRequest(
  body: Record<string, unknown>,
  now: number,
): { ok: true; value: SnoozeRequest } | { ok: false; error: InvalidField } {
  const hasMinutes = body.minutes !== undefined
  const hasUntil = body.until !== undefined
  if (hasMinutes === hasUntil)
    return invalid('minutes', 'or until is required (exactly one of them)')
  let until: number
  if (hasMinutes) {
    const m = parseMinutes(body.minutes, now)
    if (!m.ok) return m
    until = m.value
  } else {
    const text = body.until
    if (typeof text !== 'string' || !ISO_WITH_ZONE.test(text) || Number.isNaN(Date.parse(text)))
      return invalid('until', 'is not an ISO 8601 date-time with a time zone')
    until = Date.parse(text)
    if (until <= now) return invalid('until', 'is not in the future')
    if (until > now + MAX_SNOOZE_MINUTES * 60_000)
      return invalid('until', 'is more than 30 days ahead')
  }
  const reason = body.reason ?? ''
  if (typeof reason !== 'string') return invalid('reason', 'is not a string')
  if (reason.includes('\u0000')) return invalid('reason', 'contains a NUL character')
  if ([...reason].length > MAX_REASON)
    return invalid('reason', `is too long (at most ${MAX_REASON} characters)`)
  return { ok: true, value: { until, reason } }
}

/** When the check's snooze ends, or null when it is not snoozed at `now`. */
export function snoozeEnd(check: Pick<Check, 'snoozed_until'>, now: number): number | null {
  return check.snoozed_until !== null && check.snoozed_until > now ? check.snoozed_until : null
}

/** The words of a space-separated tags text. */
export function tagWords(tags: string): string[] {
  return tags.split(/\s+/).filter((t) => t !== '')
}

/** Whether a check's tags include every wanted tag (no wanted tags: every check). */
export function hasAllTags(checkTags: string, wanted: readonly string[]): boolean {
  const have = new Set(tagWords(checkTags))
  return wanted.every((t) => have.has(t))
}
