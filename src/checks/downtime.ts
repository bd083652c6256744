/**
 * Downtime arithmetic for the check details page: period boundaries (local month or day starts
 * in a time zone), downtime per period walked back from the current status through the flips,
 * and uptime percentages. Mirrors Healthchecks' Check.downtimes_by_boundary (spec 2.12): a down
 * interval counts towards the period its start falls in, and is split at period boundaries, so
 * an outage spanning midnight of the 1st counts in both months. Pure: `now` is a parameter.
 */
import type { StoredStatus } from '../db/index.js'

export interface DowntimeFlip {
  created: number
  old_status: StoredStatus
}

export interface DowntimeRecord {
  /** Start of the period (ms epoch). */
  boundary: number
  /** End of the period: the next newer boundary, or `now` for the newest. */
  end: number
  /** The check did not exist yet during this period. */
  noData: boolean
  /** Milliseconds spent down within the period. */
  durationMs: number
  /** Down intervals that started in this period. */
  count: number
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>()

function localParts(ms: number, tz: string): { y: number; m: number; d: number; offsetMs: number } {
  let f = partsFormatters.get(tz)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    partsFormatters.set(tz, f)
  }
  const p: Record<string, number> = {}
  for (const part of f.formatToParts(new Date(ms))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value)
  }
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return { y: p.year, m: p.month - 1, d: p.day, offsetMs: wall - Math.floor(ms / 1000) * 1000 }
}

/** The instant a clock in `tz` shows 00:00 on that local date (the first instant after it, in a gap). */
export function localMidnight(y: number, m: number, d: number, tz: string): number {
  const wall = Date.UTC(y, m, d)
  const DAY = 86_400_000
  // The offsets a day before and after: around a DST change they differ, and one of them is right.
  const candidates = [
    ...new Set([localParts(wall - DAY, tz).offsetMs, localParts(wall + DAY, tz).offsetMs]),
  ].map((offset) => wall - offset)
  const exact = candidates.filter((t) => wall === t + localParts(t, tz).offsetMs)
  // A repeated midnight: the first one. Midnight in a gap: the later candidate, which is the
  // moment the clocks jump forward (the day's first instant).
  return exact.length > 0 ? Math.min(...exact) : Math.max(...candidates)
}

/** Starts of the current and the previous `count - 1` local months, newest first. */
export function monthBoundaries(now: number, tz: string, count: number): number[] {
  const { y, m } = localParts(now, tz)
  return Array.from({ length: count }, (_, i) => localMidnight(y, m - i, 1, tz))
}

/** The start of the local month after the one starting at `boundary`. */
export function nextMonthStart(boundary: number, tz: string): number {
  const { y, m } = localParts(boundary, tz)
  return localMidnight(y, m + 1, 1, tz)
}

/** Starts of today and the previous `count - 1` local days, newest first. */
export function dayBoundaries(now: number, tz: string, count: number): number[] {
  const { y, m, d } = localParts(now, tz)
  return Array.from({ length: count }, (_, i) => localMidnight(y, m, d - i, tz))
}

/**
 * Downtime per period. `boundaries` are period starts, newest first; `flips` may come in any
 * order (only those after the oldest boundary matter); `status` is the check's stored status now.
 */
export function downtimesByBoundary(input: {
  boundaries: number[]
  flips: DowntimeFlip[]
  status: StoredStatus
  created: number
  now: number
}): DowntimeRecord[] {
  const { boundaries, now } = input
  const records: DowntimeRecord[] = boundaries.map((boundary, i) => ({
    boundary,
    end: i === 0 ? now : boundaries[i - 1],
    // Created after this period ended: it did not exist during it.
    noData: i > 0 && input.created > boundaries[i - 1],
    durationMs: 0,
    count: 0,
  }))
  if (records.length === 0) return records
  const oldest = boundaries[boundaries.length - 1]
  type Event = { at: number; old: StoredStatus | null }
  const events: Event[] = [
    ...boundaries.map((at) => ({ at, old: null })),
    ...input.flips
      .filter((f) => f.created > oldest)
      .map((f) => ({ at: f.created, old: f.old_status })),
  ]
  // Newest first; at equal instants a flip before a boundary marker, so the flip's interval ends there.
  events.sort((a, b) => b.at - a.at || Number(a.old === null) - Number(b.old === null))
  let at = now
  let status = input.status
  for (const e of events) {
    if (e.at > now) continue
    if (status === 'down' && at > e.at) {
      const record = records.find((r) => r.boundary <= e.at)
      if (record) {
        record.durationMs += at - e.at
        record.count += 1
      }
    }
    at = e.at
    if (e.old !== null) status = e.old
  }
  return records
}

/** Share of the period not spent down, in percent (0..100); the period is [boundary, end). */
export function uptimePercent(
  record: Pick<DowntimeRecord, 'boundary' | 'durationMs'>,
  periodEnd: number,
): number {
  const length = periodEnd - record.boundary
  if (length <= 0) return 100
  return Math.max(0, Math.min(100, ((length - record.durationMs) / length) * 100))
}
