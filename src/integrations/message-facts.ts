/**
 * Pure pieces that alert messages of every kind share: the check's display name, its tags, the
 * period in words, the flip reason in words, instants as text. Mirrors Healthchecks'
 * name_then_code, tags_list, hc.lib.date.format_duration and Flip.reason_long.
 */
import type { Check, Flip } from '../db/index.js'

/** The name, or the UUID when the check has none. */
export function nameThenCode(check: Pick<Check, 'name' | 'code'>): string {
  return check.name || check.code
}

/** Tags split on spaces, empty ones dropped. */
export function tagsList(tags: string): string[] {
  return tags
    .split(' ')
    .map((t) => t.trim())
    .filter((t) => t !== '')
}

const UNITS = [
  { name: 'week', seconds: 604800 },
  { name: 'day', seconds: 86400 },
  { name: 'hour', seconds: 3600 },
  { name: 'minute', seconds: 60 },
] as const

/** "1 day", "2 hours 30 minutes"; weeks only when the duration is whole weeks (as Healthchecks). */
export function formatDuration(totalSeconds: number): string {
  let remaining = Math.floor(totalSeconds)
  const parts: string[] = []
  for (const unit of UNITS) {
    if (unit.name === 'week' && remaining % unit.seconds !== 0) continue
    const v = Math.floor(remaining / unit.seconds)
    remaining -= v * unit.seconds
    if (v === 1) parts.push(`1 ${unit.name}`)
    else if (v > 1) parts.push(`${v} ${unit.name}s`)
  }
  return parts.join(' ')
}

/** Why the status changed, in words (Healthchecks' reason_long); '' when no reason is recorded. */
export function reasonLong(flip: Pick<Flip, 'reason'> | null): string {
  if (flip?.reason === 'timeout') return 'success signal did not arrive on time, grace time passed'
  if (flip?.reason === 'fail') return 'received a failure signal'
  return ''
}

/** `2026-01-15 12:00:00 UTC`. */
export function formatInstant(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`
}
