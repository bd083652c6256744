/**
 * The worker's sign of life in `worker_heartbeats`, read by `vigil doctor` and the admin page to
 * tell whether any worker is running (Healthchecks has no equivalent; its sendalerts is silent).
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
