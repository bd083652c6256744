/**
 * The SMS channel (Twilio Messages): `To`, `Body` and `MessagingServiceSid` (or `From`), as
 * Healthchecks' Sms; counts against the owner's monthly sms_limit. Value: JSON
 * `{"value": phone, "label", "up", "down"}` (default down only). Needs TWILIO_ACCOUNT,
 * TWILIO_AUTH and TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID.
 */
import type { Config } from '../config/index.js'
import { loadAlertInput } from './alert-input.js'
import type { Integration } from './integration.js'
import {
  isPhoneNoop,
  maskPhone,
  parsePhoneInput,
  parsePhoneValue,
  phoneFormFields,
} from './phone-value.js'
import { sendTwilio } from './twilio-api.js'
import { smsText } from './twilio-message.js'

const DEFAULT_TOGGLES = { up: false, down: true }

const unavailable = (c: Config) => {
  const t = c.integrations
  return t.twilioAccount && t.twilioAuth && (t.twilioFrom || t.twilioMessagingServiceSid)
    ? null
    : 'SMS notifications are not enabled.'
}

export const smsIntegration: Integration = {
  kind: 'sms',
  label: 'SMS',
  formFields: phoneFormFields({ toggles: true }),
  unavailableReason: unavailable,
  parseConfig: (input) => parsePhoneInput(input, { dflt: DEFAULT_TOGGLES }),
  maskedConfig(value) {
    const v = parsePhoneValue(value, DEFAULT_TOGGLES)
    return { ...v, value: maskPhone(v.value) }
  },
  isNoop: (value, status) => isPhoneNoop(parsePhoneValue(value, DEFAULT_TOGGLES), status),
  async deliver(ctx, input) {
    const off = unavailable(ctx.config)
    if (off) return { ok: false, error: off, permanent: true }
    const phone = parsePhoneValue(input.channel.value, DEFAULT_TOGGLES).value
    if (!phone) return { ok: false, error: 'Empty phone number', permanent: true }
    const message = await loadAlertInput(ctx, input)
    const t = ctx.config.integrations
    const form: Record<string, string> = { To: phone, Body: smsText(message) }
    if (t.twilioMessagingServiceSid) form.MessagingServiceSid = t.twilioMessagingServiceSid
    else form.From = t.twilioFrom ?? ''
    return sendTwilio(ctx, {
      projectId: input.channel.project_id,
      resource: 'Messages',
      quota: 'sms',
      what: 'SMS',
      form,
    })
  },
}
