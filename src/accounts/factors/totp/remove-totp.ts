/**
 * Use case: removing the authenticator app (spec TOTP-6, a class D action: the route demands a
 * sudo grant made with a second factor). When it was the last second factor the recovery codes go
 * too (RC-7); other sessions are signed out (SE-6); the user is notified (NT-1).
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
import { deleteRecoveryCodes } from '../recovery-codes/recovery-codes.js'
import { deleteTotp } from './totp-devices.js'

export interface TotpRemoved {
  /** No second factor is left: two-factor authentication is off. */
  twoFactorOff: boolean
  notified: boolean
}

export async function removeTotp(
  ctx: Ctx,
  input: { user: User; session: Session; meta: RequestMeta },
): Promise<Result<TotpRemoved, { kind: 'not-enrolled' }>> {
  const now = ctx.clock.now()
  const { user } = input
  const twoFactorOff = await withTransaction(ctx, async (t) => {
    if (!(await deleteTotp(t, user.id))) return null
    const off = !hasSecondFactor(await loadFactors(t, user))
    if (off) await deleteRecoveryCodes(t, user.id)
    await deleteUserSessions(t, user.id, input.session.id)
    await recordSecurityEvent(
      t,
      { type: 'totp.disabled', actorUserId: user.id, subjectUserId: user.id, meta: input.meta },
      now,
    )
    return off
  })
  if (twoFactorOff === null) return err({ kind: 'not-enrolled' })
  const notified = await notifySecurityChange(
    ctx,
    user.email,
    'The authenticator app was removed from your account.',
    now,
  )
  return ok({ twoFactorOff, notified })
}
