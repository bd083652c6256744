/**
 * Use case: a new set of recovery codes (spec RC-6, sudo at the route). The old set stops working
 * in the same transaction; other sessions are signed out (SE-6); the user is notified (NT-1).
 * Codes exist only alongside a second factor (RC-7): enrolling the first one issues a set here too.
 */

import type { Ctx } from '../../../context.js'
import type { User } from '../../../db/index.js'
import { withTransaction } from '../../../db/index.js'
import { err, ok, type Result } from '../../../result.js'
import { type RequestMeta, recordSecurityEvent } from '../../audit/security-events.js'
import { notifySecurityChange } from '../../audit/security-notifications.js'
import { deleteUserSessions, type Session } from '../../sessions/sessions.js'
import { hasSecondFactor } from '../../sudo/reauth-methods.js'
import { loadFactors } from '../factors.js'
import { recoveryCodeStatus, replaceRecoveryCodes } from './recovery-codes.js'

/**
 * A new set in place of any old one, audited as `recovery_codes.generated`. Pass a transaction's
 * ctx so the codes and their event stand or fall together (INV-5).
 */
export async function issueRecoveryCodes(
  ctx: Ctx,
  userId: number,
  meta: RequestMeta,
  now: number,
): Promise<string[]> {
  const codes = await replaceRecoveryCodes(ctx, userId, now)
  await recordSecurityEvent(
    ctx,
    { type: 'recovery_codes.generated', actorUserId: userId, subjectUserId: userId, meta },
    now,
  )
  return codes
}

/**
 * The set that comes with a user's first second factor (RC-7), or null when they still have
 * unused codes (adding another factor keeps them).
 */
export async function issueFirstRecoveryCodes(
  ctx: Ctx,
  userId: number,
  meta: RequestMeta,
  now: number,
): Promise<string[] | null> {
  if ((await recoveryCodeStatus(ctx, userId)).left > 0) return null
  return issueRecoveryCodes(ctx, userId, meta, now)
}

export async function regenerateRecoveryCodes(
  ctx: Ctx,
  input: { user: User; session: Session; meta: RequestMeta },
): Promise<Result<{ codes: string[]; notified: boolean }, { kind: 'no-second-factor' }>> {
  const now = ctx.clock.now()
  const { user } = input
  if (!hasSecondFactor(await loadFactors(ctx, user))) return err({ kind: 'no-second-factor' })
  const codes = await withTransaction(ctx, async (t) => {
    const fresh = await issueRecoveryCodes(t, user.id, input.meta, now)
    await deleteUserSessions(t, user.id, input.session.id)
    return fresh
  })
  const notified = await notifySecurityChange(
    ctx,
    user.email,
    'New recovery codes were made; the old ones no longer work.',
    now,
  )
  return ok({ codes, notified })
}
