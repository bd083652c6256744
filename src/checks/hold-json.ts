/**
 * Vigil's v3-only check JSON fields for snooze and maintenance windows (issue 14): `snoozed_until`
 * (ISO time or null), `snooze_reason` and `maintenance` (the check's own windows). Healthchecks
 * clients ignore them.
 */
import type { Check } from '../db/index.js'
import { windowsOf } from './maintenance.js'
import { snoozeEnd } from './snooze.js'

/** ISO 8601 in UTC without fractional seconds, as json.ts's isoSeconds. */
const iso = (ms: number) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00')

export function holdJson(
  check: Pick<Check, 'snoozed_until' | 'snooze_reason' | 'maintenance'>,
  now: number,
): Record<string, unknown> {
  const end = snoozeEnd(check, now)
  return {
    snoozed_until: end === null ? null : iso(end),
    snooze_reason: end === null ? '' : check.snooze_reason,
    maintenance: windowsOf(check.maintenance),
  }
}
