/**
 * Use case: trim one check's history to its project's ping log limit. Pings with
 * n <= n_pings - ping_log_limit go; notifications older than the oldest kept ping go; flips go
 * only when older than both that ping and 93 days (uptime statistics need the current month and
 * two full previous ones). Mirrors Healthchecks' `Check.prune` (spec §2.9), run every 100th ping.
 */
import type { Ctx } from '../context.js'
import { err, ok, type Result } from '../result.js'

/** How long flips are kept at least, for downtime statistics. */
export const FLIP_RETENTION_MS = 93 * 24 * 60 * 60 * 1000

export interface PrunedCounts {
  pings: number
  notifications: number
  flips: number
}

export async function pruneCheckHistory(
  ctx: Ctx,
  input: { checkId: number; now: number },
): Promise<Result<PrunedCounts, { kind: 'check-not-found' }>> {
  const k = ctx.db.kysely
  const check = await k
    .selectFrom('checks')
    .innerJoin('projects', 'projects.id', 'checks.project_id')
    .select(['checks.n_pings', 'projects.ping_log_limit'])
    .where('checks.id', '=', input.checkId)
    .executeTakeFirst()
  if (!check) return err({ kind: 'check-not-found' })

  const threshold = check.n_pings - check.ping_log_limit
  const pings = await k
    .deleteFrom('pings')
    .where('check_id', '=', input.checkId)
    .where('n', '<=', threshold)
    .executeTakeFirst()
  const oldest = await k
    .selectFrom('pings')
    .select('created')
    .where('check_id', '=', input.checkId)
    .orderBy('n')
    .limit(1)
    .executeTakeFirst()
  if (!oldest) return ok({ pings: Number(pings.numDeletedRows), notifications: 0, flips: 0 })

  const notifications = await k
    .deleteFrom('notifications')
    .where('check_id', '=', input.checkId)
    .where('created', '<', oldest.created)
    .executeTakeFirst()
  const flips = await k
    .deleteFrom('flips')
    .where('check_id', '=', input.checkId)
    .where('created', '<', Math.min(oldest.created, input.now - FLIP_RETENTION_MS))
    .executeTakeFirst()
  return ok({
    pings: Number(pings.numDeletedRows),
    notifications: Number(notifications.numDeletedRows),
    flips: Number(flips.numDeletedRows),
  })
}
