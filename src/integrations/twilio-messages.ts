/**
 * The Twilio Messages kinds (SMS and WhatsApp) built from one description: a phone number with
 * up/down toggles (default down only), masked for display, counted against the owner's monthly
 * sms_limit. As Healthchecks' Sms and WhatsApp, which differ only in the settings that switch
 * them on and the form they post. Phone calls (call.ts) speak, have no toggles and count calls.
 */
import type { Config, IntegrationsConfig } from '../config/index.js'
import { loadAlertInput } from './alert-input.js'
import type { Integration } from './integration.js'
import type { AlertMessageInput } from './message-facts.js'
import { parsePhoneValue, togglePhoneParts } from './phone-value.js'
import { sendTwilio } from './twilio-api.js'

const DEFAULT_TOGGLES = { up: false, down: true }

export interface TwilioMessageKind {
  kind: 'sms' | 'whatsapp'
  label: string
  /** Names the kind in quota notices ("Monthly SMS limit reached"). */
  what: 'SMS' | 'WhatsApp'
  /** Whether the settings switch the kind on (else "<what> notifications are not enabled."). */
  enabled(t: IntegrationsConfig): boolean
  /**
   * The Messages.json form of one alert (StatusCallback is added by sendTwilio), or why this
   * alert cannot be sent (a permanent failure; nothing is posted and no quota is taken).
   */
  form(
    message: AlertMessageInput,
    phone: string,
    t: IntegrationsConfig,
  ): Record<string, string> | string
}

export function twilioMessageIntegration(spec: TwilioMessageKind): Integration {
  const unavailable = (c: Config) =>
    spec.enabled(c.integrations) ? null : `${spec.what} notifications are not enabled.`
  return {
    kind: spec.kind,
    label: spec.label,
    unavailableReason: unavailable,
    ...togglePhoneParts(DEFAULT_TOGGLES),
    async deliver(ctx, input) {
      const off = unavailable(ctx.config)
      if (off) return { ok: false, error: off, permanent: true }
      const phone = parsePhoneValue(input.channel.value, DEFAULT_TOGGLES).value
      if (!phone) return { ok: false, error: 'Empty phone number', permanent: true }
      const message = await loadAlertInput(ctx, input)
      const form = spec.form(message, phone, ctx.config.integrations)
      if (typeof form === 'string') return { ok: false, error: form, permanent: true }
      return sendTwilio(ctx, {
        projectId: input.channel.project_id,
        resource: 'Messages',
        quota: 'sms',
        what: spec.what,
        notificationCode: input.notification.code,
        form,
      })
    },
  }
}
