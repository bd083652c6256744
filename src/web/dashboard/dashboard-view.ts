/**
 * The pure half of the checks dashboard: reading its query string (tags, search text, sort,
 * compact), filtering and sorting checks, counting statuses and summarising a schedule. Mirrors
 * Healthchecks' my_checks: tag filters are ANDed, the search looks at name, slug and UUID, name
 * sorting is natural and case-insensitive, never-pinged checks sort last by last ping, and down
 * checks always come first. Pure: `now` is a parameter.
 */
import { type DisplayStatus, statusAt, tagsList } from '../../checks/index.js'
import type { Check } from '../../db/index.js'
import { formatDuration } from '../time-format.js'

export type SortKey = 'created' | 'name' | '-name' | 'last_ping' | '-last_ping' | 'status'
export const SORT_KEYS: readonly SortKey[] = [
  'created',
  'name',
  '-name',
  'last_ping',
  '-last_ping',
  'status',
]

export interface DashboardQuery {
  tags: string[]
  search: string
  sort: SortKey
  compact: boolean
}

/** Query values arrive as a string, a list of strings or not at all. */
function values(v: unknown): string[] {
  if (typeof v === 'string') return [v]
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string')
  return []
}

/** Whatever the query holds, a usable query (unknown sorts fall back to creation order). */
export function parseDashboardQuery(query: unknown): DashboardQuery {
  const q = (query ?? {}) as Record<string, unknown>
  const sort = values(q.sort)[0] ?? ''
  return {
    tags: [...new Set(values(q.tag).filter((t) => t !== '' && t.length <= 200))],
    search: (values(q.search)[0] ?? '').trim().slice(0, 200),
    sort: (SORT_KEYS as readonly string[]).includes(sort) ? (sort as SortKey) : 'created',
    compact: values(q.compact)[0] === '1',
  }
}

/** The query string for `query` with some fields changed, '' when everything is default. */
export function dashboardQueryString(query: DashboardQuery, change: Partial<DashboardQuery> = {}) {
  const q = { ...query, ...change }
  const params = new URLSearchParams()
  for (const t of q.tags) params.append('tag', t)
  if (q.search) params.set('search', q.search)
  if (q.sort !== 'created') params.set('sort', q.sort)
  if (q.compact) params.set('compact', '1')
  const s = params.toString()
  return s ? `?${s}` : ''
}

export interface DashboardRow {
  check: Check
  status: DisplayStatus
  /** A start is pending (Healthchecks' "started" dots). */
  started: boolean
  integrations: number
  /** Down while a parent is down: the parent's name (dependency-grouping.ts). */
  heldBy?: string
  /** Shown indented under that parent's row. */
  heldUnder?: boolean
}

export function dashboardRow(check: Check, channelCount: number, now: number): DashboardRow {
  return {
    check,
    status: statusAt(check, now),
    started: statusAt(check, now, true) === 'started',
    integrations: channelCount,
  }
}

/** Rows carrying every tag of the filter and containing the search text in name, slug or UUID. */
export function filterRows(rows: DashboardRow[], query: DashboardQuery): DashboardRow[] {
  const needle = query.search.toLowerCase()
  return rows.filter(({ check }) => {
    if (query.tags.length > 0) {
      const have = new Set(tagsList(check.tags))
      if (!query.tags.every((t) => have.has(t))) return false
    }
    if (needle === '') return true
    return `${check.name}\n${check.slug}\n${check.code}`.toLowerCase().includes(needle)
  })
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' })

/** Worst first: what needs attention sorts to the top. */
const SEVERITY: Record<DisplayStatus, number> = {
  down: 0,
  grace: 1,
  started: 2,
  up: 3,
  new: 4,
  paused: 5,
}

export function sortRows(rows: DashboardRow[], sort: SortKey): DashboardRow[] {
  const byName = (a: DashboardRow, b: DashboardRow) =>
    collator.compare(a.check.name || a.check.code, b.check.name || b.check.code)
  const byCreated = (a: DashboardRow, b: DashboardRow) =>
    a.check.created - b.check.created || a.check.id - b.check.id
  const compare: Record<SortKey, (a: DashboardRow, b: DashboardRow) => number> = {
    created: byCreated,
    name: (a, b) => byName(a, b) || byCreated(a, b),
    '-name': (a, b) => byName(b, a) || byCreated(a, b),
    // Never pinged sorts last in both directions, as Healthchecks does.
    last_ping: (a, b) => nullsLast(a.check.last_ping, b.check.last_ping, 1) || byCreated(a, b),
    '-last_ping': (a, b) => nullsLast(a.check.last_ping, b.check.last_ping, -1) || byCreated(a, b),
    status: (a, b) => SEVERITY[a.status] - SEVERITY[b.status] || byCreated(a, b),
  }
  const isDown = (r: DashboardRow) => (r.status === 'down' ? 0 : 1)
  return [...rows].sort((a, b) => isDown(a) - isDown(b) || compare[sort](a, b))
}

function nullsLast(a: number | null, b: number | null, direction: 1 | -1): number {
  if (a === null || b === null) return (a === null ? 1 : 0) - (b === null ? 1 : 0)
  return (a - b) * direction
}

export interface StatusCounts {
  up: number
  late: number
  down: number
  other: number
}

/** Up / late (grace) / down, and the rest (new, paused). */
export function countStatuses(statuses: DisplayStatus[]): StatusCounts {
  const counts: StatusCounts = { up: 0, late: 0, down: 0, other: 0 }
  for (const s of statuses) {
    if (s === 'up' || s === 'started') counts.up++
    else if (s === 'grace') counts.late++
    else if (s === 'down') counts.down++
    else counts.other++
  }
  return counts
}

/** "every 1 day, grace 1 hour", or the expression with its zone. */
export function scheduleSummary(
  check: Pick<Check, 'kind' | 'timeout' | 'grace' | 'schedule' | 'tz'>,
): string {
  const grace = `grace ${formatDuration(check.grace)}`
  if (check.kind === 'simple') return `every ${formatDuration(check.timeout)}, ${grace}`
  return `${check.schedule.replace(/\s*\n\s*/g, '; ')} (${check.tz}), ${grace}`
}

/** All tags of the project's checks, sorted case-insensitively. */
export function allTags(checks: Pick<Check, 'tags'>[]): string[] {
  return [...new Set(checks.flatMap((c) => tagsList(c.tags)))].sort(collator.compare)
}
