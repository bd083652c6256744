/**
 * Pure rules of public status pages: the public state of a check and of a page, the 90-day strip
 * (one UTC day a bar, from the details page's downtime arithmetic in checks/), uptime over the
 * strip, incidents derived from flips, and what a slug and a note state may be. No I/O: `now` is
 * a parameter. Healthchecks has no status pages (its #1151); the states follow its badge states.
 */
import { type DisplayStatus, type DowntimeRecord, downtimesByBoundary } from '../checks/index.js'
import type { StoredStatus } from '../db/index.js'

/** Days in the strip and in the uptime percentage. */
export const STRIP_DAYS = 90
const DAY = 86_400_000

/** What a visitor is told about a check. */
export type PublicState = 'up' | 'late' | 'down' | 'paused' | 'new'

export const PUBLIC_STATE_LABEL: Record<PublicState, string> = {
  up: 'Operational',
  late: 'Late',
  down: 'Down',
  paused: 'Paused',
  new: 'No data yet',
}

/** A check's display status as a visitor sees it: a running job is still up, grace is late. */
export function publicState(status: DisplayStatus): PublicState {
  if (status === 'grace') return 'late'
  if (status === 'started') return 'up'
  return status
}

/** The page's headline state: the worst of its checks (paused and new ones do not count). */
export type PageState = 'operational' | 'degraded' | 'outage' | 'empty'

export const PAGE_STATE_LABEL: Record<PageState, string> = {
  operational: 'All systems operational',
  degraded: 'Some checks are late',
  outage: 'Some systems are down',
  empty: 'Nothing to report yet',
}

export function pageState(states: PublicState[]): PageState {
  if (states.includes('down')) return 'outage'
  if (states.includes('late')) return 'degraded'
  if (states.includes('up')) return 'operational'
  return 'empty'
}

export interface FlipLike {
  created: number
  old_status: StoredStatus
  new_status: StoredStatus
}

/** Starts of today and the STRIP_DAYS - 1 days before it in UTC, newest first (no DST in UTC). */
export function stripBoundaries(now: number): number[] {
  const today = Math.floor(now / DAY) * DAY
  return Array.from({ length: STRIP_DAYS }, (_, i) => today - i * DAY)
}

/** Downtime per UTC day of the last STRIP_DAYS days, oldest first. */
export function stripDays(input: {
  flips: FlipLike[]
  status: StoredStatus
  created: number
  now: number
}): DowntimeRecord[] {
  const boundaries = stripBoundaries(input.now)
  return downtimesByBoundary({ ...input, boundaries }).reverse()
}

/**
 * Uptime over the strip in percent, counting only the time the check existed (from its creation
 * or the strip's start, whichever is later, to `now`); null when there is no such time yet.
 */
export function stripUptime(days: DowntimeRecord[], created: number, now: number): number | null {
  if (days.length === 0) return null
  const start = Math.max(days[0].boundary, created)
  const observed = now - start
  if (observed <= 0) return null
  const down = days.reduce((sum, d) => sum + d.durationMs, 0)
  return Math.max(0, Math.min(100, ((observed - down) / observed) * 100))
}

/** Uptime as shown: two decimals, never "100.00%" while there was any downtime. */
export function formatUptime(percent: number | null): string {
  if (percent === null) return 'no data'
  const shown = Math.floor(percent * 100) / 100
  return `${shown.toFixed(2)}%`
}

export type DayState = 'up' | 'down' | 'nodata'

export function dayState(d: DowntimeRecord): DayState {
  if (d.noData) return 'nodata'
  return d.durationMs > 0 ? 'down' : 'up'
}

/** One bar of the strip's SVG: its x offset in the viewBox, its state and its accessible label. */
export interface StripBar {
  x: number
  state: DayState
  day: string
  label: string
}

/** The strip's viewBox width: STRIP_DAYS bars of 3 units with a 1-unit gap. */
export const STRIP_WIDTH = STRIP_DAYS * 4 - 1

/** The strip's bars, oldest first; `describe` turns a down time (ms) into words. */
export function stripBars(days: DowntimeRecord[], describe: (ms: number) => string): StripBar[] {
  return days.map((d, i) => {
    const state = dayState(d)
    const day = new Date(d.boundary).toISOString().slice(0, 10)
    const what =
      state === 'nodata' ? 'no data' : state === 'down' ? `down ${describe(d.durationMs)}` : 'up'
    return { x: i * BAR.step, state, day, label: `${day}: ${what}` }
  })
}

/** Bar width and gap in the strip's viewBox units; bars are BAR_HEIGHT high. */
export const BAR = { width: 3, step: 4, height: 20 }

/**
 * The strip drawn compactly: one SVG path for the days without downtime and one for the days
 * without data, a rectangle per run of such days (the page lays a pattern of gaps over them, so
 * the days still show apart; the strip's label sums them up), and the days with downtime on their
 * own, each with its label. 90 titled rectangles per check made a 100-check page 700 kB.
 */
export function stripPaths(bars: StripBar[]): { up: string; nodata: string; down: StripBar[] } {
  const path = (state: DayState) => {
    let d = ''
    let i = 0
    while (i < bars.length) {
      if (bars[i].state !== state) {
        i++
        continue
      }
      let j = i
      while (j + 1 < bars.length && bars[j + 1].state === state) j++
      const width = bars[j].x + BAR.width - bars[i].x
      d += `M${bars[i].x} 0h${width}v${BAR.height}h-${width}z`
      i = j + 1
    }
    return d
  }
  return { up: path('up'), nodata: path('nodata'), down: bars.filter((b) => b.state === 'down') }
}

/** An outage of one check, from its down flip to the flip that ended it (null: still down). */
export interface AutoIncident {
  /** The check's public name. */
  name: string
  /** The caller's key of the check (never shown: feeds derive stable entry ids from it). */
  key: string
  start: number
  end: number | null
  /** The down flip came before the window: `start` is the window's start. */
  startedBefore: boolean
}

/**
 * Incidents from flips: each flip to down opens one, the next flip of that check away from down
 * closes it. Flips are those of the window (`since` … `now`) in any order; `status` is the check's
 * stored status now, so a check down since before the window still shows its incident. Newest
 * first.
 */
export function incidentsFromFlips(
  checks: { name: string; key: string; status: StoredStatus; flips: FlipLike[] }[],
  since: number,
  now: number,
): AutoIncident[] {
  const out: AutoIncident[] = []
  for (const check of checks) {
    const flips = check.flips
      .filter((f) => f.created >= since && f.created <= now)
      .sort((a, b) => a.created - b.created)
    // Down at the window's start: the first flip in it leaves down, or there is none and the
    // check is down now.
    const first = flips[0]
    let open: AutoIncident | null = null
    if (first ? first.old_status === 'down' : check.status === 'down')
      open = { name: check.name, key: check.key, start: since, end: null, startedBefore: true }
    for (const f of flips) {
      if (f.new_status === 'down' && !open) {
        open = {
          name: check.name,
          key: check.key,
          start: f.created,
          end: null,
          startedBefore: false,
        }
      } else if (f.new_status !== 'down' && open) {
        out.push({ ...open, end: f.created })
        open = null
      }
    }
    if (open) out.push(open)
  }
  return out.sort((a, b) => b.start - a.start || a.name.localeCompare(b.name))
}

/** The window incidents and the strip cover: the strip's first day to `now`. */
export function stripStart(now: number): number {
  return stripBoundaries(now)[STRIP_DAYS - 1]
}

/** States of a manual incident note, in the order they usually go. */
export const NOTE_STATES = ['investigating', 'identified', 'monitoring', 'resolved'] as const
export type NoteState = (typeof NOTE_STATES)[number]

export function isNoteState(value: string): value is NoteState {
  return (NOTE_STATES as readonly string[]).includes(value)
}

export const NOTE_STATE_LABEL: Record<NoteState, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
}

/** 1–64 lower-case letters, digits and inner hyphens: safe in a URL path as it is. */
export function isValidSlug(slug: string): boolean {
  return /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/.test(slug)
}
