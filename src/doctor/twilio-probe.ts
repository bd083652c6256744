/**
 * SMS-002 (spec 5.17, `vigil doctor --network`): asks Twilio for the Account resource
 * (`GET TWILIO_API_URL/2010-04-01/Accounts/<sid>.json`, HTTP Basic account SID : auth token).
 * 401/403 means the credentials are rejected: a warning, and the `sms` capability goes
 * `disabled` (sms-capability.ts) until the credentials change or a later probe succeeds.
 * Nothing is sent and nothing is charged; an unreachable API is reported but changes nothing.
 */
import { recordTwilioCredentials } from '../accounts/index.js'
import { canSendSms } from '../config/index.js'
import type { Ctx } from '../context.js'
import { sendOutbound } from '../integrations/index.js'
import type { Finding } from './findings.js'

export async function probeTwilio(ctx: Ctx, deadlineMs: number): Promise<Finding[]> {
  if (!canSendSms(ctx.config)) return []
  const t = ctx.config.integrations
  const pair = `${t.twilioAccount}:${t.twilioAuth}`
  const r = await sendOutbound({
    method: 'GET',
    url: `${t.twilioApiUrl}/2010-04-01/Accounts/${encodeURIComponent(t.twilioAccount ?? '')}.json`,
    headers: { Authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` },
    timeoutMs: Math.min(deadlineMs, ctx.config.accounts.smsTimeoutMs),
    allowPrivateIps: true,
  })
  const now = ctx.clock.now()
  if (!r.ok) {
    return [
      {
        id: 'SMS-002',
        severity: 'info',
        message: `Twilio (${t.twilioApiUrl}) could not be reached to check the credentials: ${r.error}.`,
        hint: 'Check that this machine can reach the Twilio API (TWILIO_API_URL), then run `vigil doctor --network` again.',
      },
    ]
  }
  const status = r.response.status
  if (status === 401 || status === 403) {
    await recordTwilioCredentials(ctx, true, now)
    return [
      {
        id: 'SMS-002',
        severity: 'warning',
        message: `Twilio rejected TWILIO_ACCOUNT and TWILIO_AUTH (HTTP ${status}): SMS, WhatsApp and phone-call integrations fail, and confirmation codes by text message are disabled.`,
        hint: 'Copy the Account SID and Auth Token from the Twilio console into TWILIO_ACCOUNT and TWILIO_AUTH.',
      },
    ]
  }
  if (status >= 200 && status < 300) {
    await recordTwilioCredentials(ctx, false, now)
    return []
  }
  return [
    {
      id: 'SMS-002',
      severity: 'info',
      message: `Twilio answered HTTP ${status} when asked for the account: the credentials could not be checked.`,
      hint: 'Run `vigil doctor --network` again later.',
    },
  ]
}
