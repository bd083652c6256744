/**
 * Texted confirmation codes (spec OOB-1, OOB-2, OOB-4, RA-8/RA-9): the same 6-digit code, HMAC on
 * the session, 600 s, 5 wrong entries, single use and 60 s resend rule as the e-mailed code
 * (reauth-code.ts), under its own purpose: `reauth-sms` to confirm it's you, `phone:<number>` to
 * prove a new number. Sends are rate-limited (RL-O1/RL-O2) and the text is only
 * "{code} is your {SITE_NAME} confirmation code". The digest is kept only if Twilio took the text.
 */
import type { Ctx } from '../../context.js'
import { err, ok, type Result } from '../../result.js'
import { maskPhoneNumber } from '../factors/phone/phone-number.js'
import type { Session } from '../sessions/sessions.js'
import { type SmsFailure, sendInteractiveSms } from './interactive-sms.js'
import { takeOobSend } from './oob-send-limits.js'
import { type CodePurpose, newOobCode, resendWaitSeconds, storeOobCode } from './reauth-code.js'

export type SendSmsCodeError =
  | { kind: 'too-soon'; retryAfterSeconds: number }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'sms-failed'; reason: SmsFailure }

/** The whole text message (OOB-4): nothing that a lock screen should not show. */
export function smsCodeText(code: string, siteName: string): string {
  return `${code} is your ${siteName} confirmation code`
}

/** Texts a fresh code for `purpose` to `to` (E.164); the previous code of the session dies. */
export async function sendSmsCode(
  ctx: Ctx,
  userId: number,
  session: Session,
  purpose: Extract<CodePurpose, 'reauth-sms' | `phone:${string}`>,
  to: string,
): Promise<Result<{ maskedTo: string }, SendSmsCodeError>> {
  const now = ctx.clock.now()
  const wait = resendWaitSeconds(session, now)
  if (wait !== null) return err({ kind: 'too-soon', retryAfterSeconds: wait })
  const limit = await takeOobSend(ctx, userId, to, now)
  if (!limit.allowed)
    return err({ kind: 'rate-limited', retryAfterSeconds: limit.retryAfterSeconds })
  const code = newOobCode()
  const sent = await sendInteractiveSms(ctx, { to, body: smsCodeText(code, ctx.config.siteName) })
  if (!sent.ok) return err({ kind: 'sms-failed', reason: sent.reason })
  await storeOobCode(ctx, session, purpose, code, now)
  return ok({ maskedTo: maskPhoneNumber(to) })
}
