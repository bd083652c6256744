/**
 * Use case: trim one check's history to its project's ping log limit. Pings with
 * n <= n_pings - ping_log_limit go; notifications older than the oldest kept ping go; flips go
 * only when older than both that ping and 93 days (uptime statistics need the current month and
 * two full previous ones). Mirrors Healthchecks' `Check.prune` (spec §2.9), run every 100th ping.
 * The rule is `pruneWith`, over a few row operations: through Kysely here, and as prepared
 * statements inside SQLite's ping batch (sqlite-ping-store.ts), where it adds no commit of its own.
 */
import type { Kysely } from 'kysely'
import type { Ctx } from '../context.js'
import type { Database } from '../db/index.js'
import { deletePrunableObjects } from '../objects/index.js'
import { err, ok, type Result } from '../result.js'

/** How long flips are kept at least, for downtime statistics. */
export const FLIP_RETENTION_MS = 93 * 24 * 60 * 60 * 1000

export interface PrunedCounts {
  pings: number
  notifications: number
  flips: number
}

/** The row operations pruning needs; each delete returns the number of rows deleted. */
export interface HistoryRows {
  /** The check's n_pings and its project's ping_log_limit. */
  limits(checkId: number): Promise<{ n_pings: number; ping_log_limit: number } | undefined>
  deletePingsUpTo(checkId: number, n: number): Promise<number>
  /** `created` of the check's lowest-numbered ping. */
  oldestPing(checkId: number): Promise<number | undefined>
  deleteNotificationsBefore(checkId: number, created: number): Promise<number>
  deleteFlipsBefore(checkId: number, created: number): Promise<number>
}

export type PruneResult = Result<PrunedCounts, { kind: 'check-not-found' }>

/** What to prune: `upTo` caps the ping numbers removed (the bound whose objects are already deleted). */
export interface PruneInput {
  checkId: number
  now: number
  upTo?: number
}

export async function pruneWith(rows: HistoryRows, input: PruneInput): Promise<PruneResult> {
  const check = await rows.limits(input.checkId)
  if (!check) return err({ kind: 'check-not-found' })
  const threshold = check.n_pings - check.ping_log_limit
  const pings = await rows.deletePingsUpTo(
    input.checkId,
    input.upTo === undefined ? threshold : Math.min(threshold, input.upTo),
  )
  const oldest = await rows.oldestPing(input.checkId)
  if (oldest === undefined) return ok({ pings, notifications: 0, flips: 0 })
  const notifications = await rows.deleteNotificationsBefore(input.checkId, oldest)
  const flips = await rows.deleteFlipsBefore(
    input.checkId,
    Math.min(oldest, input.now - FLIP_RETENTION_MS),
  )
  return ok({ pings, notifications, flips })
}

export function kyselyHistoryRows(k: Kysely<Database>): HistoryRows {
  return {
    limits(checkId) {
      return k
        .selectFrom('checks')
        .innerJoin('projects', 'projects.id', 'checks.project_id')
        .select(['checks.n_pings', 'projects.ping_log_limit'])
        .where('checks.id', '=', checkId)
        .executeTakeFirst()
    },
    async deletePingsUpTo(checkId, n) {
      const r = await k
        .deleteFrom('pings')
        .where('check_id', '=', checkId)
        .where('n', '<=', n)
        .executeTakeFirst()
      return Number(r.numDeletedRows)
    },
    async oldestPing(checkId) {
      const row = await k
        .selectFrom('pings')
        .select('created')
        .where('check_id', '=', checkId)
        .orderBy('n')
        .limit(1)
        .executeTakeFirst()
      return row?.created
    },
    async deleteNotificationsBefore(checkId, created) {
      const r = await k
        .deleteFrom('notifications')
        .where('check_id', '=', checkId)
        .where('created', '<', created)
        .executeTakeFirst()
      return Number(r.numDeletedRows)
    },
    async deleteFlipsBefore(checkId, created) {
      const r = await k
        .deleteFrom('flips')
        .where('check_id', '=', checkId)
        .where('created', '<', created)
        .executeTakeFirst()
      return Number(r.numDeletedRows)
    },
  }
}

/**
 * Prunes in one transaction of its own (one commit, not one per statement). With object storage,
 * the objects of the pruned pings are deleted first (a failing store throws and prunes nothing).
 */
export async function pruneCheckHistory(
  ctx: Ctx,
  input: { checkId: number; now: number },
): Promise<PruneResult> {
  const upTo = ctx.config.s3 ? await deletePrunableObjects(ctx, input.checkId) : undefined
  return ctx.db.kysely
    .transaction()
    .execute((trx) => pruneWith(kyselyHistoryRows(trx), { ...input, upTo }))
}
