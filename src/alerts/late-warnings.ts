/**
 * The warning stage: checks with `warn_after` get a "late" warning `warn_after` seconds before
 * their grace time ends (checks.warnAtFor). `checks.warn_at` holds that instant, indexed
 * (checks_warn_at_idx), so finding due warnings costs O(due checks), as `alert_after` does for
 * going down. Pings keep warn_at in step with alert_after; a stale value is only looked at again.
 *
 * Per due check, in one transaction: claim it (a no-op write, as going-down.ts does: FOR UPDATE
 * SKIP LOCKED on PostgreSQL, the write lock on SQLite), decide with the pure rule below, then
 * queue the warning and clear warn_at, or move warn_at, or clear it. The compare-and-set on the
 * claimed warn_at makes a warning once per deadline.
 */
import type { Kysely } from 'kysely'
import { isoSeconds, warnAtFor } from '../checks/index.js'
import type { Ctx } from '../context.js'
import { type Check, type Database, type Dialect, lockForUpdate } from '../db/index.js'
import { queueWarning } from './warnings.js'

export const LATE_WARNINGS_BATCH = 500

export type LateWarningDecision =
  | { kind: 'warn'; goesDownAt: number }
  | { kind: 'later'; warnAt: number }
  | { kind: 'none' }

/**
 * Pure: what a check whose warn_at came due needs now. The deadline is the stored alert_after
 * (what the worker will act on); a check already past it, down, or without a warning stage gets
 * no warning: the down alert is the news then.
 */
export function decideLateWarning(
  check: Pick<Check, 'status' | 'alert_after' | 'warn_after' | 'grace'>,
  now: number,
): LateWarningDecision {
  if (check.status === 'down' || check.alert_after === null) return { kind: 'none' }
  const warnAt = warnAtFor(check, check.alert_after)
  if (warnAt === null || now >= check.alert_after) return { kind: 'none' }
  if (now < warnAt) return { kind: 'later', warnAt }
  return { kind: 'warn', goesDownAt: check.alert_after }
}

/** The detail text of a late warning. */
export function lateDetail(check: Pick<Check, 'last_ping'>, goesDownAt: number): string {
  const since =
    check.last_ping === null ? 'no ping yet' : `last ping ${isoSeconds(check.last_ping)}`
  return `${since}; goes down at ${isoSeconds(goesDownAt)} unless a ping arrives`
}

function claimDueQuery(trx: Kysely<Database>, dialect: Dialect, now: number, limit: number) {
  const due = lockForUpdate(
    { dialect },
    trx
      .selectFrom('checks')
      .select('id')
      .where('warn_at', '<=', now)
      .orderBy('warn_at')
      .limit(limit),
    { skipLocked: true },
  )
  return trx
    .updateTable('checks')
    .set((eb) => ({ warn_at: eb.ref('warn_at') }))
    .where('id', 'in', due)
    .where('warn_at', '<=', now)
    .returningAll()
}

/** Handles up to `limit` due checks; returns how many warnings were queued. */
export async function handleLateWarnings(
  ctx: Ctx,
  now: number,
  limit = LATE_WARNINGS_BATCH,
): Promise<number> {
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const claimed = await claimDueQuery(trx, ctx.db.dialect, now, limit).execute()
    let queued = 0
    for (const check of claimed) {
      const d = decideLateWarning(check, now)
      const r = await trx
        .updateTable('checks')
        .set({ warn_at: d.kind === 'later' ? d.warnAt : null })
        .where('id', '=', check.id)
        .where('warn_at', '=', check.warn_at as number)
        .executeTakeFirst()
      if (d.kind !== 'warn' || Number(r.numUpdatedRows) === 0) continue
      await queueWarning(
        trx,
        { checkId: check.id, kind: 'late', detail: lateDetail(check, d.goesDownAt) },
        now,
      )
      queued++
    }
    return queued
  })
}
