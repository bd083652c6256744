/**
 * Use case: a check's event log for the details page: its retained pings (with durations, from
 * listPings), its status changes (listFlips) and its notifications (with the channel), merged
 * newest first, flips after pings at the same instant, as Healthchecks' event log. Also the
 * extras shown only for one page of pings (exit status and the start of the body), and one ping
 * by number for the body viewer. A few queries per page, never one per event.
 */
import type { Ctx } from '../context.js'
import type { Check, Flip, Ping } from '../db/index.js'
import { listFlips } from './list-flips.js'
import { type ListedPing, listPings, MAX_API_PINGS } from './list-pings.js'
import { pairingWindowMs, type RunTimeInput } from './run-time.js'

export interface ListedNotification {
  id: number
  created: number
  check_status: string
  status: string
  error: string
  channelKind: string
  channelName: string
}

export type CheckEvent =
  | { type: 'ping'; created: number; ping: ListedPing }
  | { type: 'flip'; created: number; flip: Flip }
  | { type: 'notification'; created: number; notification: ListedNotification }

const ORDER = { ping: 0, flip: 1, notification: 2 } as const

export interface CheckEvents {
  events: CheckEvent[]
  pings: ListedPing[]
  flips: Flip[]
}

export async function listCheckEvents(
  ctx: Ctx,
  check: Pick<Check, 'id'> & RunTimeInput,
  pingLogLimit: number,
): Promise<CheckEvents> {
  const limit = Math.min(pingLogLimit, MAX_API_PINGS)
  const pings = await listPings(ctx, check.id, limit, pairingWindowMs(check))
  const flips = await listFlips(ctx, check.id, { start: null, end: null, seconds: null })
  const notifications = await ctx.db.kysely
    .selectFrom('notifications')
    .innerJoin('channels', 'channels.id', 'notifications.channel_id')
    .select([
      'notifications.id as id',
      'notifications.created as created',
      'notifications.check_status as check_status',
      'notifications.status as status',
      'notifications.error as error',
      'channels.kind as channelKind',
      'channels.name as channelName',
    ])
    .where('notifications.check_id', '=', check.id)
    .orderBy('notifications.id', 'desc')
    .limit(MAX_API_PINGS)
    .execute()
  const events: CheckEvent[] = [
    ...pings.map((ping) => ({ type: 'ping' as const, created: ping.created, ping })),
    ...flips.map((flip) => ({ type: 'flip' as const, created: flip.created, flip })),
    ...notifications.map((notification) => ({
      type: 'notification' as const,
      created: notification.created,
      notification,
    })),
  ]
  events.sort((a, b) => b.created - a.created || ORDER[a.type] - ORDER[b.type])
  return { events, pings, flips }
}

export interface PingExtras {
  exitstatus: number | null
  /** The first bytes of the body as text ('' without a body). */
  preview: string
}

export const BODY_PREVIEW_BYTES = 200

/** Exit status and body preview of the listed pings (by id). */
export async function pingExtras(ctx: Ctx, pingIds: number[]): Promise<Map<number, PingExtras>> {
  const out = new Map<number, PingExtras>()
  if (pingIds.length === 0) return out
  const rows = await ctx.db.kysely
    .selectFrom('pings')
    .select(['id', 'exitstatus', 'object_size'])
    .select((eb) =>
      eb.fn<Buffer | null>('substr', ['body', eb.val(1), eb.val(BODY_PREVIEW_BYTES)]).as('head'),
    )
    .where('id', 'in', pingIds)
    .execute()
  for (const r of rows) {
    // A body in object storage is not fetched for a list (one request per row): its size says
    // it is there, and the ping's own page shows it.
    const inStore = r.object_size !== null && r.object_size > 0
    out.set(r.id, {
      exitstatus: r.exitstatus,
      preview: r.head
        ? Buffer.from(r.head).toString('utf8')
        : inStore
          ? `(${r.object_size} bytes in object storage)`
          : '',
    })
  }
  return out
}

/** Ping number `n` of the check, without its body. */
export async function findPingByNumber(
  ctx: Ctx,
  checkId: number,
  n: number,
): Promise<Omit<Ping, 'body' | 'object_size' | 'object_key' | 'body_waiting'> | null> {
  if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) return null
  const row = await ctx.db.kysely
    .selectFrom('pings')
    .select([
      'id',
      'check_id',
      'n',
      'created',
      'kind',
      'scheme',
      'remote_addr',
      'method',
      'ua',
      'exitstatus',
      'rid',
    ])
    .where('check_id', '=', checkId)
    .where('n', '=', n)
    .orderBy('id', 'desc')
    .executeTakeFirst()
  return row ?? null
}

/**
 * Whether the check has a ping, flip or notification with an id above the given ones (the newest
 * a page has shown): three indexed lookups of one row, so the event logs' live poll costs no
 * more than that while nothing happens.
 */
export async function hasEventsAfter(
  ctx: Ctx,
  checkId: number,
  after: { ping: number; flip: number; notification: number },
): Promise<boolean> {
  for (const [table, id] of [
    ['pings', after.ping],
    ['flips', after.flip],
    ['notifications', after.notification],
  ] as const) {
    const row = await ctx.db.kysely
      .selectFrom(table)
      .select('id')
      .where('check_id', '=', checkId)
      .where('id', '>', id)
      .limit(1)
      .executeTakeFirst()
    if (row) return true
  }
  return false
}
