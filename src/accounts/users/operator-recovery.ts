/**
 * Use cases for the operator recovery CLI (spec 5.16), which works without mail: set a user's
 * password, remove all their second factors, end sessions. Each is audited with no actor (the
 * operator) and notifies the user when mail can go. Healthchecks offers only `manage.py
 * changepassword` and the Django shell.
 */

import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import { withTransaction } from '../../db/index.js'
import { err, ok, type Result } from '../../result.js'
import { type RequestMeta, recordSecurityEvent } from '../audit/security-events.js'
import { notifySecurityChange } from '../audit/security-notifications.js'
import { resetSecondFactorThrottle } from '../factors/second-factor-throttle.js'
import { type ChangePasswordError, changePassword } from '../passwords/change-password.js'
import { deleteUserSessions } from '../sessions/sessions.js'
import { findUserByEmail } from './create-user.js'

export const OPERATOR_META: RequestMeta = { ip: '', userAgent: 'vigil-cli' }

export type UnknownUser = { kind: 'unknown-user' }

export async function findUserForOperator(
  ctx: Ctx,
  email: string,
): Promise<Result<User, UnknownUser>> {
  const user = await findUserByEmail(ctx, email)
  return user ? ok(user) : err({ kind: 'unknown-user' })
}

/** Sets the password and ends every session of the user. */
export async function setPasswordByOperator(
  ctx: Ctx,
  email: string,
  password: string,
): Promise<Result<{ signedOut: number }, UnknownUser | ChangePasswordError>> {
  const user = await findUserForOperator(ctx, email)
  if (!user.ok) return user
  const r = await changePassword(ctx, {
    user: user.value,
    session: null,
    current: '',
    password,
    meta: OPERATOR_META,
    actorUserId: null,
  })
  return r.ok ? ok({ signedOut: r.value.signedOut }) : r
}

/** Removes TOTP, security keys and recovery codes, ends all sessions, clears the 2FA throttle. */
export async function resetTwoFactor(
  ctx: Ctx,
  email: string,
): Promise<
  Result<
    { removed: { totp: number; keys: number; recoveryCodes: number }; signedOut: number },
    UnknownUser
  >
> {
  const found = await findUserForOperator(ctx, email)
  if (!found.ok) return found
  const user = found.value
  const now = ctx.clock.now()
  const result = await withTransaction(ctx, async (t, trx) => {
    const totp = await trx.deleteFrom('user_totp').where('user_id', '=', user.id).executeTakeFirst()
    const keys = await trx
      .deleteFrom('webauthn_credentials')
      .where('user_id', '=', user.id)
      .executeTakeFirst()
    const codes = await trx
      .deleteFrom('recovery_codes')
      .where('user_id', '=', user.id)
      .executeTakeFirst()
    await trx.deleteFrom('pending_logins').where('user_id', '=', user.id).execute()
    const signedOut = await deleteUserSessions(t, user.id, null)
    const removed = {
      totp: Number(totp.numDeletedRows),
      keys: Number(keys.numDeletedRows),
      recoveryCodes: Number(codes.numDeletedRows),
    }
    await recordSecurityEvent(
      t,
      {
        type: 'admin.2fa_reset',
        actorUserId: null,
        subjectUserId: user.id,
        meta: OPERATOR_META,
        details: removed,
      },
      now,
    )
    return { removed, signedOut }
  })
  await resetSecondFactorThrottle(ctx, user.id)
  await notifySecurityChange(
    ctx,
    user.email,
    'An administrator removed two-factor authentication from your account.',
    now,
  )
  return ok(result)
}
