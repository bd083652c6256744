/**
 * Maintenance windows (issue 14, item 3): a check or a project has windows, each a cron or
 * OnCalendar expression (the kind guessed as the API's `schedule`), a duration in seconds and an
 * IANA zone. A window starts at every time its expression gives, with the same DST rules as
 * schedules (src/schedule/), and lasts `duration` seconds of elapsed time: a 2-hour window that
 * starts at 02:00 on the night the clocks go forward ends at 05:00 local time. Windows that touch
 * or overlap join into one. Pure: `now` comes in; no I/O.
 */
import type { JsonSchema } from '../json-schema.js'
import {
  guessKind,
  isValidSchedule,
  isValidTimeZone,
  nextAfter,
  type Schedule,
  wallTimeOf,
} from '../schedule/index.js'
import { canonicalTimeZone } from './legacy-time-zones.js'

export interface MaintenanceWindow {
  /** A 5-field cron expression or OnCalendar lines. */
  schedule: string
  /** Seconds, MIN_WINDOW..MAX_WINDOW. */
  duration: number
  /** IANA zone the expression is evaluated in. */
  tz: string
}

export const MAX_WINDOWS = 10
export const MIN_WINDOW = 60
export const MAX_WINDOW = 7 * 86_400

function scheduleOfWindow(w: MaintenanceWindow): Schedule {
  return { kind: guessKind(w.schedule), schedule: w.schedule, tz: w.tz }
}

/**
 * Validates the `maintenance` field: a JSON array of at most MAX_WINDOWS objects with `schedule`
 * (string), `duration` (integer seconds) and optional `tz` (default UTC; legacy names rewritten).
 * The problem text names the item (1-based) and its field.
 */
export function parseMaintenance(v: unknown): { value: MaintenanceWindow[] } | { problem: string } {
  if (!Array.isArray(v)) return { problem: 'is not an array' }
  if (v.length > MAX_WINDOWS) return { problem: `has more than ${MAX_WINDOWS} windows` }
  const out: MaintenanceWindow[] = []
  for (const [i, item] of v.entries()) {
    const at = `item ${i + 1}:`
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      return { problem: `${at} is not an object` }
    const { schedule, duration, tz = 'UTC' } = item as Record<string, unknown>
    if (typeof schedule !== 'string' || schedule.length > 100 || schedule.includes('\u0000'))
      return { problem: `${at} schedule is not a string of at most 100 characters` }
    if (
      typeof duration !== 'number' ||
      !Number.isInteger(duration) ||
      duration < MIN_WINDOW ||
      duration > MAX_WINDOW
    )
      return {
        problem: `${at} duration is not an integer from ${MIN_WINDOW} to ${MAX_WINDOW} seconds`,
      }
    if (typeof tz !== 'string') return { problem: `${at} tz is not a string` }
    const zone = canonicalTimeZone(tz)
    if (!isValidTimeZone(zone)) return { problem: `${at} tz is not a valid timezone` }
    const w = { schedule, duration, tz: zone }
    if (!isValidSchedule(scheduleOfWindow(w)))
      return { problem: `${at} schedule is not a valid cron or OnCalendar expression` }
    out.push(w)
  }
  return { value: out }
}

export const MAINTENANCE_SCHEMA: JsonSchema = {
  type: 'array',
  maxItems: MAX_WINDOWS,
  'x-vigil-extension': true,
  description:
    'Vigil extension: maintenance windows. No alert is sent during a window; a check found down ' +
    'in a window is alerted at its end only if it is still down. `duration` is elapsed seconds.',
  items: {
    type: 'object',
    required: ['schedule', 'duration'],
    properties: {
      schedule: { type: 'string', maxLength: 100, examples: ['0 2 * * 0', 'Sun *-*-* 02:00'] },
      duration: { type: 'integer', minimum: MIN_WINDOW, maximum: MAX_WINDOW },
      tz: { type: 'string', default: 'UTC', examples: ['Europe/Riga'] },
    },
  },
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
