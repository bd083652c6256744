/**
 * Use case: a new set of recovery codes (spec RC-6, sudo at the route). The old set stops working
 * in the same transaction; other sessions are signed out (SE-6); the user is notified (NT-1).
 * Codes exist only alongside a second factor (RC-7).
 */
import type { Ctx } from '../../../context.js'
import type { User } from '../../../db/index.js'
import { err, ok, type Result } from '../../../result.js'
import { type RequestMeta, recordSecurityEvent } from '../../audit/security-events.js'
import { notifySecurityChange } from '../../audit/security-notifications.js'
import { deleteUserSessions, type Session } from '../../sessions/sessions.js'
import { hasSecondFactor } from '../../sudo/reauth-methods.js'
import { loadFactors } from '../factors.js'
import { replaceRecoveryCodes } from './recovery-codes.js'

export async function regenerateRecoveryCodes(
  ctx: Ctx,
  input: { user: User; session: Session; meta: RequestMeta },
): Promise<Result<{ codes: string[]; notified: boolean }, { kind: 'no-second-factor' }>> {
  const now = ctx.clock.now()
  const { user } = input
  if (!hasSecondFactor(await loadFactors(ctx, user))) return err({ kind: 'no-second-factor' })
  const codes = await ctx.db.kysely.transaction().execute(async (trx) => {
    const t: Ctx = { ...ctx, db: { ...ctx.db, kysely: trx } }
    const fresh = await replaceRecoveryCodes(t, user.id, now)
    await deleteUserSessions(t, user.id, input.session.id)
    await recordSecurityEvent(
      t,
      {
        type: 'recovery_codes.generated',
        actorUserId: user.id,
        subjectUserId: user.id,
        meta: input.meta,
      },
      now,
    )
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
