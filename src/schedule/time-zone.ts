// Time zone names and local calendar fields, through Intl (Node's bundled ICU time zone data).
// Owns "is this a zone we accept", "which local year is this instant in" and "which wall-clock
// time is this instant"; not the legacy-name rewriting the API does (Healthchecks' Spec.check_tz
// maps Europe/Kiev → Europe/Kyiv and so on).

const canonicalByLowerCase = new Map<string, string>(
  [...Intl.supportedValuesOf('timeZone'), 'UTC'].map((tz) => [tz.toLowerCase(), tz]),
)
const formatters = new Map<string, Intl.DateTimeFormat>()
/** ICU accepts any capitalisation of a name, so the cache is capped rather than keyed by zone. */
const MAX_FORMATTERS = 1000

/**
 * An IANA zone name ICU knows, spelt with IANA's capitals: `Europe/Riga`, `UTC`, `US/Eastern`,
 * `Etc/GMT+5`. Refuses offsets (`+02:00`), surrounding spaces and miscapitalised canonical
 * names (`europe/riga`), which ICU alone would accept but Healthchecks' zoneinfo list does not.
 */
export function isValidTimeZone(tz: string): boolean {
  // Every IANA name is `/`-separated segments that start with a capital letter.
  if (!/^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)*$/.test(tz)) return false
  const canonical = canonicalByLowerCase.get(tz.toLowerCase())
  if (canonical !== undefined) return canonical === tz
  return formatterFor(tz) !== null
}

/** ICU can evaluate times in this zone (lenient: any spelling ICU resolves). */
export function canEvaluateIn(tz: string): boolean {
  return formatterFor(tz) !== null
}

/** The calendar year in `tz` of the instant `ms`. The zone must be one canEvaluateIn accepts. */
export function localYear(ms: number, tz: string): number {
  const formatter = formatterFor(tz)
  if (formatter === null) throw new RangeError(`unknown time zone: ${tz}`)
  const year = formatter.formatToParts(ms).find((part) => part.type === 'year')
  return Number(year?.value)
}

function formatterFor(tz: string): Intl.DateTimeFormat | null {
  const cached = formatters.get(tz)
  if (cached !== undefined) return cached
  let formatter: Intl.DateTimeFormat
  try {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric' })
  } catch {
    return null
  }
  if (formatters.size >= MAX_FORMATTERS) formatters.clear()
  formatters.set(tz, formatter)
  return formatter
}

const wallFormatters = new Map<string, Intl.DateTimeFormat>()

/**
 * The wall-clock time in `tz` of the instant `ms`, to the second, written as the epoch ms of the
 * same calendar fields in UTC (a "naive" local time that plain UTC arithmetic can step through).
 * The zone must be one canEvaluateIn accepts.
 */
export function wallTimeOf(ms: number, tz: string): number {
  let formatter = wallFormatters.get(tz)
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    if (wallFormatters.size >= MAX_FORMATTERS) wallFormatters.clear()
    wallFormatters.set(tz, formatter)
  }
  const f: Record<string, number> = {}
  for (const part of formatter.formatToParts(ms)) f[part.type] = Number(part.value)
  const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second)
  // Date.UTC reads years 0–99 as 1900–1999; no schedule reaches them, but stay exact anyway.
  return f.year < 100 ? new Date(wall).setUTCFullYear(f.year) : wall
}

/** The UTC offset of `tz` at the instant `ms`, in ms (positive east of Greenwich). */
export function offsetAt(ms: number, tz: string): number {
  const whole = Math.floor(ms / 1000) * 1000
  return wallTimeOf(whole, tz) - whole
}
