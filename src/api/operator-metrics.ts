/**
 * Use case behind `GET /api/vN/metrics/`: the operator's view of the whole instance, as
 * Healthchecks' `metrics` view: the clock in unix seconds, the newest ping and notification ids
 * (null on an empty table) and how many flips wait for the worker. Access control is the route's.
 */
import type { Ctx } from '../context.js'

export interface OperatorMetrics {
  ts: number
  max_ping_id: number | null
  max_notification_id: number | null
  num_unprocessed_flips: number
}

export async function readOperatorMetrics(ctx: Ctx): Promise<OperatorMetrics> {
  const k = ctx.db.kysely
  const [pings, notifications, flips] = await Promise.all([
    k
      .selectFrom('pings')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst(),
    k
      .selectFrom('notifications')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst(),
    // Served by the partial index flips_unprocessed_idx.
    k
      .selectFrom('flips')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('processed', 'is', null)
      .executeTakeFirstOrThrow(),
  ])
  const id = (v: unknown) => (v === null || v === undefined ? null : Number(v))
  return {
    ts: Math.floor(ctx.clock.now() / 1000),
    max_ping_id: id(pings?.id),
    max_notification_id: id(notifications?.id),
    num_unprocessed_flips: Number(flips.n),
  }
}
