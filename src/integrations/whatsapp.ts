/**
 * The WhatsApp channel (Twilio Messages with `whatsapp:` addresses and a Content API template
 * whose variable 1 is the check's name), as Healthchecks' WhatsApp; counts against the owner's
 * monthly sms_limit. Value as SMS. Needs TWILIO_USE_WHATSAPP, the Twilio account settings
 * including TWILIO_FROM (sent as `From: whatsapp:<TWILIO_FROM>` beside MessagingServiceSid, as
 * Healthchecks does), TWILIO_MESSAGING_SERVICE_SID and WHATSAPP_DOWN/UP_CONTENT_SID; warnings go out only with
 * Vigil's WHATSAPP_WARNING_CONTENT_SID (the down template would call a late check DOWN).
 */

import { whatsappTemplate, whatsappVariables } from './twilio-message.js'
import { twilioMessageIntegration } from './twilio-messages.js'

export const whatsappIntegration = twilioMessageIntegration({
  kind: 'whatsapp',
  label: 'WhatsApp',
  what: 'WhatsApp',
  enabled: (t) =>
    Boolean(
      t.twilioUseWhatsapp &&
        t.twilioAccount &&
        t.twilioAuth &&
        t.twilioFrom &&
        t.twilioMessagingServiceSid &&
        t.whatsappDownContentSid &&
        t.whatsappUpContentSid,
    ),
  form(message, phone, t) {
    const sid = whatsappTemplate(message, {
      down: t.whatsappDownContentSid,
      up: t.whatsappUpContentSid,
      warning: t.whatsappWarningContentSid,
    })
    // Only the warning template is optional (the kind is off without the other two).
    if (!sid) return 'No WhatsApp template for warnings: WHATSAPP_WARNING_CONTENT_SID is not set.'
    return {
      To: `whatsapp:${phone}`,
      From: `whatsapp:${t.twilioFrom ?? ''}`,
      MessagingServiceSid: t.twilioMessagingServiceSid ?? '',
      ContentSid: sid,
      ContentVariables: whatsappVariables(message),
    }
  },
})
