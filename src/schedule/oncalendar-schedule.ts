// Next occurrence of systemd OnCalendar lines in a time zone: what the Python `oncalendar` 1.1
// library answers when Healthchecks calls next(OnCalendar(schedule, last_ping in the check's tz)).
// Owns the field-by-field search, DST handling, the year-2200 stop, earliest-of-lines and
// Healthchecks' OnCalendarValidator; the grammar is oncalendar-expression.ts.
import { splitFields, stripWhitespace } from './cron-expression.js'
import {
  MAX_YEAR,
  type OnCalendarFields,
  type OnCalendarLine,
  parseOnCalendar,
} from './oncalendar-expression.js'
import { canEvaluateIn, offsetAt, wallTimeOf } from './time-zone.js'

const SECOND = 1000
const DAY = 86_400_000
/** Healthchecks' OnCalendarValidator evaluates once from 2000-01-01 00:00 UTC. */
const VALIDATION_START = Date.UTC(2000, 0, 1)
/** The validator's limit: `[DOW] [DATE] [TIME] [TZ]`. */
const MAX_TOKENS_PER_LINE = 4
/** Before this instant every zone's wall clock is still before 1970, the first year that matches. */
const EARLIEST = Date.UTC(1969, 11, 1)
/** From this instant on every zone's wall clock is in year 2200, where oncalendar stops. */
const LATEST = Date.UTC(MAX_YEAR, 0, 2)

/** Parsed schedules by text; worker loops evaluate the same few again and again. */
const parsedSchedules = new Map<string, OnCalendarLine[] | null>()
/** User input must not grow the memo without bound. */
const MAX_PARSED = 1000

/**
 * First occurrence of the OnCalendar `schedule` (one expression per line) strictly after the
 * instant `after` (ms epoch), as a ms epoch: the earliest across lines, each evaluated in its own
 * trailing zone or else in `tz`. Null when the schedule or zone is invalid or nothing matches
 * before the year 2200 (Healthchecks then treats the check as never late).
 */
export function nextOnCalendarAfter(schedule: string, tz: string, after: number): number | null {
  if (!Number.isFinite(after) || !canEvaluateIn(tz)) return null
  const lines = parse(schedule)
  if (lines === null) return null
  let best: number | null = null
  for (const line of lines) {
    const next = nextLineAfter(line.fields, line.tz ?? tz, after)
    if (next !== null && (best === null || next < best)) best = next
  }
  return best
}

/**
 * Healthchecks' OnCalendarValidator (API `schedule` and the UI): at most 4 whitespace-separated
 * tokens per line, every line parses, and some line matches after 2000-01-01 00:00 UTC.
 */
export function isValidOnCalendar(schedule: string): boolean {
  for (const line of stripWhitespace(schedule).split('\n')) {
    if (splitFields(line).length > MAX_TOKENS_PER_LINE) return false
  }
  return nextOnCalendarAfter(schedule, 'UTC', VALIDATION_START) !== null
}

function parse(schedule: string): OnCalendarLine[] | null {
  const cached = parsedSchedules.get(schedule)
  if (cached !== undefined) return cached
  const lines = parseOnCalendar(schedule)
  if (parsedSchedules.size >= MAX_PARSED) parsedSchedules.clear()
  parsedSchedules.set(schedule, lines)
  return lines
}

/**
 * oncalendar's BaseIterator.__next__ for one line. The search runs on the zone's wall clock
 * (from `after` truncated to the second, plus one second) and each match is read as Python reads
 * a naive time with fold=0: a time the clocks skip (spring forward) is not an occurrence, and a
 * time the clocks repeat (fall back) is one occurrence, its first.
 *
 * One deliberate difference: when `after` lies in the second pass of a repeated hour, the
 * library can return that hour's first pass, which is before `after`. We keep going instead, so
 * the answer is always strictly after `after`; the second pass still yields no occurrences.
 */
function nextLineAfter(fields: OnCalendarFields, tz: string, after: number): number | null {
  if (after >= LATEST) return null
  const from = Math.max(after, EARLIEST)
  // UTC has no transitions, so its wall clock is the instant itself.
  const isUtc = tz === 'UTC'
  let wall = (isUtc ? Math.floor(from / SECOND) * SECOND : wallTimeOf(from, tz)) + SECOND

  for (;;) {
    const match = nextWallMatch(fields, wall)
    if (match === null || isUtc) return match

    const instant = firstInstantAt(match, tz)
    if (instant === null) {
      // In a spring-forward gap: nothing matches before the clocks resume.
      wall = Math.max(match + SECOND, gapEndAfter(match, tz))
      continue
    }
    if (instant <= after) {
      // The first pass of a repeated hour while `after` is in its second pass.
      wall = Math.max(match + SECOND, repeatEndAfter(match, instant, after, tz))
      continue
    }
    return instant
  }
}

/**
 * Python's fold=0 reading of a wall time: the earlier instant when the wall time occurs twice,
 * null when it never occurs (a gap). Probing the offsets a day either side finds both readings
 * around any one transition.
 */
function firstInstantAt(wall: number, tz: string): number | null {
  const offsets = new Set([offsetAt(wall - DAY, tz), offsetAt(wall, tz), offsetAt(wall + DAY, tz)])
  let best: number | null = null
  for (const offset of offsets) {
    const instant = wall - offset
    if (wallTimeOf(instant, tz) === wall && (best === null || instant < best)) best = instant
  }
  return best
}

/** The first wall time after the gap that `wall` falls in, or 0 when the gap cannot be located. */
function gapEndAfter(wall: number, tz: string): number {
  const before = offsetAt(wall - DAY, tz)
  const afterGap = offsetAt(wall + DAY, tz)
  // The transition instant lies between the two readings of `wall`.
  const transition = firstChange(wall - afterGap, wall - before, tz)
  return transition === null ? 0 : wallTimeOf(transition, tz)
}

/**
 * The wall time where the first pass of a repeated hour ends (`instant` is in it and `after` is
 * past the transition): every wall time before it reads as an instant before `after`.
 */
function repeatEndAfter(wall: number, instant: number, after: number, tz: string): number {
  const transition = firstChange(instant, after, tz)
  return transition === null ? 0 : transition + (wall - instant)
}

/**
 * The first whole second in (lo, hi] whose UTC offset differs from lo's, by bisection; null
 * when hi still has lo's offset.
 */
function firstChange(lo: number, hi: number, tz: string): number | null {
  const offset = offsetAt(lo, tz)
  let low = Math.floor(lo / SECOND)
  let high = Math.floor(hi / SECOND)
  if (offsetAt(high * SECOND, tz) === offset) return null
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2)
    if (offsetAt(mid * SECOND, tz) === offset) low = mid
    else high = mid
  }
  return high * SECOND
}

/**
 * The first wall time at or after `from` (both as UTC-field ms) that matches every field, or
 * null once the search reaches the year 2200. Each field jumps straight to its next allowed
 * value and resets the smaller ones, like the library's advance_year … advance_second.
 */
function nextWallMatch(f: OnCalendarFields, from: number): number | null {
  const start = new Date(from)
  let year = start.getUTCFullYear()
  let month = start.getUTCMonth() + 1
  let day = start.getUTCDate()
  let hour = start.getUTCHours()
  let minute = start.getUTCMinutes()
  let second = start.getUTCSeconds()

  for (;;) {
    if (year >= MAX_YEAR) return null
    const y = nextAtLeast(f.years, year)
    if (y === null) return null
    if (y !== year) [year, month, day, hour, minute, second] = [y, 1, 1, 0, 0, 0]

    const m = nextAtLeast(f.months, month)
    if (m === null) {
      ;[year, month, day, hour, minute, second] = [year + 1, 1, 1, 0, 0, 0]
      continue
    }
    if (m !== month) [month, day, hour, minute, second] = [m, 1, 0, 0, 0]

    const d = nextDay(f, year, month, day)
    if (d === null) {
      ;[month, day, hour, minute, second] = [month + 1, 1, 0, 0, 0]
      if (month > 12) [year, month] = [year + 1, 1]
      continue
    }
    if (d !== day) [day, hour, minute, second] = [d, 0, 0, 0]

    const h = nextAtLeast(f.hours, hour)
    if (h === null) {
      ;[day, hour, minute, second] = [day + 1, 0, 0, 0]
      continue
    }
    if (h !== hour) [hour, minute, second] = [h, 0, 0]

    const mi = nextAtLeast(f.minutes, minute)
    if (mi === null) {
      ;[hour, minute, second] = [hour + 1, 0, 0]
      continue
    }
    if (mi !== minute) [minute, second] = [mi, 0]

    const s = nextAtLeast(f.seconds, second)
    if (s === null) {
      ;[minute, second] = [minute + 1, 0]
      continue
    }
    return Date.UTC(year, month - 1, day, hour, minute, s)
  }
}

/** The first day from `fromDay` in this month matching both day-of-month and day-of-week. */
function nextDay(f: OnCalendarFields, year: number, month: number, fromDay: number): number | null {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate()
  // Monday = 0, as Python's weekday() and the parsed weekdays.
  let weekday = (new Date(Date.UTC(year, month - 1, fromDay)).getUTCDay() + 6) % 7
  for (let d = fromDay; d <= last; d++, weekday = (weekday + 1) % 7) {
    const dayMatches = f.days.includes(d) || f.daysFromEnd.includes(last - d + 1)
    if (dayMatches && f.weekdays.includes(weekday)) return d
  }
  return null
}

/** The smallest value of the sorted list that is at least `value`. */
function nextAtLeast(sortedValues: readonly number[], value: number): number | null {
  for (const v of sortedValues) if (v >= value) return v
  return null
}
