/**
 * Use case: set or change the password (spec LG-6; sudo at the route). With a password already
 * set, the current one is asked too (ASVS 6.2.3); the new one must meet LG-1 (checkNewPassword:
 * PASSWORD_MIN_LENGTH–256 characters, not common, not breached when PASSWORD_BREACH_CHECK=hibp).
 * Afterwards every other session, pending log-in and operator log-in link of the user ends (SE-6),
 * the change is audited and the user notified.
 */

import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import { withTransaction } from '../../db/index.js'
import { err, ok, type Result } from '../../result.js'
import { type RequestMeta, recordSecurityEvent } from '../audit/security-events.js'
import { notifySecurityChange } from '../audit/security-notifications.js'
import { type Throttled, throttledCheck } from '../factors/second-factor-throttle.js'
import { deleteUserSessions, type Session } from '../sessions/sessions.js'
import { checkNewPassword } from './breached-passwords.js'
import { hashPassword, type PasswordProblem, verifyPassword } from './passwords.js'

export type ChangePasswordError = { kind: 'wrong-current-password' } | PasswordProblem | Throttled

export async function changePassword(
  ctx: Ctx,
  input: {
    user: User
    /** The session to keep; null (operator CLI) ends them all. */
    session: Session | null
    current: string
    password: string
    meta: RequestMeta
    actorUserId: number | null
  },
): Promise<Result<{ notified: boolean; signedOut: number }, ChangePasswordError>> {
  const now = ctx.clock.now()
  const { user } = input
  const problem = await checkNewPassword(ctx, input.password)
  if (problem) return err(problem)
  if (user.password_hash !== null && input.session !== null) {
    const checked = await throttledCheck(ctx, user.id, now, async () => ({
      ok: await verifyPassword(user.password_hash, input.current),
    }))
    if ('kind' in checked) return err(checked)
    if (!checked.ok) return err({ kind: 'wrong-current-password' })
  }
  const hash = await hashPassword(input.password, ctx.config.accounts.passwordHashCost)
  const signedOut = await withTransaction(ctx, async (t, trx) => {
    await trx.updateTable('users').set({ password_hash: hash }).where('id', '=', user.id).execute()
    const n = await deleteUserSessions(t, user.id, input.session?.id ?? null)
    await trx.deleteFrom('pending_logins').where('user_id', '=', user.id).execute()
    await trx.deleteFrom('login_links').where('user_id', '=', user.id).execute()
    await recordSecurityEvent(
      t,
      {
        type: 'password.changed',
        actorUserId: input.actorUserId,
        subjectUserId: user.id,
        meta: input.meta,
        details: { sessions_ended: n },
      },
      now,
    )
    return n
  })
  user.password_hash = hash
  const notified = await notifySecurityChange(ctx, user.email, 'Your password was changed.', now)
  return ok({ notified, signedOut })
}
