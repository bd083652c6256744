/**
 * Detects checks whose deadline passed and flips them down, in batches, as Healthchecks'
 * sendalerts handle_going_down (which takes one check at a time):
 *   1. claim up to GOING_DOWN_BATCH due checks (alert_after < now, status not down; partial index
 *      checks_alert_after_idx) with a conditional no-op `UPDATE … RETURNING` as the first
 *      statement of the transaction: on PostgreSQL the subquery takes `FOR UPDATE SKIP LOCKED`, so
 *      concurrent workers claim disjoint rows; on SQLite the statement takes the write lock (a
 *      write first, so busy_timeout applies and a stale read snapshot can never fail the upgrade);
 *   2. compute each claimed check's status at `now` with the pure rules; if that throws, push
 *      alert_after an hour out;
 *   3. not down (a ping moved the deadline): store the new alert_after;
 *   4. down: set status and alert_after in one statement for the batch, and record every flip
 *      back-dated to its deadline, unprocessed, in the same transaction;
 *   5. repeat while full batches come back.
 * The claimed rows stay locked until the commit, so a ping cannot change a check between its
 * status computation and its flip: it waits and lands after the flip (a down → up flip). The
 * updates still compare status and alert_after, so a row changed anyway is skipped, not flipped.
 */
import type { Kysely } from 'kysely'
import { deadlineReason, goingDownAfter, statusAt, warnAtFor } from '../checks/index.js'
import type { Ctx } from '../context.js'
import { type Database, type Dialect, lockForUpdate } from '../db/index.js'
import { signalFlipsQueued } from './work-signal.js'

/** How far a check whose status cannot be computed is pushed back. */
export const BROKEN_CHECK_RETRY_MS = 3_600_000
/**
 * Most checks one going-down transaction claims. The flip statement ORs one term per down check,
 * so this stays well below SQLite's expression depth limit (1,000) and both parameter limits.
 */
export const GOING_DOWN_BATCH = 500

export type GoingDownOutcome = 'none' | 'flipped' | 'rescheduled' | 'lost-race' | 'bumped'

export interface GoingDownBatch {
  /** Checks claimed (0 = nothing was due). */
  claimed: number
  flipped: number
  rescheduled: number
  bumped: number
  /** Claimed but changed before the update (not expected while the claim holds its lock). */
  lostRace: number
}

/**
 * The claim of step 1: a no-op write that locks up to `limit` due rows (PostgreSQL) or the
 * database (SQLite), with the due condition re-evaluated on the locked row. Its cost grows with
 * the number of due checks only: the subquery reads checks_alert_after_idx (alert_after, partial
 * on status <> 'down') in order and stops at `limit`; test/alerts/going-down-plan.test.ts pins
 * that on both databases.
 */
export function claimDueChecksQuery(
  trx: Kysely<Database>,
  dialect: Dialect,
  now: number,
  limit: number,
) {
  const due = lockForUpdate(
    { dialect },
    trx
      .selectFrom('checks')
      .select('id')
      .where('alert_after', '<', now)
      .where('status', '<>', 'down')
      .orderBy('alert_after')
      .limit(limit),
    { skipLocked: true },
  )
  return trx
    .updateTable('checks')
    .set((eb) => ({ alert_after: eb.ref('alert_after') }))
    .where('id', 'in', due)
    .where('alert_after', '<', now)
    .where('status', '<>', 'down')
    .returningAll()
}

/** Claims, re-checks and flips up to `limit` due checks, the most overdue first, in one transaction. */
export async function handleGoingDownBatch(
  ctx: Ctx,
  now: number,
  limit = GOING_DOWN_BATCH,
): Promise<GoingDownBatch> {
  const result: GoingDownBatch = { claimed: 0, flipped: 0, rescheduled: 0, bumped: 0, lostRace: 0 }
  const db = ctx.db
  await db.kysely.transaction().execute(async (trx) => {
    const claimed = await claimDueChecksQuery(trx, db.dialect, now, limit).execute()
    result.claimed = claimed.length
    if (claimed.length === 0) return

    const down: { check: (typeof claimed)[number]; deadline: number | null }[] = []
    for (const check of claimed) {
      const cas = () =>
        trx
          .updateTable('checks')
          .where('id', '=', check.id)
          .where('status', '=', check.status)
          .where('alert_after', '=', check.alert_after as number)
      let status: string
      let deadline: number | null
      try {
        status = statusAt(check, now)
        deadline = goingDownAfter(check)
        // E.g. a schedule kind this version does not know (written by a newer one).
        if (deadline !== null && !Number.isFinite(deadline))
          throw new Error(`no valid deadline for kind ${check.kind}`)
      } catch (e) {
        ctx.log.error(
          { err: e, check: check.code },
          'cannot compute check status; retrying in an hour',
        )
        await cas()
          .set({ alert_after: now + BROKEN_CHECK_RETRY_MS })
          .execute()
        result.bumped++
        continue
      }
      if (status !== 'down') {
        // A deadline still in the past while the check is not down would be picked again at once.
        const next = deadline !== null && deadline <= now ? now + BROKEN_CHECK_RETRY_MS : deadline
        if (next !== deadline)
          ctx.log.warn(
            { check: check.code },
            'check not down but its deadline passed; retrying in an hour',
          )
        // The warning stage follows a real deadline (as after a ping); a retry is none.
        const warn_at = next === deadline ? warnAtFor(check, next) : null
        await cas().set({ alert_after: next, warn_at }).execute()
        result.rescheduled++
        continue
      }
      down.push({ check, deadline })
    }
    if (down.length === 0) return

    // One statement for the batch; each row still compares the status and deadline it was
    // judged on.
    const flipped = await trx
      .updateTable('checks')
      .set({ status: 'down', alert_after: null })
      .where((eb) =>
        eb.or(
          down.map(({ check }) =>
            eb.and([
              eb('id', '=', check.id),
              eb('status', '=', check.status),
              eb('alert_after', '=', check.alert_after as number),
            ]),
          ),
        ),
      )
      .returning('id')
      .execute()
    const won = new Set(flipped.map((r) => r.id))
    result.lostRace = down.length - won.size
    const flips = down
      .filter(({ check }) => won.has(check.id))
      .map(({ check, deadline }) => ({
        check_id: check.id,
        // The moment it went down, not the moment we noticed.
        created: deadline ?? now,
        processed: null,
        old_status: check.status,
        new_status: 'down' as const,
        reason: deadlineReason(check),
      }))
    if (flips.length > 0) await trx.insertInto('flips').values(flips).execute()
    result.flipped = flips.length
  })
  // Committed: this process's flip processing may turn them into notifications at once.
  if (result.flipped > 0) signalFlipsQueued()
  return result
}

/** Handles the most overdue check; 'none' when nothing is due. */
export async function handleOneGoingDown(ctx: Ctx, now: number): Promise<GoingDownOutcome> {
  const r = await handleGoingDownBatch(ctx, now, 1)
  if (r.flipped > 0) return 'flipped'
  if (r.rescheduled > 0) return 'rescheduled'
  if (r.bumped > 0) return 'bumped'
  if (r.lostRace > 0) return 'lost-race'
  return 'none'
}

/**
 * Handles due checks in batches until a batch comes back short (or `maxChecks` were claimed);
 * returns how many flipped.
 */
export async function handleGoingDown(
  ctx: Ctx,
  now: number,
  maxChecks = 100_000,
  batchSize = GOING_DOWN_BATCH,
): Promise<number> {
  let flipped = 0
  let claimed = 0
  while (claimed < maxChecks) {
    const r = await handleGoingDownBatch(ctx, now, Math.min(batchSize, maxChecks - claimed))
    flipped += r.flipped
    claimed += r.claimed
    if (r.claimed < batchSize) break
  }
  return flipped
}
