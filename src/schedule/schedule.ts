// A check's schedule and its next expected times: period (`simple`), cron with a time zone, and
// systemd OnCalendar lines with a time zone.
// Mirrors the schedule half of Healthchecks' Check.get_grace_start and api/views.py guess_kind.
// Pure: every instant is a ms epoch passed in; nothing here reads the clock.

import { splitFields, stripWhitespace } from './cron-expression.js'
import { isValidCron, nextCronAfter } from './cron-schedule.js'
import { isValidOnCalendar, nextOnCalendarAfter } from './oncalendar-schedule.js'
import { isValidTimeZone } from './time-zone.js'

export type Schedule =
  /** A ping is expected `timeout` seconds after the previous one. */
  | { kind: 'simple'; timeout: number }
  /** A 5-field cron expression evaluated in the IANA zone `tz`. */
  | { kind: 'cron'; schedule: string; tz: string }
  /** systemd OnCalendar lines, each evaluated in its own trailing zone or else in `tz`. */
  | { kind: 'oncalendar'; schedule: string; tz: string }

/** The schedule columns of a check row (kind, timeout in seconds, schedule text, tz). */
export interface ScheduleColumns {
  kind: 'simple' | 'cron' | 'oncalendar'
  timeout: number
  schedule: string
  tz: string
}

/** The Schedule a check row describes. */
export function scheduleOf(columns: ScheduleColumns): Schedule {
  if (columns.kind === 'simple') return { kind: 'simple', timeout: columns.timeout }
  return { kind: columns.kind, schedule: columns.schedule, tz: columns.tz }
}

/**
 * First expected time strictly after `after` (ms epoch), or null when there is none: an invalid
 * expression or zone, no cron match within 50 years, no OnCalendar match before the year 2200,
 * or a non-positive period.
 * For simple: after + timeout × 1000.
 */
export function nextAfter(s: Schedule, after: number): number | null {
  switch (s.kind) {
    case 'simple':
      return Number.isFinite(s.timeout) && s.timeout > 0 ? after + s.timeout * 1000 : null
    case 'cron':
      return nextCronAfter(s.schedule, s.tz, after)
    case 'oncalendar':
      return nextOnCalendarAfter(s.schedule, s.tz, after)
  }
}

/** The next `count` expected times after `after` (for UI previews); fewer when they run out. */
export function nextRuns(s: Schedule, after: number, count: number): number[] {
  const runs: number[] = []
  let from = after
  while (runs.length < count) {
    const next = nextAfter(s, from)
    if (next === null) break
    runs.push(next)
    from = next
  }
  return runs
}

/** Whether a schedule can be stored: a positive period, or a valid expression and zone. */
export function isValidSchedule(s: Schedule): boolean {
  switch (s.kind) {
    case 'simple':
      return Number.isFinite(s.timeout) && s.timeout > 0
    case 'cron':
      return isValidCron(s.schedule) && isValidTimeZone(s.tz)
    case 'oncalendar':
      return isValidOnCalendar(s.schedule) && isValidTimeZone(s.tz)
  }
}

/**
 * The kind the API infers from a `schedule` string: cron iff it is a single line with exactly
 * 5 whitespace-separated fields (so a 6-field cron string is treated, and rejected, as OnCalendar).
 */
export function guessKind(schedule: string): 'cron' | 'oncalendar' {
  return !stripWhitespace(schedule).includes('\n') && splitFields(schedule).length === 5
    ? 'cron'
    : 'oncalendar'
}
