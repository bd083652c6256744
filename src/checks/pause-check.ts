/**
 * Use case: pause a check (API `POST …/pause`), as Healthchecks' pause view: a flip to `paused`
 * recorded already processed (pausing never alerts), `status=paused`, no pending start, no
 * deadline. Pausing a paused check records no flip. Either way the nag dates of the project's
 * people are recomputed, as Healthchecks' `project.update_next_nag_dates()` after a pause: with
 * nothing left down, their "still down" reminders stop.
 */
// Straight to the module, not alerts/index.js: that would load the whole worker into checks/.

import type { Ctx } from '../context.js'
import { ok, type Result } from '../result.js'
import {
  type CheckWithChannels,
  type FindCheckError,
  withLinks,
  withLockedCheck,
} from './find-check.js'
import { changeStatusByHand } from './manual-status.js'
import { updateNextNagDates } from './nag-dates.js'

export async function pauseCheck(
  ctx: Ctx,
  input: { projectId: number; code: string },
): Promise<Result<CheckWithChannels, FindCheckError>> {
  return withLockedCheck(ctx, input, async (trx, found, now) => {
    let check = found
    if (check.status !== 'paused') {
      // A paused check without a pending start has no deadline (goingDownAfter gives null).
      const fields = { last_start: null, alert_after: null }
      check = await changeStatusByHand(trx, check, 'paused', fields, now)
    }
    await updateNextNagDates(trx, check.project_id, now)
    return ok(await withLinks(trx, check))
  })
}
