/**
 * What a status page shows, as one view-model for the HTML page, the JSON and the Atom feed:
 * the page's checks with public names, current state, 90-day strip and uptime, the incidents
 * derived from their flips in that window, and the manual notes. Four queries whatever the
 * number of checks (page checks, tag checks, flips, notes); the edge caches the result.
 */
import { type DowntimeRecord, statusAt } from '../checks/index.js'
import type { Ctx } from '../context.js'
import type { StatusPage } from '../db/index.js'
import { flipsSince, type Note, statusPageChecks, statusPageNotes } from './queries.js'
import {
  type AutoIncident,
  incidentsFromFlips,
  type PageState,
  type PublicState,
  pageState,
  publicState,
  stripDays,
  stripStart,
  stripUptime,
} from './rules.js'

/** How many incidents and notes a page shows at most. */
export const SHOWN = { incidents: 50, notes: 20 }

export interface StatusViewCheck {
  name: string
  state: PublicState
  /** Oldest first, STRIP_DAYS of them. */
  days: DowntimeRecord[]
  uptime: number | null
}

export interface StatusView {
  /** The page's code: stable ids for feed entries, never shown. */
  code: string
  slug: string
  title: string
  description: string
  private: boolean
  state: PageState
  checks: StatusViewCheck[]
  incidents: AutoIncident[]
  notes: Note[]
  /** When anything shown last changed (Atom's feed `updated`). */
  updated: number
  now: number
}

export async function loadStatusView(ctx: Ctx, page: StatusPage): Promise<StatusView> {
  const now = ctx.clock.now()
  const since = stripStart(now)
  const k = ctx.db.kysely
  const listed = await statusPageChecks(k, page)
  const [flips, notes] = await Promise.all([
    flipsSince(
      k,
      listed.map((l) => l.check.id),
      since,
    ),
    statusPageNotes(k, page.id, SHOWN.notes),
  ])
  const flipsOf = new Map<number, typeof flips>()
  for (const f of flips) flipsOf.set(f.check_id, [...(flipsOf.get(f.check_id) ?? []), f])
  const checks = listed.map(({ check, publicName }) => {
    const own = flipsOf.get(check.id) ?? []
    const days = stripDays({ flips: own, status: check.status, created: check.created, now })
    return {
      name: publicName,
      state: publicState(statusAt(check, now)),
      days,
      uptime: stripUptime(days, check.created, now),
    }
  })
  const incidents = incidentsFromFlips(
    listed.map(({ check, publicName }) => ({
      name: publicName,
      key: String(check.id),
      status: check.status,
      flips: flipsOf.get(check.id) ?? [],
    })),
    since,
    now,
  ).slice(0, SHOWN.incidents)
  const changes = [
    page.updated,
    ...flips.map((f) => f.created),
    ...notes.flatMap((n) => n.updates.map((u) => u.created)),
  ]
  return {
    code: page.code,
    slug: page.slug,
    title: page.title,
    description: page.description,
    private: page.token_hash !== null,
    state: pageState(checks.map((c) => c.state)),
    checks,
    incidents,
    notes,
    updated: Math.max(...changes),
    now,
  }
}
