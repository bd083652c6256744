/**
 * Use case: "Clear events" on the check details page (Healthchecks' clear_events view): the
 * check's pings, flips and notifications are deleted and it starts over as `new` (no last ping,
 * start, duration or deadline). The check itself, its URL and `n_pings` stay: ping numbers keep
 * counting up, so a new ping never reuses a number an old link pointed at.
 */
import type { Ctx } from '../context.js'
import type { Check } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import type { FindCheckError } from './find-check.js'

export async function clearCheckEvents(
  ctx: Ctx,
  input: { projectId: number; code: string },
): Promise<Result<Check, FindCheckError>> {
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const check = await trx
      .updateTable('checks')
      .set({
        status: 'new',
        last_ping: null,
        last_start: null,
        last_start_rid: null,
        last_duration_ms: null,
        has_confirmation_link: 0,
        alert_after: null,
      })
      .where('code', '=', input.code)
      .where('project_id', '=', input.projectId)
      .returningAll()
      .executeTakeFirst()
    if (!check) return err({ kind: 'check-not-found' as const })
    await trx.deleteFrom('notifications').where('check_id', '=', check.id).execute()
    await trx.deleteFrom('flips').where('check_id', '=', check.id).execute()
    await trx.deleteFrom('pings').where('check_id', '=', check.id).execute()
    return ok(check)
  })
}
