/**
 * The PagerDuty channel: a trigger/resolve event (Events API v1, create_event.json) keyed by the
 * check's unique_key, POSTed to PD_API_URL (default https://events.pagerduty.com), as
 * Healthchecks' PagerDuty. Value: the integration key, or the Simple Install JSON
 * `{"service_key", "account"}`. Gated by PD_ENABLED.
 */
import { ok } from '../result.js'
import { loadAlertInput } from './alert-input.js'
import { fieldsOf, jsonObject, maskSecret, readString, str } from './channel-input.js'
import { deliverHttp } from './http-delivery.js'
import { renderPagerDutyEvent } from './incident-message.js'
import type { Integration } from './integration.js'

export const PD_EVENTS_PATH = '/generic/2010-04-15/create_event.json'

/** The integration key of a stored value (bare key or Simple Install JSON). */
export function pdServiceKey(value: string): string {
  const v = value.trim()
  return v.startsWith('{') ? str(jsonObject(v), 'service_key') : v
}

const unavailable = (c: { integrations: { pdEnabled: boolean } }) =>
  c.integrations.pdEnabled ? null : 'PagerDuty notifications are not enabled.'

export const pdIntegration: Integration = {
  kind: 'pd',
  label: 'PagerDuty',
  formFields: [
    {
      name: 'service_key',
      label: 'Integration key',
      type: 'password',
      required: true,
      help: 'The Events API v1 integration key of a PagerDuty service.',
    },
  ],
  unavailableReason: unavailable,
  parseConfig(input) {
    const f = fieldsOf(input, 'service_key')
    if (!f.ok) return f
    const key = readString(f.value, 'service_key', {
      max: 32,
      pattern: [/^[A-Za-z0-9_-]+$/, 'must be a PagerDuty integration key'],
    })
    return key.ok ? ok(key.value) : key
  },
  maskedConfig: (value) => {
    const account = value.trim().startsWith('{') ? str(jsonObject(value), 'account') : ''
    return { service_key: maskSecret(pdServiceKey(value)), ...(account ? { account } : {}) }
  },
  isNoop: () => false,
  opensIncidents: true,
  async deliver(ctx, input) {
    const off = unavailable(ctx.config)
    if (off) return { ok: false, error: off, permanent: true }
    const key = pdServiceKey(input.channel.value)
    if (!key) return { ok: false, error: 'Empty PagerDuty integration key', permanent: true }
    const message = await loadAlertInput(ctx, input)
    return deliverHttp(ctx, {
      url: `${ctx.config.integrations.pdApiUrl}${PD_EVENTS_PATH}`,
      userUrl: false,
      json: renderPagerDutyEvent(message, key),
    })
  },
}
