/**
 * Use cases behind the full event log page and the live refresh of both event logs: one page of
 * a check's filtered events as rows (Healthchecks' /checks/<c>/log/, up to 1,000 retained pings
 * with flips and notifications), and the events after a cursor (Healthchecks' `u=` parameter).
 * The live poll first asks hasEventsAfter (three indexed "anything newer?" questions), so an idle
 * poll costs no more than that.
 */
import { type CheckEvent, hasEventsAfter, listCheckEvents, pingExtras } from '../../checks/index.js'
import type { Ctx } from '../../context.js'
import type { Check, Project } from '../../db/index.js'
import { applyEventLogFilter, type EventLogFilter } from './event-log-filter.js'
import {
  cursorOf,
  type EventCursor,
  type EventRowData,
  eventRow,
  eventsAfter,
  formatCursor,
} from './event-rows.js'

export const LOG_EVENTS_PER_PAGE = 100

export interface CheckLog {
  rows: EventRowData[]
  /** Events matching the filter, on every page. */
  total: number
  page: number
  pages: number
  cursor: string
}

async function rowsOf(
  ctx: Ctx,
  check: Check,
  events: CheckEvent[],
  tz: string,
): Promise<EventRowData[]> {
  const extras = await pingExtras(
    ctx,
    events.flatMap((e) => (e.type === 'ping' ? [e.ping.id] : [])),
  )
  return events.map((e) => eventRow(e, check.code, extras, tz))
}

export async function loadCheckLog(
  ctx: Ctx,
  check: Check,
  project: Project,
  filter: EventLogFilter,
  tz: string,
): Promise<CheckLog> {
  const all = await listCheckEvents(ctx, check, project.ping_log_limit)
  const matching = applyEventLogFilter(all.events, filter)
  const pages = Math.max(1, Math.ceil(matching.length / LOG_EVENTS_PER_PAGE))
  const page = Math.min(filter.page, pages)
  const shown = matching.slice((page - 1) * LOG_EVENTS_PER_PAGE, page * LOG_EVENTS_PER_PAGE)
  return {
    rows: await rowsOf(ctx, check, shown, tz),
    total: matching.length,
    page,
    pages,
    cursor: formatCursor(cursorOf(all.events)),
  }
}

/** Rows for the events after `cursor` that pass `filter`, newest first, and the next cursor. */
export async function loadNewEvents(
  ctx: Ctx,
  check: Check,
  project: Project,
  cursor: EventCursor,
  filter: EventLogFilter,
  tz: string,
): Promise<{ rows: EventRowData[]; cursor: string }> {
  if (!(await hasEventsAfter(ctx, check.id, cursor)))
    return { rows: [], cursor: formatCursor(cursor) }
  const all = await listCheckEvents(ctx, check, project.ping_log_limit)
  const fresh = eventsAfter(all.events, cursor)
  const shown = applyEventLogFilter(fresh, { ...filter, fromMs: null, toMs: null })
  return {
    rows: await rowsOf(ctx, check, shown, tz),
    // Past every new event, shown or filtered out, so none is fetched twice.
    cursor: formatCursor(cursorOf(fresh, cursor)),
  }
}
