/**
 * Maintenance windows (issue 14, item 3): a check or a project has windows, each a cron or
 * OnCalendar expression (the kind guessed as the API's `schedule`), a duration in seconds and an
 * IANA zone. A window starts at every time its expression gives, with the same DST rules as
 * schedules (src/schedule/), and lasts `duration` seconds of elapsed time: a 2-hour window that
 * starts at 02:00 on the night the clocks go forward ends at 05:00 local time. Windows that touch
 * or overlap join into one. Pure: `now` comes in; no I/O.
 */
import Type, { type Static } from 'typebox'
import {
  guessKind,
  isValidSchedule,
  isValidTimeZone,
  nextAfter,
  type Schedule,
  wallTimeOf,
} from '../schedule/index.js'
import { canonicalTimeZone } from './legacy-time-zones.js'
import { compileSchema, errorsAt, errorsUnder } from './schema-errors.js'

export const MAX_WINDOWS = 10
export const MIN_WINDOW = 60
export const MAX_WINDOW = 7 * 86_400
const MAX_SCHEDULE = 100

/** One window as the API takes it (the structure; expressions and zones are checked in code). */
export const MaintenanceWindowSchema = Type.Object({
  /** A 5-field cron expression or OnCalendar lines. */
  schedule: Type.String({ maxLength: MAX_SCHEDULE, examples: ['0 2 * * 0', 'Sun *-*-* 02:00'] }),
  /** Seconds of elapsed time. */
  duration: Type.Integer({ minimum: MIN_WINDOW, maximum: MAX_WINDOW }),
  /** IANA zone the expression is evaluated in. */
  tz: Type.Optional(Type.String({ default: 'UTC', examples: ['Europe/Riga'] })),
})

/** The `maintenance` field of a check spec and of the project's maintenance (OpenAPI too). */
export const MaintenanceSchema = Type.Array(MaintenanceWindowSchema, {
  maxItems: MAX_WINDOWS,
  'x-vigil-extension': true,
  description:
    'Vigil extension: maintenance windows. No alert is sent during a window; a check found down ' +
    'in a window is alerted at its end only if it is still down. `duration` is elapsed seconds.',
})

/** A validated window: the zone filled in (UTC by default) and canonical. */
export type MaintenanceWindow = Required<Static<typeof MaintenanceWindowSchema>>

const checkMaintenance = compileSchema(MaintenanceSchema)

function scheduleOfWindow(w: MaintenanceWindow): Schedule {
  return { kind: guessKind(w.schedule), schedule: w.schedule, tz: w.tz }
}

/**
 * Validates the `maintenance` field: the schema above, then what it cannot say (the zone exists,
 * the expression has a next run). The problem text names the item (1-based) and its field, the
 * first in item order and, inside an item, in the order schedule, duration, tz, then the zone's
 * and the expression's validity. A schedule's length is also counted in UTF-16 units, as before
 * the schema (which counts code points), so the same inputs are refused with the same words.
 */
export function parseMaintenance(v: unknown): { value: MaintenanceWindow[] } | { problem: string } {
  const errors = checkMaintenance(v)
  if (!Array.isArray(v)) return { problem: 'is not an array' }
  if (errorsAt(errors).length > 0) return { problem: `has more than ${MAX_WINDOWS} windows` }
  const out: MaintenanceWindow[] = []
  for (const [i, item] of v.entries()) {
    const at = `item ${i + 1}:`
    const here = errorsUnder(errors, String(i))
    if (errorsAt(here, String(i)).length > 0) return { problem: `${at} is not an object` }
    const { schedule, duration, tz = 'UTC' } = item as Record<string, unknown>
    if (
      errorsAt(here, String(i), 'schedule').length > 0 ||
      (schedule as string).length > MAX_SCHEDULE ||
      (schedule as string).includes('\u0000')
    )
      return { problem: `${at} schedule is not a string of at most ${MAX_SCHEDULE} characters` }
    if (errorsAt(here, String(i), 'duration').length > 0)
      return {
        problem: `${at} duration is not an integer from ${MIN_WINDOW} to ${MAX_WINDOW} seconds`,
      }
    if (errorsAt(here, String(i), 'tz').length > 0) return { problem: `${at} tz is not a string` }
    const zone = canonicalTimeZone(tz as string)
    if (!isValidTimeZone(zone)) return { problem: `${at} tz is not a valid timezone` }
    const w = { schedule: schedule as string, duration: duration as number, tz: zone }
    if (!isValidSchedule(scheduleOfWindow(w)))
      return { problem: `${at} schedule is not a valid cron or OnCalendar expression` }
    out.push(w)
  }
  return { value: out }
}

/** The stored JSON text of a column, as windows; unreadable text is no windows. */
export function windowsOf(json: string): MaintenanceWindow[] {
  try {
    const r = parseMaintenance(JSON.parse(json))
    return 'value' in r ? r.value : []
  } catch {
    return []
  }
}

export function windowsJson(windows: readonly MaintenanceWindow[]): string {
  return JSON.stringify(
    windows.map((w) => ({ schedule: w.schedule, duration: w.duration, tz: w.tz })),
  )
}

/**
 * The end of `w`'s latest start `s` with s ≤ at < s + duration, or null. The latest start is found
 * by looking back 1, 2, 4 … minutes (then walking forward), never minute by minute across a week.
 */
function coveringEnd(w: MaintenanceWindow, at: number): number | null {
  const s = scheduleOfWindow(w)
  const span = w.duration * 1000
  let back = 60_000
  for (;;) {
    const d = Math.min(back, span)
    let start = nextAfter(s, at - d)
    if (start !== null && start <= at) {
      for (let next = nextAfter(s, start); next !== null && next <= at; next = nextAfter(s, next))
        start = next
      return start + span
    }
    if (d === span) return null
    back *= 2
  }
}

/** The window in force at `now`, with the end of it and of any window that joins it; else null. */
export function activeWindow(
  windows: readonly MaintenanceWindow[],
  now: number,
): { end: number } | null {
  let end: number | null = null
  let at = now
  // Back-to-back windows join: look again at the end of the one found. Bounded: 20 joins (a
  // window that never ends is then decided again at the 20th end).
  for (let i = 0; i < 20; i++) {
    let next: number | null = null
    for (const w of windows) {
      const e = coveringEnd(w, at)
      if (e !== null && (next === null || e > next)) next = e
    }
    if (next === null || (end !== null && next <= end)) break
    end = next
    at = next
  }
  return end === null ? null : { end }
}

export interface PlannedWindow {
  start: number
  end: number
  tz: string
  /** The zone's UTC offset changes inside the window (a DST change): its wall-clock length differs. */
  dstChange: boolean
}

const offsetAt = (ms: number, tz: string) => wallTimeOf(ms, tz) - Math.floor(ms / 1000) * 1000

/** The next `count` window starts after `after` (for previews), soonest first. */
export function nextWindows(
  windows: readonly MaintenanceWindow[],
  after: number,
  count: number,
): PlannedWindow[] {
  const all: PlannedWindow[] = []
  for (const w of windows) {
    const s = scheduleOfWindow(w)
    let from = after
    for (let i = 0; i < count; i++) {
      const start = nextAfter(s, from)
      if (start === null) break
      const end = start + w.duration * 1000
      all.push({ start, end, tz: w.tz, dstChange: offsetAt(start, w.tz) !== offsetAt(end, w.tz) })
      from = start
    }
  }
  return all.sort((a, b) => a.start - b.start).slice(0, count)
}
