/**
 * Use case: after a schedule change made in the web UI, an `up` check whose new deadline
 * (`alert_after`) has already passed goes `down` at once and silently: a processed flip up→down
 * (so the worker sends no alert), status down, no deadline. Healthchecks' update_timeout view
 * does this; a schedule change through the API does not (the worker flips it and alerts).
 * A conditional update, so a ping that lands meanwhile wins.
 */
import type { Ctx } from '../context.js'

/** True when the check was flipped down. */
export async function markOverdueDown(ctx: Ctx, checkId: number): Promise<boolean> {
  const now = ctx.clock.now()
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const flipped = await trx
      .updateTable('checks')
      .set({ status: 'down', alert_after: null })
      .where('id', '=', checkId)
      .where('status', '=', 'up')
      .where('alert_after', 'is not', null)
      .where('alert_after', '<=', now)
      .returning(['id'])
      .executeTakeFirst()
    if (!flipped) return false
    await trx
      .insertInto('flips')
      .values({
        check_id: checkId,
        created: now,
        processed: now,
        old_status: 'up',
        new_status: 'down',
        reason: 'timeout',
      })
      .execute()
    return true
  })
}
