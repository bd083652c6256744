/**
 * The WhatsApp channel (Twilio Messages with `whatsapp:` addresses and a Content API template
 * whose variable 1 is the check's name), as Healthchecks' WhatsApp; counts against the owner's
 * monthly sms_limit. Value as SMS. Needs TWILIO_USE_WHATSAPP, the Twilio account settings
 * including TWILIO_FROM (sent as `From: whatsapp:<TWILIO_FROM>` beside MessagingServiceSid, as
 * Healthchecks does), TWILIO_MESSAGING_SERVICE_SID and WHATSAPP_DOWN/UP_CONTENT_SID.
 */

import { whatsappVariables } from './twilio-message.js'
import { twilioMessageIntegration } from './twilio-messages.js'

export const whatsappIntegration = twilioMessageIntegration({
  kind: 'whatsapp',
  label: 'WhatsApp',
  what: 'WhatsApp',
  unavailable(c) {
    const t = c.integrations
    return t.twilioUseWhatsapp &&
      t.twilioAccount &&
      t.twilioAuth &&
      t.twilioFrom &&
      t.twilioMessagingServiceSid &&
      t.whatsappDownContentSid &&
      t.whatsappUpContentSid
      ? null
      : 'WhatsApp notifications are not enabled.'
  },
  form: (message, phone, t) => ({
    To: `whatsapp:${phone}`,
    From: `whatsapp:${t.twilioFrom ?? ''}`,
    MessagingServiceSid: t.twilioMessagingServiceSid ?? '',
    ContentSid:
      (message.status === 'down' ? t.whatsappDownContentSid : t.whatsappUpContentSid) ?? '',
    ContentVariables: whatsappVariables(message),
  }),
})
