/**
 * Checks one proof of identity (password, TOTP code, recovery code, e-mailed or texted code) for
 * a user, under the second-factor throttle, and audits replays and recovery-code use. Shared by the sudo
 * confirmation, the second log-in step and the removal of factors, so all three accept and refuse
 * the same way. Security keys are checked in webauthn.ts.
 */
import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import { err, ok, type Result } from '../../result.js'
import { type RequestMeta, recordSecurityEvent } from '../audit/security-events.js'
import { notifySecurityChange } from '../audit/security-notifications.js'
import { verifyOobCode } from '../codes/reauth-code.js'
import { verifyPassword } from '../passwords/passwords.js'
import type { Session } from '../sessions/sessions.js'
import type { ReauthMethod } from '../sudo/reauth-methods.js'
import { consumeRecoveryCode, recoveryCodeStatus } from './recovery-codes/recovery-codes.js'
import type { Throttled } from './second-factor-throttle.js'
import { throttledCheck } from './second-factor-throttle.js'
import { verifyTotpCode } from './totp/totp-devices.js'

export type VerifyError =
  | { kind: 'wrong-password' }
  | { kind: 'wrong-code' }
  | { kind: 'code-reused' }
  | { kind: 'code-expired' }
  | Throttled

export interface VerifyInput {
  method: Exclude<ReauthMethod, 'webauthn' | 'oidc'>
  /** The password or code the user typed. */
  value: string
  /** The session an e-mailed or texted code was sent to. */
  session?: Session | null
  meta: RequestMeta
}

export interface Verified {
  method: ReauthMethod
  /** Recovery codes left, when one was used. */
  recoveryCodesLeft?: number
  /** When a recovery code was used: whether the security notice could be mailed (NT-2). */
  notified?: boolean
}

export async function verifyFactor(
  ctx: Ctx,
  user: User,
  input: VerifyInput,
  now: number,
): Promise<Result<Verified, VerifyError>> {
  const outcome = await throttledCheck(ctx, user.id, now, async () => {
    switch (input.method) {
      case 'password': {
        const good = await verifyPassword(user.password_hash, input.value)
        return good
          ? { ok: true as const }
          : { ok: false as const, kind: 'wrong-password' as const }
      }
      case 'totp': {
        const verdict = await verifyTotpCode(ctx, user.id, input.value, now)
        if (verdict === 'ok') return { ok: true as const }
        if (verdict === 'reused') {
          await recordSecurityEvent(
            ctx,
            {
              type: 'totp.replay_rejected',
              actorUserId: user.id,
              subjectUserId: user.id,
              meta: input.meta,
            },
            now,
          )
          return { ok: false as const, kind: 'code-reused' as const }
        }
        return { ok: false as const, kind: 'wrong-code' as const }
      }
      case 'recovery_code': {
        const used = await consumeRecoveryCode(ctx, user.id, input.value, now)
        return used ? { ok: true as const } : { ok: false as const, kind: 'wrong-code' as const }
      }
      case 'email_code':
      case 'sms_code': {
        if (!input.session) return { ok: false as const, kind: 'code-expired' as const }
        const verdict = await verifyOobCode(
          ctx,
          input.session,
          input.method === 'email_code' ? 'reauth' : 'reauth-sms',
          input.value,
          now,
        )
        if (verdict === 'ok') return { ok: true as const }
        return {
          ok: false as const,
          kind: verdict === 'expired' ? ('code-expired' as const) : ('wrong-code' as const),
        }
      }
    }
  })
  if ('kind' in outcome && outcome.kind === 'throttled') return err(outcome)
  if (!outcome.ok)
    return err({ kind: (outcome as { kind: Exclude<VerifyError['kind'], 'throttled'> }).kind })
  if (input.method !== 'recovery_code') return ok({ method: input.method })

  const { left } = await recoveryCodeStatus(ctx, user.id)
  await recordSecurityEvent(
    ctx,
    {
      type: 'recovery_code.used',
      actorUserId: user.id,
      subjectUserId: user.id,
      meta: input.meta,
      details: { left },
    },
    now,
  )
  const notified = await notifySecurityChange(
    ctx,
    user.email,
    `A recovery code was used. ${left} left.`,
    now,
  )
  return ok({ method: 'recovery_code', recoveryCodesLeft: left, notified })
}
