/**
 * The full event log's filters (Healthchecks' /checks/<c>/log/ and log_events): which kinds of
 * event to show (ping kinds, `notification`, `flip`) and a date range in the viewer's zone, read
 * from the query string so the form works without JavaScript. With no filter in the query it
 * shows what Healthchecks' first load shows: pings of every kind and status changes, no
 * notifications. Pure: the zone is a parameter.
 */

import type { CheckEvent } from '../../checks/index.js'
import { localMidnight } from '../../checks/index.js'

export const EVENT_KINDS = [
  'success',
  'fail',
  'start',
  'log',
  'ign',
  'flip',
  'notification',
] as const
export type EventKind = (typeof EVENT_KINDS)[number]

export const KIND_LABELS: Record<EventKind, string> = {
  success: 'OK',
  fail: 'Failure',
  start: 'Started',
  log: 'Log',
  ign: 'Ignored',
  flip: 'Status changes',
  notification: 'Notifications',
}

const DEFAULT_KINDS: EventKind[] = ['success', 'fail', 'start', 'log', 'ign', 'flip']

export interface EventLogFilter {
  kinds: Set<EventKind>
  /** `YYYY-MM-DD` as typed, or ''. */
  from: string
  to: string
  /** Epoch ms, inclusive: the start of `from` in the viewer's zone. */
  fromMs: number | null
  /** Epoch ms, exclusive: the end of `to` in the viewer's zone. */
  toMs: number | null
  page: number
}

export type FilterError = { kind: 'invalid-filter'; message: string }

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/

function list(value: unknown): string[] {
  if (value === undefined) return []
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string')
}

function parseDate(raw: string, tz: string, dayOffset: number): number | null | undefined {
  if (raw === '') return null
  const m = DATE_RE.exec(raw)
  if (!m) return undefined
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  // Healthchecks' slider spans 2010–2030; any real calendar date from 2000 to 2999 is fine here.
  if (y < 2000 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > 31) return undefined
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return undefined
  return localMidnight(y, mo - 1, d + dayOffset, tz)
}

/** Reads `kind` (repeated), `filtered`, `from`, `to` and `page`. */
export function parseEventLogFilter(
  query: unknown,
  tz: string,
): { ok: true; value: EventLogFilter } | { ok: false; error: FilterError } {
  const q = (query ?? {}) as Record<string, unknown>
  const bad = (message: string) => ({
    ok: false as const,
    error: { kind: 'invalid-filter' as const, message },
  })
  const filtered = q.filtered !== undefined
  const kinds = new Set<EventKind>()
  for (const k of list(q.kind)) {
    if (!(EVENT_KINDS as readonly string[]).includes(k)) return bad(`Unknown event kind “${k}”.`)
    kinds.add(k as EventKind)
  }
  if (!filtered && kinds.size === 0) for (const k of DEFAULT_KINDS) kinds.add(k)
  const from = typeof q.from === 'string' ? q.from.trim() : ''
  const to = typeof q.to === 'string' ? q.to.trim() : ''
  const fromMs = parseDate(from, tz, 0)
  if (fromMs === undefined) return bad('“From” must be a date such as 2026-01-31.')
  const toMs = parseDate(to, tz, 1)
  if (toMs === undefined) return bad('“To” must be a date such as 2026-01-31.')
  if (fromMs !== null && toMs !== null && fromMs >= toMs)
    return bad('“From” must not be after “To”.')
  const rawPage = q.page
  const page =
    typeof rawPage === 'string' && /^\d{1,6}$/.test(rawPage) ? Math.max(1, Number(rawPage)) : 1
  return { ok: true, value: { kinds, from, to, fromMs, toMs, page } }
}

export function eventKind(e: CheckEvent): EventKind {
  if (e.type !== 'ping') return e.type
  // Vigil's progress pings are filtered with the log pings (they neither start nor finish a run).
  return e.ping.kind === 'progress' ? 'log' : e.ping.kind
}

export function applyEventLogFilter(events: CheckEvent[], f: EventLogFilter): CheckEvent[] {
  return events.filter(
    (e) =>
      f.kinds.has(eventKind(e)) &&
      (f.fromMs === null || e.created >= f.fromMs) &&
      (f.toMs === null || e.created < f.toMs),
  )
}

/** The query string of these filters (without the page), for pager links and the live script. */
export function filterQuery(f: EventLogFilter): URLSearchParams {
  const q = new URLSearchParams()
  q.set('filtered', '1')
  for (const k of EVENT_KINDS) if (f.kinds.has(k)) q.append('kind', k)
  if (f.from) q.set('from', f.from)
  if (f.to) q.set('to', f.to)
  return q
}
