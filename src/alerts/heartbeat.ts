/**
 * The worker's sign of life in `worker_heartbeats`, read by `vigil doctor` and the admin page to
 * tell whether any worker is running (Healthchecks has no equivalent; its sendalerts is silent),
 * and the worker-side figures the admin status page shows (workers, notification queue depth).
 */
import type { Ctx } from '../context.js'

export async function writeHeartbeat(
  ctx: Ctx,
  workerId: string,
  role: string,
  started: number,
  now: number,
): Promise<void> {
  await ctx.db.kysely
    .insertInto('worker_heartbeats')
    .values({ worker_id: workerId, role, started, last_seen: now })
    .onConflict((oc) => oc.column('worker_id').doUpdateSet({ last_seen: now }))
    .execute()
}

/** The workers seen most recently, newest first (admin status page). */
export function recentWorkers(ctx: Ctx, limit = 50) {
  return ctx.db.kysely
    .selectFrom('worker_heartbeats')
    .selectAll()
    .orderBy('last_seen', 'desc')
    .limit(limit)
    .execute()
}

/** How many notifications there are in each delivery status (admin status page). */
export function notificationCounts(ctx: Ctx) {
  return ctx.db.kysely
    .selectFrom('notifications')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
}
