/**
 * Use case: resume a paused check (API `POST …/resume`), as Healthchecks' resume view: only from
 * `paused` (else a "not paused" error, the API's 409), a processed flip `paused→new`, and the
 * check starts over as `new`: no last ping, no pending start, no deadline.
 */
import type { Ctx } from '../context.js'
import { lockForUpdate } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { channelCodesOf } from './check-channels.js'
import { dependsOnOf } from './check-dependencies.js'
import type { CheckWithChannels, FindCheckError } from './find-check.js'

export type ResumeCheckError = FindCheckError | { kind: 'check-not-paused' }

export async function resumeCheck(
  ctx: Ctx,
  input: { projectId: number; code: string },
): Promise<Result<CheckWithChannels, ResumeCheckError>> {
  const now = ctx.clock.now()
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const check = await lockForUpdate(
      ctx.db,
      trx.selectFrom('checks').selectAll().where('code', '=', input.code),
    ).executeTakeFirst()
    if (!check) return err({ kind: 'check-not-found' as const })
    if (check.project_id !== input.projectId) return err({ kind: 'check-forbidden' as const })
    if (check.status !== 'paused') return err({ kind: 'check-not-paused' as const })
    await trx
      .insertInto('flips')
      .values({
        check_id: check.id,
        created: now,
        processed: now,
        old_status: 'paused',
        new_status: 'new',
        reason: '',
      })
      .execute()
    const saved = await trx
      .updateTable('checks')
      // A new check without a start has no deadline (goingDownAfter gives null).
      .set({ status: 'new', last_start: null, last_ping: null, alert_after: null })
      .where('id', '=', check.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    return ok({
      check: saved,
      channelCodes: await channelCodesOf(trx, check.id),
      dependsOn: await dependsOnOf(trx, check.id),
    })
  })
}
