// Parses systemd OnCalendar lines with the grammar and quirks of the Python `oncalendar` 1.1
// library (Healthchecks' evaluator): `[DOW] [[YYYY-]MM-DD] [HH:MM[:SS]] [TZ]`, shorthands, `~`.
// Owns syntax only; finding the next occurrence, DST and the year-2200 stop are in
// oncalendar-schedule.ts. Mirrors oncalendar's Field.parse, BaseIterator.__init__ and TzIterator.
import { splitFields, stripWhitespace } from './cron-expression.js'
import { isValidTimeZone } from './time-zone.js'

/** oncalendar stops iterating when it reaches this year, and so rejects it as a year value. */
export const MAX_YEAR = 2200

/** One OnCalendar line after parsing, every field expanded to its sorted values. */
export interface OnCalendarFields {
  /** Days of week 0–6, Monday = 0 (Python's `date.weekday()`, as oncalendar). */
  weekdays: number[]
  /** Years 1970–2199. */
  years: number[]
  months: number[]
  /** Days of month 1–31 counted from the start (`*-*-01`). */
  days: number[]
  /** Days counted from the month's end, 1 = last day (`*-*~01`); 0 can appear and never matches. */
  daysFromEnd: number[]
  hours: number[]
  minutes: number[]
  seconds: number[]
}

/** A parsed line and the IANA zone it names, or null to use the check's zone. */
export interface OnCalendarLine {
  fields: OnCalendarFields
  tz: string | null
}

type FieldName = 'dow' | 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second'

/** Python `range(a, b)` bounds as oncalendar's RANGES: inclusive minimum, inclusive maximum. */
const RANGES: Record<FieldName, readonly [number, number]> = {
  dow: [0, 6],
  year: [1970, MAX_YEAR - 1],
  month: [1, 12],
  day: [1, 31],
  hour: [0, 23],
  minute: [0, 59],
  second: [0, 59],
}
const DAY_NAMES = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY']
const DAY_NAMES_SHORT = DAY_NAMES.map((name) => name.slice(0, 3))

/** oncalendar's SPECIALS: whole-line shorthands, matched case-insensitively. */
const SHORTHANDS = new Map<string, string>([
  ['minutely', '*-*-* *:*:00'],
  ['hourly', '*-*-* *:00:00'],
  ['daily', '*-*-* 00:00:00'],
  ['monthly', '*-*-01 00:00:00'],
  ['weekly', 'Mon *-*-* 00:00:00'],
  ['yearly', '*-01-01 00:00:00'],
  ['annually', '*-01-01 00:00:00'],
  ['quarterly', '*-01,04,07,10-01 00:00:00'],
  ['semiannually', '*-01,07-01 00:00:00'],
])

class OnCalendarSyntaxError extends Error {}

/**
 * Parses a schedule of one or more newline-separated lines like oncalendar's OnCalendar class:
 * null when any line would raise OnCalendarError (an empty line in the middle included).
 */
export function parseOnCalendar(text: string): OnCalendarLine[] | null {
  const lines: OnCalendarLine[] = []
  for (const line of stripWhitespace(text).split('\n')) {
    const parsed = parseOnCalendarLine(line)
    if (parsed === null) return null
    lines.push(parsed)
  }
  return lines
}

/** Parses one line like oncalendar's TzIterator: an optional trailing zone, then the expression. */
export function parseOnCalendarLine(line: string): OnCalendarLine | null {
  let expression = stripWhitespace(line)
  let tz: string | null = null
  // TzIterator looks for a zone only when the line holds an ASCII space (a tab alone does not
  // count), and takes the last whitespace-separated token as one if it names a zone.
  if (expression.includes(' ')) {
    const parts = splitFields(expression)
    const last = parts[parts.length - 1]
    if (isZoneToken(last)) {
      tz = last
      expression = stripWhitespace(expression.slice(0, expression.lastIndexOf(last)))
    }
  }
  try {
    return { fields: parseExpression(expression), tz }
  } catch (err) {
    if (err instanceof OnCalendarSyntaxError) return null
    throw err
  }
}

/** oncalendar's parse_tz: no zone name starts with a digit or `*`; otherwise ask the zone list. */
function isZoneToken(token: string): boolean {
  return !/^[0-9*]/.test(token) && isValidTimeZone(token)
}

/** BaseIterator.__init__: the time from the end, then the date, then a weekday from the front. */
function parseExpression(input: string): OnCalendarFields {
  const expression = SHORTHANDS.get(input.toLowerCase()) ?? input
  // `*-02~03` becomes `*-02-~03`, so the date splits into three parts like any other.
  const parts = splitFields(expression.replaceAll('~', '-~'))
  if (parts.length === 0) throw new OnCalendarSyntaxError('fields')

  let hours = [0]
  let minutes = [0]
  let seconds = [0]
  if (parts[parts.length - 1].includes(':')) {
    const timeParts = (parts.pop() as string).split(':')
    if (timeParts.length !== 2 && timeParts.length !== 3) throw new OnCalendarSyntaxError('time')
    hours = sorted(parseField('hour', timeParts[0]))
    minutes = sorted(parseField('minute', timeParts[1]))
    // Seconds default to 0; `05:40:23.42` fails here because fractions are not supported.
    seconds = sorted(parseField('second', timeParts[2] ?? '0'))
  }

  let years = range(...RANGES.year)
  let months = range(...RANGES.month)
  let dayValues = range(...RANGES.day)
  const last = parts[parts.length - 1]
  if (last?.includes('-') && /^[0-9*]/.test(last)) {
    const dateParts = (parts.pop() as string).split('-')
    if (dateParts.length !== 2 && dateParts.length !== 3) throw new OnCalendarSyntaxError('date')
    // `MM-DD`: the year defaults to `*`.
    if (dateParts.length === 2) dateParts.unshift('*')
    years = sorted(parseField('year', dateParts[0]))
    months = sorted(parseField('month', dateParts[1]))
    dayValues = sorted(parseField('day', dateParts[2]))
  }

  let weekdays = range(...RANGES.dow)
  if (parts.length > 0) weekdays = sorted(parseField('dow', parts.shift() as string))
  if (parts.length > 0) throw new OnCalendarSyntaxError('fields')

  return {
    weekdays,
    years,
    months,
    days: dayValues.filter((d) => d > 0),
    daysFromEnd: sorted(dayValues.filter((d) => d <= 0).map((d) => Math.abs(d))),
    hours,
    minutes,
    seconds,
  }
}

/**
 * oncalendar's Field.parse, branch for branch and in the same order. Days counted from the end
 * come back negative (`~1` is -1), as in the library.
 */
function parseField(field: FieldName, s: string, reverse = false): Set<number> {
  if (field === 'day' && s.startsWith('~')) return parseField(field, s.slice(1), true)

  if (field !== 'dow' && s === '*') return new Set(range(...RANGES[field]))

  // systemd allows `*` only on its own: not in lists, ranges or before a step (`*/15`).
  if (s.includes('*')) throw new OnCalendarSyntaxError(field)

  // `Mon, 12:00` is systemd's own normalised spelling; the comma is dropped.
  if (field === 'dow' && s.endsWith(',')) return parseField(field, s.slice(0, -1))

  // Weekday ranges may be written `Mon-Fri` as well as `Mon..Fri`.
  if (field === 'dow' && s.includes('-')) return parseField(field, s.replaceAll('-', '..'))

  if (s.includes(',')) {
    const out = new Set<number>()
    for (const term of s.split(',')) {
      for (const v of parseField(field, term, reverse)) out.add(v)
    }
    return out
  }

  if (s.includes('/') && field !== 'dow') {
    const at = s.indexOf('/')
    const step = toDigits(field, s.slice(at + 1))
    if (step === 0) throw new OnCalendarSyntaxError(field)
    const items = parseField(field, s.slice(0, at), reverse)
    if (items.size === 1) {
      // A single start repeats up to the field's maximum, or (counting from the month's end)
      // down to the last day: `~7/1` is the last seven days. The library's stray 0 is harmless.
      const [start] = items
      const end = reverse ? 0 : RANGES[field][1]
      return new Set(range(start, end).filter((_, i) => i % step === 0))
    }
    return new Set(sorted(items).filter((_, i) => i % step === 0))
  }

  if (s.includes('..')) {
    const at = s.indexOf('..')
    let start = toValue(field, s.slice(0, at))
    let end = toValue(field, s.slice(at + 2))
    if (end < start) throw new OnCalendarSyntaxError(field)
    if (reverse) [start, end] = [-end, -start]
    return new Set(range(start, end))
  }

  const value = toValue(field, s)
  if (reverse) {
    // systemd rejects `<month>~<day>` with a day above 28.
    if (value > 28) throw new OnCalendarSyntaxError(field)
    return new Set([-value])
  }
  return new Set([value])
}

/** oncalendar's Field.int: weekday names, two-digit years, and the field's range check. */
function toValue(field: FieldName, s: string): number {
  if (field === 'dow') {
    const upper = s.toUpperCase()
    if (DAY_NAMES.includes(upper)) return DAY_NAMES.indexOf(upper)
    if (DAY_NAMES_SHORT.includes(upper)) return DAY_NAMES_SHORT.indexOf(upper)
    throw new OnCalendarSyntaxError(field)
  }
  let value = toDigits(field, s)
  // 0–69 mean 2000–2069 and 70–99 mean 1970–1999, as in systemd.
  if (field === 'year' && value < 70) value += 2000
  if (field === 'year' && value < 100) value += 1900
  const [min, max] = RANGES[field]
  if (value < min || value > max) throw new OnCalendarSyntaxError(field)
  return value
}

/** oncalendar's Field._int: ASCII digits only, not empty (so no signs, spaces or underscores). */
function toDigits(field: FieldName, s: string): number {
  if (!/^[0-9]+$/.test(s)) throw new OnCalendarSyntaxError(field)
  return Number.parseInt(s, 10)
}

function range(start: number, end: number): number[] {
  const out: number[] = []
  for (let v = start; v <= end; v++) out.push(v)
  return out
}

function sorted(values: Iterable<number>): number[] {
  return [...values].sort((a, b) => a - b)
}
