/**
 * How long ago an instant was, in words ("3 minutes ago"), and the instant as UTC ISO 8601
 * without milliseconds. Pure: `now` is a parameter. The dashboard shows both.
 */

const UNITS: [ms: number, name: string][] = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
]

export function timeAgo(then: number, now: number): string {
  const elapsed = now - then
  // Under a minute (or a little in the future, from clock skew between processes).
  if (elapsed < 60_000) return 'just now'
  for (const [ms, name] of UNITS) {
    const n = Math.floor(elapsed / ms)
    if (n >= 1) return `${n} ${name}${n === 1 ? '' : 's'} ago`
  }
  return 'just now'
}

export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
