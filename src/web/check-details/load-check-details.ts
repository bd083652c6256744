/**
 * Use case: everything the check details page shows: the check's event log (one page of it,
 * with exit statuses and body previews), its integrations, and its downtime by day (90 days)
 * and by month (3 months) in the viewer's zone. A fixed number of queries, whatever the history.
 */

import { listWarnings } from '../../alerts/index.js'
import type { ListedPing } from '../../checks/index.js'
import {
  type CheckEvent,
  type CheckHold,
  channelCodesOf,
  checkHold,
  checkRelatives,
  type DowntimeRecord,
  dayBoundaries,
  downtimesByBoundary,
  listCheckEvents,
  monthBoundaries,
  type PingExtras,
  pingExtras,
} from '../../checks/index.js'
import type { Ctx } from '../../context.js'
import type { Check, Project, Warning } from '../../db/index.js'
import type { Baseline } from '../../insight/index.js'
import { cursorOf, type EventRowData, eventRow, formatCursor } from './event-rows.js'
import { runBaselineOf } from './run-baseline.js'

export const EVENTS_PER_PAGE = 50
export const STRIP_DAYS = 90
export const MONTHS = 3

export interface CheckDetails {
  events: CheckEvent[]
  page: number
  pages: number
  extras: Map<number, PingExtras>
  /** The page's events as table rows (event-rows.ts). */
  rows: EventRowData[]
  /** Where the live refresh starts: the newest event ids of the whole log. */
  cursor: string
  /** All retained pings, newest first (for the duration chart). */
  pings: ListedPing[]
  channelCount: number
  /** The checks it depends on and the checks that depend on it (issue 14). */
  relatives: Awaited<ReturnType<typeof checkRelatives>>
  days: DowntimeRecord[]
  months: DowntimeRecord[]
  /** The learned duration band (run-baseline.ts), null with fewer than 20 runs. */
  baseline: Baseline | null
  /** Snooze and maintenance windows (hold-card.tsx). */
  hold: CheckHold
  /** The newest warnings (late, …), newest first. */
  warnings: Warning[]
}

export async function loadCheckDetails(
  ctx: Ctx,
  check: Check,
  project: Project,
  viewer: { tz: string; page: number },
  now: number,
): Promise<CheckDetails> {
  const all = await listCheckEvents(ctx, check, project.ping_log_limit)
  const pages = Math.max(1, Math.ceil(all.events.length / EVENTS_PER_PAGE))
  const page = Math.min(Math.max(1, viewer.page), pages)
  const events = all.events.slice((page - 1) * EVENTS_PER_PAGE, page * EVENTS_PER_PAGE)
  const pingIds = events.flatMap((e) => (e.type === 'ping' ? [e.ping.id] : []))
  const downtime = (boundaries: number[]) =>
    downtimesByBoundary({
      boundaries,
      flips: all.flips,
      status: check.status,
      created: check.created,
      now,
    })
  const extras = await pingExtras(ctx, pingIds)
  return {
    events,
    page,
    pages,
    extras,
    rows: events.map((e) => eventRow(e, check.code, extras, viewer.tz)),
    cursor: formatCursor(cursorOf(all.events)),
    pings: all.pings,
    channelCount: (await channelCodesOf(ctx.db.kysely, check.id)).length,
    relatives: await checkRelatives(ctx.db.kysely, check.id),
    days: downtime(dayBoundaries(now, viewer.tz, STRIP_DAYS)),
    months: downtime(monthBoundaries(now, viewer.tz, MONTHS)),
    baseline: runBaselineOf(check, all.pings),
    hold: await checkHold(ctx, check, project, now),
    warnings: await listWarnings(ctx.db.kysely, check.id, 10),
  }
}
