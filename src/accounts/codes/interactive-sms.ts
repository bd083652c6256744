/**
 * Interactive text messages (spec RA-8/RA-9, OOB-4): one synchronous POST to Twilio's Messages
 * resource, capped by SMS_TIMEOUT, whose outcome the user is told at once; used for confirmation
 * codes only (alerts go through the worker, integrations/sms.ts). The same Twilio settings and
 * base URL (TWILIO_API_URL) as the SMS integration; no status callback, no quota, no retry.
 * Failure reasons go to the log, never to the user (INV-3). It never throws.
 */
import { canSendSms } from '../../config/index.js'
import type { Ctx } from '../../context.js'
import { formBody, parseAnswer, sendOutbound } from '../../integrations/index.js'
import { recordTwilioCredentials } from './sms-capability.js'

/** Why a text did not go; for the log and the caller's choice of words. */
export type SmsFailure =
  | 'unconfigured'
  | 'timeout'
  | 'connect'
  | 'auth'
  | 'invalid_number'
  | 'other'

/** Twilio's error code for a number it cannot text (as Healthchecks' Sms). */
const INVALID_NUMBER_CODES = new Set([21211, 21614])

export async function sendInteractiveSms(
  ctx: Ctx,
  sms: { to: string; body: string },
): Promise<{ ok: true } | { ok: false; reason: SmsFailure }> {
  if (!canSendSms(ctx.config)) return { ok: false, reason: 'unconfigured' }
  const t = ctx.config.integrations
  const form: Record<string, string> = { To: sms.to, Body: sms.body }
  if (t.twilioMessagingServiceSid) form.MessagingServiceSid = t.twilioMessagingServiceSid
  else form.From = t.twilioFrom ?? ''
  const pair = `${t.twilioAccount}:${t.twilioAuth}`
  const r = await sendOutbound({
    method: 'POST',
    url: `${t.twilioApiUrl}/2010-04-01/Accounts/${encodeURIComponent(t.twilioAccount ?? '')}/Messages.json`,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`,
    },
    body: formBody(form),
    timeoutMs: ctx.config.accounts.smsTimeoutMs,
    // The base URL is the operator's setting, not user input (as the SMS integration).
    allowPrivateIps: true,
  })
  let reason: SmsFailure
  if (!r.ok) {
    reason = r.error === 'Connection timed out' ? 'timeout' : 'connect'
  } else if (r.response.status >= 200 && r.response.status < 300) {
    return { ok: true }
  } else if (r.response.status === 401) {
    reason = 'auth'
    // The same verdict as SMS-002: the capability goes off until the credentials change.
    try {
      await recordTwilioCredentials(ctx, true, ctx.clock.now())
    } catch (e) {
      ctx.log.error({ err: e }, 'sms.credentials_record_failed')
    }
  } else {
    const code = parseAnswer(r.response.body)?.code
    reason =
      r.response.status === 400 && typeof code === 'number' && INVALID_NUMBER_CODES.has(code)
        ? 'invalid_number'
        : 'other'
  }
  const detail = r.ok ? `status ${r.response.status}` : r.error
  ctx.log.warn({ reason, detail }, 'sms.delivery_failed (interactive)')
  return { ok: false, reason }
}
