/**
 * Use case: re-authentication ("sudo mode", spec RA-2…RA-5). The user confirms with any method
 * they really have; success stamps `reauth_at`/`reauth_method` on their session row (shared by
 * every web process) and rotates the session id (RA-3). Healthchecks' `require_sudo_mode` only
 * ever e-mails a code; here e-mail is one method among several and offered only when it can go.
 */

import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import { withTransaction } from '../../db/index.js'
import { err, ok, type Result } from '../../result.js'
import {
  type RequestMeta,
  recordFailedProof,
  recordSecurityEvent,
} from '../audit/security-events.js'
import { availableReauthMethods } from '../factors/factors.js'
import { type VerifyError, verifyFactor } from '../factors/verify-factor.js'
import { rotateSession, type Session } from '../sessions/sessions.js'
import { type ReauthMethod, SECOND_FACTOR_METHODS } from './reauth-methods.js'

export interface EnterSudoInput {
  user: User
  session: Session
  method: Exclude<ReauthMethod, 'webauthn' | 'oidc'>
  value: string
  /** The protected action removes protection (class D). */
  downgrade: boolean
  meta: RequestMeta
}

export type EnterSudoError =
  | VerifyError
  | { kind: 'method-unavailable' }
  | { kind: 'downgrade-blocked' }

export interface SudoGranted {
  token: string
  session: Session
  recoveryCodesLeft?: number
}

export async function enterSudoMode(
  ctx: Ctx,
  input: EnterSudoInput,
): Promise<Result<SudoGranted, EnterSudoError>> {
  const now = ctx.clock.now()
  const { user, session, meta } = input
  const allowed = await checkReauthMethod(ctx, user, input.method, input.downgrade, meta, now)
  if (!allowed.ok) return allowed
  const verified = await verifyFactor(
    ctx,
    user,
    { method: input.method, value: input.value, session, meta },
    now,
  )
  if (!verified.ok) {
    await recordFailedProof(
      ctx,
      user.id,
      { type: 'reauth.failure', method: input.method, reason: verified.error.kind, meta },
      now,
    )
    return verified
  }
  const granted = await grantSudo(ctx, user, session, input.method, meta, now)
  return ok({ ...granted, recoveryCodesLeft: verified.value.recoveryCodesLeft })
}

/**
 * Whether the user may confirm with this method now (RA-4, RA-5). A method they have that cannot
 * confirm a downgrade (class D) is refused as `downgrade-blocked` and audited; one they lack is
 * `method-unavailable`.
 */
export async function checkReauthMethod(
  ctx: Ctx,
  user: User,
  method: ReauthMethod,
  downgrade: boolean,
  meta: RequestMeta,
  now: number,
): Promise<Result<true, { kind: 'method-unavailable' } | { kind: 'downgrade-blocked' }>> {
  if ((await availableReauthMethods(ctx, user, downgrade)).methods.includes(method)) return ok(true)
  if (downgrade && (await availableReauthMethods(ctx, user, false)).methods.includes(method)) {
    await recordSecurityEvent(
      ctx,
      {
        type: 'reauth.downgrade_blocked',
        actorUserId: user.id,
        subjectUserId: user.id,
        meta,
        details: { method },
      },
      now,
    )
    return err({ kind: 'downgrade-blocked' })
  }
  return err({ kind: 'method-unavailable' })
}

/** Stamps the grant and rotates the session id (RA-3, SE-4). `ext`: the proxy vouched (LG-8). */
export async function grantSudo(
  ctx: Ctx,
  user: User,
  session: Session,
  method: ReauthMethod | 'ext',
  meta: RequestMeta,
  now: number,
): Promise<{ token: string; session: Session }> {
  // INV-5: the grant and its audit event stand or fall together.
  return withTransaction(ctx, async (t) => {
    const rotated = await rotateSession(t, session, { reauth_at: now, reauth_method: method })
    await recordSecurityEvent(
      t,
      {
        type: 'reauth.success',
        actorUserId: user.id,
        subjectUserId: user.id,
        meta: { ...meta, sessionId: rotated.session.id },
        details: { method },
      },
      now,
    )
    return rotated
  })
}

/** True when the grant's method may confirm a downgrade for this user (RA-5). */
export function grantCoversDowngrade(
  session: Pick<Session, 'reauth_method'>,
  userHasSecondFactor: boolean,
): boolean {
  if (!userHasSecondFactor) return true
  return SECOND_FACTOR_METHODS.includes((session.reauth_method ?? '') as ReauthMethod)
}
