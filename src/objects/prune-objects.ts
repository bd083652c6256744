/**
 * Use case: before a check's history is pruned (pings/prune-check-history.ts), delete the objects
 * of the pings that pruning will remove (n ≤ n_pings − ping_log_limit), as Healthchecks' prune
 * does first. Returns the threshold it covered, so pruning removes no row whose object is still
 * in the bucket (pings that arrive meanwhile raise n_pings, not this bound).
 */
import type { Ctx } from '../context.js'
import { bodyStoreFor } from './body-store.js'
import { objectKeyOf } from './ping-bodies.js'

/**
 * Deletes the objects of the check's pings at or below the retention threshold. Returns that
 * threshold, or undefined when there is no such check. Throws when the store fails (then the
 * rows must stay, so the next prune deletes their objects).
 */
export async function deletePrunableObjects(
  ctx: Ctx,
  checkId: number,
): Promise<number | undefined> {
  const k = ctx.db.kysely
  const check = await k
    .selectFrom('checks')
    .innerJoin('projects', 'projects.id', 'checks.project_id')
    .select(['checks.code', 'checks.n_pings', 'projects.ping_log_limit'])
    .where('checks.id', '=', checkId)
    .executeTakeFirst()
  if (!check) return undefined
  const threshold = check.n_pings - check.ping_log_limit
  const store = bodyStoreFor(ctx.config)
  if (!store || threshold < 1) return threshold
  const rows = await k
    .selectFrom('pings')
    .select(['n', 'object_key', 'object_size'])
    .where('check_id', '=', checkId)
    .where('n', '<=', threshold)
    .where((eb) => eb.or([eb('object_key', 'is not', null), eb('object_size', '>', 0)]))
    .execute()
  const keys: string[] = []
  for (const r of rows) {
    const key = objectKeyOf({ ...r, checkCode: check.code })
    if (key !== null) keys.push(key)
  }
  await store.delete(keys)
  return threshold
}
