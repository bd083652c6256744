/**
 * Instants and durations in words for the pages: an instant in a viewer's or a check's IANA zone
 * ("15 Jan 2026, 13:00 CET"), and durations ("1 day 2 hours", "3 min 5 s"). Pure: zones and
 * instants are parameters; formatters are cached per zone because building one is slow.
 */

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-GB', {
        timeZone: tz,
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'short',
      })
    } catch {
      // A zone this Node does not know (stored by an older version): show UTC rather than fail.
      return formatterFor('UTC')
    }
    formatters.set(tz, f)
  }
  return f
}

/** e.g. "15 Jan 2026, 13:00:00 CET": the instant as a clock in `tz` shows it. */
export function formatInstant(ms: number, tz: string): string {
  return formatterFor(tz).format(new Date(ms))
}

const UNITS: [seconds: number, singular: string, plural: string][] = [
  [86_400, 'day', 'days'],
  [3_600, 'hour', 'hours'],
  [60, 'minute', 'minutes'],
  [1, 'second', 'seconds'],
]

/** A whole number of seconds in at most two units, largest first: "1 day 2 hours", "90 days". */
export function formatDuration(seconds: number): string {
  let rest = Math.max(0, Math.round(seconds))
  if (rest === 0) return '0 seconds'
  const parts: string[] = []
  for (const [size, one, many] of UNITS) {
    const n = Math.floor(rest / size)
    if (n > 0) {
      parts.push(`${n} ${n === 1 ? one : many}`)
      rest -= n * size
    }
    if (parts.length === 2) break
  }
  return parts.join(' ')
}

/** A run time in ms, short: "850 ms", "12 s", "3 min 5 s", "2 h 10 min". */
export function formatRunTime(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
}
