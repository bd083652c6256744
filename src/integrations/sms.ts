/**
 * The SMS channel (Twilio Messages): `To`, `Body` and `MessagingServiceSid` (or `From`), as
 * Healthchecks' Sms; counts against the owner's monthly sms_limit. Value: JSON
 * `{"value": phone, "label", "up", "down"}` (default down only). Needs TWILIO_ACCOUNT,
 * TWILIO_AUTH and TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID.
 */

import { smsText } from './twilio-message.js'
import { twilioMessageIntegration } from './twilio-messages.js'

export const smsIntegration = twilioMessageIntegration({
  kind: 'sms',
  label: 'SMS',
  what: 'SMS',
  enabled: (t) =>
    Boolean(t.twilioAccount && t.twilioAuth && (t.twilioFrom || t.twilioMessagingServiceSid)),
  form(message, phone, t) {
    const form: Record<string, string> = { To: phone, Body: smsText(message) }
    if (t.twilioMessagingServiceSid) form.MessagingServiceSid = t.twilioMessagingServiceSid
    else form.From = t.twilioFrom ?? ''
    return form
  },
})
