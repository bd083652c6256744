/**
 * Use case: pause a check (API `POST …/pause`), as Healthchecks' pause view: a flip to `paused`
 * recorded already processed (pausing never alerts), `status=paused`, no pending start, no
 * deadline. Pausing a paused check records no flip. Either way the nag dates of the project's
 * people are recomputed, as Healthchecks' `project.update_next_nag_dates()` after a pause: with
 * nothing left down, their "still down" reminders stop.
 */
// Straight to the module, not alerts/index.js: that would load the whole worker into checks/.

import type { Ctx } from '../context.js'
import { lockForUpdate } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { channelCodesOf } from './check-channels.js'
import { dependsOnOf } from './check-dependencies.js'
import type { CheckWithChannels, FindCheckError } from './find-check.js'
import { updateNextNagDates } from './nag-dates.js'

export async function pauseCheck(
  ctx: Ctx,
  input: { projectId: number; code: string },
): Promise<Result<CheckWithChannels, FindCheckError>> {
  const now = ctx.clock.now()
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const check = await lockForUpdate(
      ctx.db,
      trx.selectFrom('checks').selectAll().where('code', '=', input.code),
    ).executeTakeFirst()
    if (!check) return err({ kind: 'check-not-found' as const })
    if (check.project_id !== input.projectId) return err({ kind: 'check-forbidden' as const })
    let saved = check
    if (check.status !== 'paused') {
      await trx
        .insertInto('flips')
        .values({
          check_id: check.id,
          created: now,
          processed: now,
          old_status: check.status,
          new_status: 'paused',
          reason: '',
        })
        .execute()
      saved = await trx
        .updateTable('checks')
        // A paused check without a pending start has no deadline (goingDownAfter gives null).
        .set({ status: 'paused', last_start: null, alert_after: null })
        .where('id', '=', check.id)
        .returningAll()
        .executeTakeFirstOrThrow()
    }
    await updateNextNagDates(trx, check.project_id, now)
    return ok({
      check: saved,
      channelCodes: await channelCodesOf(trx, check.id),
      dependsOn: await dependsOnOf(trx, check.id),
    })
  })
}
