/**
 * The phone-call channel (Twilio Calls with inline TwiML `<Say>`), down only, as Healthchecks'
 * Call; counts against the owner's monthly call_limit. Value: JSON `{"value": phone, "label"}`.
 * Needs TWILIO_ACCOUNT, TWILIO_AUTH and TWILIO_FROM.
 */
import type { Config } from '../config/index.js'
import { loadAlertInput } from './alert-input.js'
import type { Integration } from './integration.js'
import { maskPhone, parsePhoneInput, parsePhoneValue, phoneFormFields } from './phone-value.js'
import { sendTwilio } from './twilio-api.js'
import { callTwiml } from './twilio-message.js'

const TOGGLES = { up: false, down: true }

const unavailable = (c: Config) => {
  const t = c.integrations
  return t.twilioAccount && t.twilioAuth && t.twilioFrom
    ? null
    : 'Phone call notifications are not enabled.'
}

export const callIntegration: Integration = {
  kind: 'call',
  label: 'Phone Call',
  formFields: phoneFormFields({ toggles: false }),
  unavailableReason: unavailable,
  parseConfig: (input) => parsePhoneInput(input, { dflt: TOGGLES, toggles: false }),
  maskedConfig(value) {
    const v = parsePhoneValue(value, TOGGLES)
    return { value: maskPhone(v.value), label: v.label }
  },
  // A call only ever says "is down".
  isNoop: (_value, status) => status === 'up',
  async deliver(ctx, input) {
    const off = unavailable(ctx.config)
    if (off) return { ok: false, error: off, permanent: true }
    const phone = parsePhoneValue(input.channel.value, TOGGLES).value
    if (!phone) return { ok: false, error: 'Empty phone number', permanent: true }
    const message = await loadAlertInput(ctx, input)
    return sendTwilio(ctx, {
      projectId: input.channel.project_id,
      resource: 'Calls',
      quota: 'call',
      what: 'phone call',
      notificationCode: input.notification.code,
      form: {
        From: ctx.config.integrations.twilioFrom ?? '',
        To: phone,
        Twiml: callTwiml(message),
      },
    })
  },
}
