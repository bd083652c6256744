/**
 * Use cases of the phone used for texted confirmation codes (spec RA-1 "add or verify a phone
 * number", class S; OOB-4 "a phone verified by the same code flow"): text a code to a new number,
 * take the number once the code comes back (`phone.verified`), and remove it (`phone.removed`).
 * The routes demand a sudo grant first. Until verified, a number is stored nowhere: the pending
 * number travels in the form and the code's HMAC purpose binds the code to it.
 */

import type { Ctx } from '../../../context.js'
import type { User } from '../../../db/index.js'
import { withTransaction } from '../../../db/index.js'
import { err, ok, type Result } from '../../../result.js'
import { type RequestMeta, recordSecurityEvent } from '../../audit/security-events.js'
import { notifySecurityChange } from '../../audit/security-notifications.js'
import { verifyOobCode } from '../../codes/reauth-code.js'
import { smsCapability } from '../../codes/sms-capability.js'
import { type SendSmsCodeError, sendSmsCode } from '../../codes/sms-code.js'
import type { Session } from '../../sessions/sessions.js'
import { type Throttled, throttledCheck } from '../second-factor-throttle.js'
import { parsePhoneNumber } from './phone-number.js'

export interface UserPhone {
  phone: string
  verifiedAt: number
}

/** The user's verified phone, or null. A number without a verification time does not count. */
export async function verifiedPhone(ctx: Ctx, userId: number): Promise<UserPhone | null> {
  const row = await ctx.db.kysely
    .selectFrom('users')
    .select(['phone', 'phone_verified_at'])
    .where('id', '=', userId)
    .executeTakeFirst()
  if (!row?.phone || row.phone_verified_at === null) return null
  return { phone: row.phone, verifiedAt: Number(row.phone_verified_at) }
}

export type StartPhoneError =
  | { kind: 'invalid-phone' }
  | { kind: 'sms-unavailable' }
  | SendSmsCodeError

/** Checks the number and texts it a code; returns the number in E.164 for the next form. */
export async function startPhoneVerification(
  ctx: Ctx,
  input: { user: User; session: Session; phone: string },
): Promise<Result<{ phone: string; maskedTo: string }, StartPhoneError>> {
  const parsed = parsePhoneNumber(input.phone)
  if (!parsed.ok) return parsed
  if (!(await smsCapability(ctx)).enabled) return err({ kind: 'sms-unavailable' })
  const phone = parsed.value
  const sent = await sendSmsCode(ctx, input.user.id, input.session, `phone:${phone}`, phone)
  if (!sent.ok) return sent
  return ok({ phone, maskedTo: sent.value.maskedTo })
}

export type ConfirmPhoneError =
  | { kind: 'invalid-phone' }
  | { kind: 'wrong-code' }
  | { kind: 'code-expired' }
  | Throttled

/** Takes the number once the code texted to it is entered (throttled as every code, RL-F1). */
export async function confirmPhoneVerification(
  ctx: Ctx,
  input: { user: User; session: Session; phone: string; code: string; meta: RequestMeta },
): Promise<Result<{ phone: string; notified: boolean }, ConfirmPhoneError>> {
  const parsed = parsePhoneNumber(input.phone)
  if (!parsed.ok) return parsed
  const phone = parsed.value
  const { user } = input
  const now = ctx.clock.now()
  const outcome = await throttledCheck(ctx, user.id, now, async () => {
    const verdict = await verifyOobCode(ctx, input.session, `phone:${phone}`, input.code, now)
    if (verdict === 'ok') return { ok: true as const }
    return {
      ok: false as const,
      kind: verdict === 'expired' ? ('code-expired' as const) : ('wrong-code' as const),
    }
  })
  if ('kind' in outcome && outcome.kind === 'throttled') return err(outcome)
  if (!outcome.ok) return err({ kind: (outcome as { kind: 'wrong-code' | 'code-expired' }).kind })
  await withTransaction(ctx, async (t, trx) => {
    await trx
      .updateTable('users')
      .set({ phone, phone_verified_at: now })
      .where('id', '=', user.id)
      .execute()
    await recordSecurityEvent(
      t,
      {
        type: 'phone.verified',
        actorUserId: user.id,
        subjectUserId: user.id,
        meta: input.meta,
        details: { ending: phone.slice(-4) },
      },
      now,
    )
  })
  const notified = await notifySecurityChange(
    ctx,
    user.email,
    `A phone number ending in ${phone.slice(-4)} can now receive confirmation codes by text message.`,
    now,
  )
  return ok({ phone, notified })
}

/** Forgets the user's phone; texted codes are no longer offered. */
export async function removePhone(
  ctx: Ctx,
  input: { user: User; meta: RequestMeta },
): Promise<Result<{ notified: boolean }, { kind: 'no-phone' }>> {
  const now = ctx.clock.now()
  const { user } = input
  const removed = await withTransaction(ctx, async (t, trx) => {
    const r = await trx
      .updateTable('users')
      .set({ phone: null, phone_verified_at: null })
      .where('id', '=', user.id)
      .where('phone', 'is not', null)
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) === 0) return false
    await recordSecurityEvent(
      t,
      { type: 'phone.removed', actorUserId: user.id, subjectUserId: user.id, meta: input.meta },
      now,
    )
    return true
  })
  if (!removed) return err({ kind: 'no-phone' })
  const notified = await notifySecurityChange(
    ctx,
    user.email,
    'The phone number for confirmation codes was removed from your account.',
    now,
  )
  return ok({ notified })
}
