/**
 * The Opsgenie channel: on down, create an alert (alias = the check's unique_key) at
 * `<api>/v2/alerts`; on up, close it at `<api>/v2/alerts/<alias>/close?identifierType=alias`;
 * `Authorization: GenieKey <key>`. The API base is OPSGENIE_API_URL, or OPSGENIE_EU_API_URL for
 * region "eu". Errors quote Opsgenie's message, as Healthchecks' Opsgenie. Value: JSON
 * `{"key", "region"}` (legacy: the bare key, region us). Gated by OPSGENIE_ENABLED.
 */
import { uniqueKey } from '../checks/index.js'
import type { Config } from '../config/index.js'
import { ok } from '../result.js'
import { loadAlertInput } from './alert-input.js'
import { fieldsOf, jsonObject, maskSecret, problem, readString, str } from './channel-input.js'
import { deliverHttp, parseAnswer, statusFailure } from './http-delivery.js'
import { renderOpsgenieAlert } from './incident-message.js'
import type { Integration } from './integration.js'

export interface OpsgenieValue {
  key: string
  region: 'us' | 'eu'
}

export function parseOpsgenieValue(value: string): OpsgenieValue {
  const v = value.trim()
  if (!v.startsWith('{')) return { key: v, region: 'us' }
  const doc = jsonObject(v)
  return { key: str(doc, 'key'), region: str(doc, 'region') === 'eu' ? 'eu' : 'us' }
}

const unavailable = (c: Config) =>
  c.integrations.opsgenieEnabled ? null : 'Opsgenie notifications are not enabled.'

/** Opsgenie answers errors as `{"message": …}`; quoted in the error as Healthchecks does. */
export function opsgenieAnswer(status: number, body: string) {
  const message = parseAnswer(body)?.message
  return typeof message === 'string'
    ? statusFailure(status, ` with a message: "${message}"`)
    : undefined
}

export const opsgenieIntegration: Integration = {
  kind: 'opsgenie',
  label: 'Opsgenie',
  formFields: [
    { name: 'key', label: 'API key', type: 'password', required: true },
    {
      name: 'region',
      label: 'Region',
      type: 'select',
      options: [
        { value: 'us', label: 'US' },
        { value: 'eu', label: 'EU' },
      ],
    },
  ],
  unavailableReason: unavailable,
  parseConfig(input) {
    const f = fieldsOf(input, 'key')
    if (!f.ok) return f
    const key = readString(f.value, 'key', { max: 40 })
    if (!key.ok) return key
    const region = f.value.region ?? 'us'
    if (region !== 'us' && region !== 'eu') return problem('region', 'must be "us" or "eu"')
    return ok(JSON.stringify({ key: key.value, region }))
  },
  maskedConfig(value) {
    const v = parseOpsgenieValue(value)
    return { key: maskSecret(v.key), region: v.region }
  },
  isNoop: () => false,
  opensIncidents: true,
  async deliver(ctx, input) {
    const off = unavailable(ctx.config)
    if (off) return { ok: false, error: off, permanent: true }
    const v = parseOpsgenieValue(input.channel.value)
    if (!v.key) return { ok: false, error: 'Empty Opsgenie API key', permanent: true }
    const message = await loadAlertInput(ctx, input)
    const i = ctx.config.integrations
    let url = `${v.region === 'eu' ? i.opsgenieEuApiUrl : i.opsgenieApiUrl}/v2/alerts`
    if (message.status === 'up') url += `/${uniqueKey(input.check.code)}/close?identifierType=alias`
    return deliverHttp(
      ctx,
      {
        url,
        userUrl: false,
        headers: { Authorization: `GenieKey ${v.key}` },
        json: renderOpsgenieAlert(message),
      },
      opsgenieAnswer,
    )
  },
}
