/**
 * Pure: the calendar of e-mail reports in the user's time zone: when the next report goes out
 * (Healthchecks' Profile.choose_next_report_date: 09:00 local plus 0–119 minutes of jitter, on
 * the next day / Monday / 1st), the period starts a report covers (month_boundaries,
 * week_boundaries, day_boundaries) and the periods' names. Downtime per period is
 * checks/downtime.ts, shared with the details page.
 */

import type { ReportPeriod } from '../db/index.js'
import { canEvaluateIn, wallTimeOf } from '../schedule/index.js'
import { dayBoundaries, localMidnight, monthBoundaries } from './downtime.js'

const DAY = 86_400_000
export type ReportKind = Exclude<ReportPeriod, 'off'>

/** The user's zone, or UTC when this server cannot evaluate it (as Healthchecks falls back). */
export function reportZone(tz: string): string {
  return tz && canEvaluateIn(tz) ? tz : 'UTC'
}

/** The instant a clock in `tz` shows the wall time `wall` (naive ms); in a gap, just after it. */
export function wallToInstant(wall: number, tz: string): number {
  const d = new Date(wall)
  const midnight = localMidnight(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), tz)
  const sinceMidnight = wall - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
  // Walk from local midnight in real time, then correct by the offset change (DST) in between.
  const guess = midnight + sinceMidnight
  const drift = wallTimeOf(guess, tz) - wall
  const fixed = guess - drift
  return wallTimeOf(fixed, tz) === wall ? fixed : guess
}

/**
 * When the next report is due after `now`: 09:00 + `jitterMinutes` (0–119) local, on the next day
 * (daily), the next Monday (weekly) or the next 1st (monthly).
 */
export function chooseNextReportDate(
  kind: ReportKind,
  tz: string,
  now: number,
  jitterMinutes: number,
): number {
  const zone = reportZone(tz)
  const wall = wallTimeOf(now, zone)
  let day = Math.floor(wall / DAY) * DAY
  for (;;) {
    day += DAY
    const d = new Date(day)
    if (kind === 'daily') break
    if (kind === 'weekly' && d.getUTCDay() === 1) break
    if (kind === 'monthly' && d.getUTCDate() === 1) break
  }
  return wallToInstant(day + 9 * 3_600_000 + jitterMinutes * 60_000, zone)
}

/** Starts of the current and the previous `count - 1` local weeks (Mondays), newest first. */
export function weekBoundaries(now: number, tz: string, count: number): number[] {
  const wall = new Date(wallTimeOf(now, tz))
  const sinceMonday = (wall.getUTCDay() + 6) % 7
  return Array.from({ length: count }, (_, i) =>
    localMidnight(
      wall.getUTCFullYear(),
      wall.getUTCMonth(),
      wall.getUTCDate() - sinceMonday - 7 * i,
      tz,
    ),
  )
}

/** The current period's start and the previous ones', newest first. */
export function periodBoundaries(kind: ReportKind, now: number, tz: string, count = 3): number[] {
  const zone = reportZone(tz)
  if (kind === 'monthly') return monthBoundaries(now, zone, count)
  if (kind === 'weekly') return weekBoundaries(now, zone, count)
  return dayBoundaries(now, zone, count)
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

/** "January 2026", "the week of 5 January 2026", "15 January 2026". */
export function periodLabel(kind: ReportKind, boundary: number, tz: string): string {
  const d = new Date(wallTimeOf(boundary, reportZone(tz)))
  const date = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`
  if (kind === 'monthly') return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`
  if (kind === 'weekly') return `the week of ${date}`
  return date
}

/** Short column title: "Jan 2026", "Week of 5 Jan", "15 Jan". */
export function periodShortLabel(kind: ReportKind, boundary: number, tz: string): string {
  const d = new Date(wallTimeOf(boundary, reportZone(tz)))
  const mon = MONTHS[d.getUTCMonth()].slice(0, 3)
  if (kind === 'monthly') return `${mon} ${d.getUTCFullYear()}`
  if (kind === 'weekly') return `Week of ${d.getUTCDate()} ${mon}`
  return `${d.getUTCDate()} ${mon}`
}

/** Local wall time as "2026-01-15 09:30" in the zone. */
export function formatLocal(ms: number, tz: string): string {
  return new Date(wallTimeOf(ms, reportZone(tz))).toISOString().slice(0, 16).replace('T', ' ')
}
