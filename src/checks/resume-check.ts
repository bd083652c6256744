/**
 * Use case: resume a paused check (API `POST …/resume`), as Healthchecks' resume view: only from
 * `paused` (else a "not paused" error, the API's 409), a processed flip `paused→new`, and the
 * check starts over as `new`: no last ping, no pending start, no deadline.
 */
import type { Ctx } from '../context.js'
import { err, ok, type Result } from '../result.js'
import {
  type CheckWithChannels,
  type FindCheckError,
  withLinks,
  withLockedCheck,
} from './find-check.js'
import { changeStatusByHand } from './manual-status.js'

export type ResumeCheckError = FindCheckError | { kind: 'check-not-paused' }

export async function resumeCheck(
  ctx: Ctx,
  input: { projectId: number; code: string },
): Promise<Result<CheckWithChannels, ResumeCheckError>> {
  return withLockedCheck(ctx, input, async (trx, check, now) => {
    if (check.status !== 'paused') return err({ kind: 'check-not-paused' as const })
    // A new check without a start has no deadline (goingDownAfter gives null).
    const fields = { last_start: null, last_ping: null, alert_after: null }
    return ok(await withLinks(trx, await changeStatusByHand(trx, check, 'new', fields, now)))
  })
}
