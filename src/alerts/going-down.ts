/**
 * Detects checks whose deadline passed and flips them down, one check per call, as Healthchecks'
 * sendalerts handle_going_down:
 *   1. pick the check with the smallest alert_after among those due and not down (partial index);
 *   2. compute its status at `now`; if that throws, push alert_after an hour out and go on;
 *   3. not down (a ping moved the deadline): store the new alert_after, conditionally;
 *   4. down: CAS status and alert_after; 0 rows = a ping or another worker won, a normal outcome;
 *   5. in the same transaction, record the flip back-dated to the deadline, unprocessed.
 * Unlike Healthchecks, the CAS also compares alert_after, so a ping landing between the status
 * computation and the update is never overridden.
 */
import { goingDownAfter, statusAt } from '../checks/index.js'
import type { Ctx } from '../context.js'

/** How far a check whose status cannot be computed is pushed back. */
export const BROKEN_CHECK_RETRY_MS = 3_600_000

export type GoingDownOutcome = 'none' | 'flipped' | 'rescheduled' | 'lost-race' | 'bumped'

/** Handles the most overdue check; 'none' when nothing is due. */
export async function handleOneGoingDown(ctx: Ctx, now: number): Promise<GoingDownOutcome> {
  const k = ctx.db.kysely
  const check = await k
    .selectFrom('checks')
    .selectAll()
    .where('alert_after', '<', now)
    .where('status', '<>', 'down')
    .orderBy('alert_after')
    .limit(1)
    .executeTakeFirst()
  if (!check || check.alert_after === null) return 'none'
  const oldAlertAfter = check.alert_after
  const oldStatus = check.status

  const cas = (trx: typeof k) =>
    trx
      .updateTable('checks')
      .where('id', '=', check.id)
      .where('status', '=', oldStatus)
      .where('alert_after', '=', oldAlertAfter)

  let status: string
  let deadline: number | null
  try {
    status = statusAt(check, now)
    deadline = goingDownAfter(check)
    // E.g. a schedule kind this version does not know (written by a newer one).
    if (deadline !== null && !Number.isFinite(deadline))
      throw new Error(`no valid deadline for kind ${check.kind}`)
  } catch (e) {
    ctx.log.error({ err: e, check: check.code }, 'cannot compute check status; retrying in an hour')
    await cas(k)
      .set({ alert_after: now + BROKEN_CHECK_RETRY_MS })
      .execute()
    return 'bumped'
  }

  if (status !== 'down') {
    // A deadline still in the past while the check is not down would be picked again at once.
    const next = deadline !== null && deadline <= now ? now + BROKEN_CHECK_RETRY_MS : deadline
    if (next !== deadline)
      ctx.log.warn(
        { check: check.code },
        'check not down but its deadline passed; retrying in an hour',
      )
    await cas(k).set({ alert_after: next }).execute()
    return 'rescheduled'
  }

  return k.transaction().execute(async (trx) => {
    const r = await cas(trx).set({ status: 'down', alert_after: null }).executeTakeFirst()
    if (Number(r.numUpdatedRows) === 0) return 'lost-race' as const
    await trx
      .insertInto('flips')
      .values({
        check_id: check.id,
        // The moment it went down, not the moment we noticed.
        created: deadline ?? now,
        processed: null,
        old_status: oldStatus,
        new_status: 'down',
        reason: 'timeout',
      })
      .execute()
    return 'flipped' as const
  })
}

/** Handles due checks until none is left (or `limit` were handled); returns how many flipped. */
export async function handleGoingDown(ctx: Ctx, now: number, limit = 1000): Promise<number> {
  let flipped = 0
  for (let i = 0; i < limit; i++) {
    const outcome = await handleOneGoingDown(ctx, now)
    if (outcome === 'none') break
    if (outcome === 'flipped') flipped++
  }
  return flipped
}
