/**
 * Use case: a check's recent pings for `GET /api/vN/checks/<uuid>/pings/` and one ping's body for
 * `…/pings/<n>/body` (Healthchecks' pings and ping_body views). Durations pair a success or
 * failure with the last earlier `start` of the same run id (null matches null) within 72 hours:
 * first within the listed pings, then, for at most 10 that have no earlier event in the list,
 * further back; with more than 10 such misses Healthchecks shows no durations at all, and so do we.
 * A check with a longer `max_runtime` pairs over that instead (run-time.ts pairingWindowMs).
 */
import type { Ctx } from '../context.js'
import type { PingKind } from '../db/index.js'
import { readPingBody } from '../objects/index.js'

/** Healthchecks' MAX_DURATION: a start older than this does not pair. */
export const MAX_DURATION_MS = 72 * 3600 * 1000
/** The pings API never returns more than this many, whatever the log limit. */
export const MAX_API_PINGS = 1000

export interface ListedPing {
  id: number
  n: number
  created: number
  kind: PingKind
  scheme: string
  remote_addr: string | null
  method: string
  ua: string
  rid: string | null
  hasBody: boolean
  /** ms between the paired start and this ping, or null. */
  durationMs: number | null
}

type Event = Pick<ListedPing, 'id' | 'created' | 'kind' | 'rid'>

const isEnd = (kind: PingKind): boolean => kind === 'success' || kind === 'fail'

/** Newest first, at most min(limit, 1000); starts pair with finishes up to `windowMs` apart. */
export async function listPings(
  ctx: Ctx,
  checkId: number,
  limit: number,
  windowMs = MAX_DURATION_MS,
): Promise<ListedPing[]> {
  const k = ctx.db.kysely
  const rows = await k
    .selectFrom('pings')
    .select(['id', 'n', 'created', 'kind', 'scheme', 'remote_addr', 'method', 'ua', 'rid'])
    .select((eb) => eb.fn.coalesce(eb.fn('length', ['body']), eb.val(0)).as('body_size'))
    .select('object_size')
    .where('check_id', '=', checkId)
    .orderBy('id', 'desc')
    .limit(Math.max(0, Math.min(limit, MAX_API_PINGS)))
    .execute()
  const pings: ListedPing[] = rows.map(({ body_size, object_size, ...p }) => ({
    ...p,
    // A body in object storage counts without fetching it (Healthchecks' has_body).
    hasBody: Number(body_size) > 0 || Number(object_size ?? 0) > 0,
    durationMs: null,
  }))

  // Oldest first through the list: the start (or null after an end) last seen per run id.
  const starts = new Map<string | null, number | null>()
  const misses: ListedPing[] = []
  for (let i = pings.length - 1; i >= 0; i--) {
    const p = pings[i]
    if (p.kind === 'start') {
      starts.set(p.rid, p.created)
    } else if (isEnd(p.kind)) {
      if (!starts.has(p.rid)) {
        misses.push(p)
      } else {
        const start = starts.get(p.rid) ?? null
        if (start !== null && p.created - start < windowMs) p.durationMs = p.created - start
      }
      starts.set(p.rid, null)
    }
  }
  if (misses.length > 10) {
    for (const p of pings) p.durationMs = null
    return pings
  }
  if (misses.length > 0) {
    // A miss has no earlier start/end of its run id in the list, so only older rows can pair it.
    const oldestListed = pings[pings.length - 1]
    const earliest = Math.min(...misses.map((p) => p.created)) - windowMs
    const older: Event[] = await k
      .selectFrom('pings')
      .select(['id', 'created', 'kind', 'rid'])
      .where('check_id', '=', checkId)
      .where('id', '<', oldestListed.id)
      .where('created', '>=', earliest)
      .orderBy('id', 'desc')
      .limit(10_000)
      .execute()
    for (const p of misses) p.durationMs = durationOf(p, older, windowMs)
  }
  return pings
}

/** Healthchecks' Ping.duration: walk back from the ping; the first event of its run id decides. */
function durationOf(p: ListedPing, olderNewestFirst: Event[], windowMs: number): number | null {
  if (p.n === 1) return null
  for (const e of olderNewestFirst) {
    if (e.id >= p.id || e.created < p.created - windowMs) continue
    if (e.rid !== p.rid) continue
    if (e.kind === 'start') return p.created - e.created
    if (isEnd(e.kind)) return null
  }
  return null
}

export type PingBodyError = { kind: 'ping-not-found' } | { kind: 'body-unavailable' }

/**
 * The stored body of ping number `n`, from the database or object storage: not found when `n` is
 * at or below the retention threshold (n_pings − ping_log_limit), when there is no such ping, or
 * when its body is empty; unavailable when its object cannot be read now.
 */
export async function getPingBody(
  ctx: Ctx,
  check: { id: number; code: string; n_pings: number },
  n: number,
  pingLogLimit: number,
): Promise<{ ok: true; value: Buffer } | { ok: false; error: PingBodyError }> {
  // Ping numbers are 32-bit in the schema; a larger one cannot exist (and PostgreSQL would refuse it).
  if (n <= check.n_pings - pingLogLimit || n > 2_147_483_647) {
    return { ok: false, error: { kind: 'ping-not-found' } }
  }
  const row = await ctx.db.kysely
    .selectFrom('pings')
    .select(['body', 'object_key', 'object_size'])
    .where('check_id', '=', check.id)
    .where('n', '=', n)
    .orderBy('id', 'desc')
    .executeTakeFirst()
  if (!row) return { ok: false, error: { kind: 'ping-not-found' } }
  const body = await readPingBody(ctx, { ...row, n, checkCode: check.code })
  if (!body.ok) return body
  if (body.value === null) return { ok: false, error: { kind: 'ping-not-found' } }
  return { ok: true, value: body.value }
}
