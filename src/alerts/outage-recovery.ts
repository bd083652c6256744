/**
 * Notices Vigil's own outage and recovers from it without an alert storm: when the newest
 * heartbeat of any worker is older than WORKER_OUTAGE_THRESHOLD, the gap is recorded in
 * `worker_outages` and every check whose deadline fell in it is re-armed (outage-rearm.ts; its
 * warning time `warn_at` follows the new deadline by checks.warnAtFor, as after a ping), all in
 * one transaction with this worker's heartbeat, so the gap is closed exactly once. Two workers
 * returning together race on the unique `started`; the loser finds the outage handled.
 */
import { warnAtFor } from '../checks/index.js'
import type { Ctx } from '../context.js'
import type { WorkerOutage } from '../db/index.js'
import { isOutage, rearmedAlertAfter } from './outage-rearm.js'

export interface OutageRecovery {
  outage: WorkerOutage
  rearmed: number
}

/**
 * Checks the heartbeat gap and, if it is an outage, records it and re-arms the checks. Returns
 * null when there was no outage (or another worker recorded it). Call before going-down.
 */
export async function recoverFromOutage(
  ctx: Ctx,
  workerId: string,
  role: string,
  started: number,
  now: number,
  /** When this process last handled deadlines (a long iteration is not an outage). */
  handledAt: number | null = null,
): Promise<OutageRecovery | null> {
  const threshold = ctx.config.workerOutageThresholdMs
  if (threshold <= 0) return null
  const k = ctx.db.kysely
  const last = await k
    .selectFrom('worker_heartbeats')
    .select((eb) => eb.fn.max('last_seen').as('last_seen'))
    .executeTakeFirst()
  const beat = last?.last_seen == null ? null : Number(last.last_seen)
  const lastSeen = beat === null ? handledAt : Math.max(beat, handledAt ?? beat)
  if (!isOutage(lastSeen, now, threshold) || lastSeen === null) return null

  return k.transaction().execute(async (trx) => {
    const outage = await trx
      .insertInto('worker_outages')
      .values({ started: lastSeen, ended: now, detected_by: workerId, checks_rearmed: 0 })
      .onConflict((oc) => oc.column('started').doNothing())
      .returningAll()
      .executeTakeFirst()
    if (!outage) return null
    const window = { started: lastSeen, ended: now }
    const due = await trx
      .selectFrom('checks')
      .select(['id', 'status', 'alert_after', 'grace', 'warn_after'])
      .where('alert_after', '>', lastSeen)
      .where('alert_after', '<=', now)
      .where('status', '<>', 'down')
      .execute()
    let rearmed = 0
    for (const check of due) {
      const next = rearmedAlertAfter(check, window, now)
      if (next === null || check.alert_after === null) continue
      // Conditional: a ping that moved the deadline meanwhile wins. The warning stage follows
      // the new deadline as a ping moves it (warnAtFor), so a warning already sent for the old
      // deadline is given again for the new one.
      const r = await trx
        .updateTable('checks')
        .set({ alert_after: next, warn_at: warnAtFor(check, next) })
        .where('id', '=', check.id)
        .where('alert_after', '=', check.alert_after)
        .where('status', '=', check.status)
        .executeTakeFirst()
      rearmed += Number(r.numUpdatedRows)
    }
    await trx
      .updateTable('worker_outages')
      .set({ checks_rearmed: rearmed })
      .where('id', '=', outage.id)
      .execute()
    await trx
      .insertInto('worker_heartbeats')
      .values({ worker_id: workerId, role, started, last_seen: now })
      .onConflict((oc) => oc.column('worker_id').doUpdateSet({ last_seen: now }))
      .execute()
    ctx.log.warn(
      { outageStarted: lastSeen, outageEnded: now, rearmed, workerId },
      'worker outage detected; deadlines that passed during it get their grace again',
    )
    return { outage: { ...outage, checks_rearmed: rearmed }, rearmed }
  })
}

/** The most recent outages, newest first (admin page, doctor). */
export function recentOutages(ctx: Ctx, limit = 10): Promise<WorkerOutage[]> {
  return ctx.db.kysely
    .selectFrom('worker_outages')
    .selectAll()
    .orderBy('started', 'desc')
    .limit(limit)
    .execute()
}
