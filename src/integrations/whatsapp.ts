/**
 * The WhatsApp channel (Twilio Messages with `whatsapp:` addresses and a Content API template
 * whose variable 1 is the check's name), as Healthchecks' WhatsApp; counts against the owner's
 * monthly sms_limit. Value as SMS. Needs TWILIO_USE_WHATSAPP, the Twilio account settings,
 * TWILIO_MESSAGING_SERVICE_SID and WHATSAPP_DOWN_CONTENT_SID / WHATSAPP_UP_CONTENT_SID.
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
import { whatsappVariables } from './twilio-message.js'

const DEFAULT_TOGGLES = { up: false, down: true }

const unavailable = (c: Config) => {
  const t = c.integrations
  return t.twilioUseWhatsapp &&
    t.twilioAccount &&
    t.twilioAuth &&
    t.twilioMessagingServiceSid &&
    t.whatsappDownContentSid &&
    t.whatsappUpContentSid
    ? null
    : 'WhatsApp notifications are not enabled.'
}

export const whatsappIntegration: Integration = {
  kind: 'whatsapp',
  label: 'WhatsApp',
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
    return sendTwilio(ctx, {
      projectId: input.channel.project_id,
      resource: 'Messages',
      quota: 'sms',
      what: 'WhatsApp',
      form: {
        To: `whatsapp:${phone}`,
        MessagingServiceSid: t.twilioMessagingServiceSid ?? '',
        ContentSid:
          (message.status === 'down' ? t.whatsappDownContentSid : t.whatsappUpContentSid) ?? '',
        ContentVariables: whatsappVariables(message),
      },
    })
  },
}
