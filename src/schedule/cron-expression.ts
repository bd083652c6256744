// Parses a 5-field cron expression with the grammar and quirks of cronsim 2.x (the library
// Healthchecks evaluates `cron` checks with) and renders it as croner patterns. Owns syntax only:
// finding the next run, DST and the 50-year limit live in cron-schedule.ts.
// Mirrors cronsim's Field.parse, its day-of-month range check and its Debian-cron AND/OR rule.

/** A cron expression after parsing, every field expanded to its values. */
export interface CronFields {
  minutes: number[]
  hours: number[]
  /** Days of month 1–31 (`L` and `LW` are flags below). */
  days: number[]
  /** `L` in day-of-month: the last day of the month. */
  lastDay: boolean
  /** `LW` in day-of-month: the last weekday (Mon–Fri) of the month. */
  lastWeekday: boolean
  months: number[]
  /** Days of week 0–6, Sunday = 0 (cron's 7 is folded into 0). */
  weekdays: number[]
  /** `<dow>L`: the last such weekday of the month. */
  lastWeekdaysOf: number[]
  /** `<dow>#<n>`: the n-th (1–5) such weekday of the month. */
  nthWeekdays: Array<{ weekday: number; nth: number }>
  /** Day-of-month AND day-of-week (either field starts with `*`), else OR: Debian cron's rule. */
  dayAnd: boolean
  /**
   * Minute or hour field starts with `*`: the job runs on real elapsed time (both copies of a
   * repeated hour, nothing in a skipped one). Otherwise it is a fixed-time job (Debian cron):
   * a time in a DST gap runs right after the jump, a repeated time runs once.
   */
  realTime: boolean
}

type FieldName = 'minute' | 'hour' | 'day' | 'month' | 'dow'

const RANGES: Record<FieldName, readonly [number, number]> = {
  minute: [0, 59],
  hour: [0, 23],
  day: [1, 31],
  month: [1, 12],
  dow: [0, 7],
}
const MONTH_NAMES = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
]
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']
/** Longest month for each month number; February counts 29 (cronsim's DAYS_IN_MONTH). */
const DAYS_IN_MONTH = [-1, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

const LAST = 'L'
const LAST_WEEKDAY = 'LW'
type Item = number | typeof LAST | typeof LAST_WEEKDAY | { weekday: number; nth: number | 'L' }

class CronSyntaxError extends Error {}

/**
 * Python's `str.split()` with no argument: runs of Unicode whitespace as Python defines it
 * (JavaScript's `\s` without U+FEFF, plus U+001C–U+001F and U+0085), ends ignored.
 */
const PY_WHITESPACE =
  '\\t\\n\\v\\f\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'
const PY_SPACE_RUN = new RegExp(`[${PY_WHITESPACE}]+`, 'u')
const PY_STRIP = new RegExp(`^[${PY_WHITESPACE}]+|[${PY_WHITESPACE}]+$`, 'gu')

export function splitFields(text: string): string[] {
  return text.split(PY_SPACE_RUN).filter((part) => part !== '')
}

/** Python's `str.strip()` with no argument. */
export function stripWhitespace(text: string): string {
  return text.replace(PY_STRIP, '')
}

/** Parses like cronsim: null when cronsim would raise CronSimError (wrong field count included). */
export function parseCron(expr: string): CronFields | null {
  // cronsim upper-cases the whole expression before splitting it, so `mon` and `l` work.
  const parts = splitFields(expr.toUpperCase())
  if (parts.length !== 5) return null
  try {
    return fieldsOf(parts)
  } catch (err) {
    if (err instanceof CronSyntaxError) return null
    throw err
  }
}

function fieldsOf(parts: string[]): CronFields {
  const [minutePart, hourPart, dayPart, monthPart, dowPart] = parts
  const minutes = numbersOf(parseField('minute', minutePart))
  const hours = numbersOf(parseField('hour', hourPart))
  const dayItems = parseField('day', dayPart)
  const months = numbersOf(parseField('month', monthPart))
  const dowItems = parseField('dow', dowPart)

  const days = numbersOf(dayItems)
  const lastDay = dayItems.includes(LAST)
  const lastWeekday = dayItems.includes(LAST_WEEKDAY)
  // cronsim: a day-of-month set whose smallest day exists in none of the selected months
  // (`31 2`, `30 2`, `31 4,6`) is an error, not a schedule that never fires.
  if (!lastDay && !lastWeekday && days.length > 0 && days[0] > 29) {
    const longest = Math.max(...months.map((m) => DAYS_IN_MONTH[m]))
    if (days[0] > longest) throw new CronSyntaxError('day-of-month')
  }

  const weekdays = new Set<number>()
  const lastWeekdaysOf = new Set<number>()
  const nth = new Map<string, { weekday: number; nth: number }>()
  for (const item of dowItems) {
    if (typeof item === 'number') weekdays.add(item % 7)
    else if (typeof item === 'object' && item.nth === 'L') lastWeekdaysOf.add(item.weekday % 7)
    else if (typeof item === 'object' && typeof item.nth === 'number') {
      const entry = { weekday: item.weekday % 7, nth: item.nth }
      nth.set(`${entry.weekday}#${entry.nth}`, entry)
    }
  }

  return {
    minutes,
    hours,
    days,
    lastDay,
    lastWeekday,
    months,
    weekdays: sorted(weekdays),
    lastWeekdaysOf: sorted(lastWeekdaysOf),
    nthWeekdays: [...nth.values()].sort((a, b) => a.weekday - b.weekday || a.nth - b.nth),
    dayAnd: dayPart.startsWith('*') || dowPart.startsWith('*'),
    realTime: minutePart.startsWith('*') || hourPart.startsWith('*'),
  }
}

/** cronsim's Field.parse, branch for branch and in the same order. */
function parseField(field: FieldName, s: string): Item[] {
  const [min, max] = RANGES[field]
  if (s === '*') return range(min, max)

  if (s.includes(',')) return s.split(',').flatMap((term) => parseField(field, term))

  if (field === 'dow' && s.includes('L')) {
    // `5L`: digits then L. Names are not allowed here (cronsim rejects `FRIL`).
    if (!/^[0-9]+L$/.test(s)) throw new CronSyntaxError(field)
    return [{ weekday: toValue(field, s.slice(0, -1)), nth: 'L' }]
  }

  if (field === 'dow' && s.includes('#')) {
    const at = s.indexOf('#')
    const nth = toDigits(field, s.slice(at + 1))
    if (nth < 1 || nth > 5) throw new CronSyntaxError(field)
    return [{ weekday: toValue(field, s.slice(0, at)), nth }]
  }

  if (s.includes('/')) {
    const at = s.indexOf('/')
    const step = toDigits(field, s.slice(at + 1))
    if (step === 0) throw new CronSyntaxError(field)
    const items = parseField(field, s.slice(0, at))
    if (items.length === 1 && (items[0] === LAST || items[0] === LAST_WEEKDAY)) return items
    const values = numbersOf(items)
    // A single start value steps up to the field's maximum: `5/15` is 5,20,35,50 and, quirk
    // included, so is `5-5/15`. A range or `*` takes every step-th of its values.
    const base = values.length === 1 ? range(values[0], max) : values
    return base.filter((_, i) => i % step === 0)
  }

  if (s.includes('-')) {
    const at = s.indexOf('-')
    const start = toValue(field, s.slice(0, at))
    const end = toValue(field, s.slice(at + 1))
    // So `MON-SUN` (1-0) is an error, as in cronsim; `SUN-SAT` and `1-7` are fine.
    if (end < start) throw new CronSyntaxError(field)
    return range(start, end)
  }

  if (field === 'day' && s === 'LW') return [LAST_WEEKDAY]
  if (field === 'day' && s === 'L') return [LAST]

  return [toValue(field, s)]
}

/** cronsim's Field.int: a month or weekday name, or digits within the field's range. */
function toValue(field: FieldName, s: string): number {
  if (field === 'month' && MONTH_NAMES.includes(s)) return MONTH_NAMES.indexOf(s) + 1
  if (field === 'dow' && DAY_NAMES.includes(s)) return DAY_NAMES.indexOf(s)
  const value = toDigits(field, s)
  const [min, max] = RANGES[field]
  if (value < min || value > max) throw new CronSyntaxError(field)
  return value
}

/** cronsim's Field._int: ASCII digits only, not empty. */
function toDigits(field: FieldName, s: string): number {
  if (!/^[0-9]+$/.test(s)) throw new CronSyntaxError(field)
  return Number.parseInt(s, 10)
}

function range(start: number, end: number): number[] {
  const out: number[] = []
  for (let v = start; v <= end; v++) out.push(v)
  return out
}

function numbersOf(items: Item[]): number[] {
  return sorted(new Set(items.filter((item): item is number => typeof item === 'number')))
}

function sorted(values: Iterable<number>): number[] {
  return [...values].sort((a, b) => a - b)
}

/**
 * croner patterns (seconds to day-of-week; the caller appends the year field) whose union of
 * runs is the expression's runs.
 *
 * Every field is written out as an explicit list, so croner's own readings of `*`, `?`, `W`,
 * nicknames and sloppy steps never come into play. The DST behaviour is chosen through the
 * seconds field: croner (with fixedTimeRule 'no-wildcard') treats a job as fixed-time unless
 * seconds, minutes or hours hold a wildcard or step, so `0` keeps the lists fixed-time and
 * `*` + `/60` (second 0, written as a step) turns them into a real-time (interval) job.
 *
 * croner refuses `LW` inside a list, so `LW,15` becomes two patterns, one per day-of-month part;
 * the union is exact for AND and OR alike because only the day-of-month part differs.
 */
export function toCronerPatterns(fields: CronFields): string[] {
  const seconds = fields.realTime ? '*/60' : '0'
  const dow = [
    ...fields.weekdays.map(String),
    ...fields.lastWeekdaysOf.map((d) => `${d}#L`),
    ...fields.nthWeekdays.map(({ weekday, nth }) => `${weekday}#${nth}`),
  ].join(',')
  const pattern = (dom: string) =>
    [
      seconds,
      fields.minutes.join(','),
      fields.hours.join(','),
      dom,
      fields.months.join(','),
      dow,
    ].join(' ')

  const domParts = [...fields.days.map(String), ...(fields.lastDay ? ['L'] : [])]
  const patterns: string[] = []
  if (domParts.length > 0) patterns.push(pattern(domParts.join(',')))
  if (fields.lastWeekday) patterns.push(pattern('LW'))
  return patterns
}
