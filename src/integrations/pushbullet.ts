/**
 * The Pushbullet channel: a `note` push POSTed as JSON to `PUSHBULLET_API_URL/v2/pushes` with the
 * user's OAuth access token in `Access-Token`, as Healthchecks' Pushbullet. A 401 means the token
 * was revoked: permanent, and the channel is disabled. Value: the access token.
 */
import { ok } from '../result.js'
import { loadAlertInput } from './alert-input.js'
import { fieldsOf, maskSecret, readString } from './channel-input.js'
import { deliverHttp, goneFailure } from './http-delivery.js'
import type { Integration } from './integration.js'
import { renderPushbulletNote } from './pushbullet-message.js'

export const pushbulletIntegration: Integration = {
  kind: 'pushbullet',
  label: 'Pushbullet',
  formFields: [{ name: 'access_token', label: 'Access token', type: 'password', required: true }],
  // Sending needs only the stored token; PUSHBULLET_CLIENT_ID gates the OAuth set-up page.
  unavailableReason: () => null,
  parseConfig(input) {
    const f = fieldsOf(input, 'access_token')
    if (!f.ok) return f
    const token = readString(f.value, 'access_token', {
      max: 100,
      pattern: [/^[A-Za-z0-9._-]+$/, 'must be a Pushbullet access token'],
    })
    return token.ok ? ok(token.value) : token
  },
  maskedConfig: (value) => ({ access_token: maskSecret(value.trim()) }),
  isNoop: () => false,
  async deliver(ctx, input) {
    const token = input.channel.value.trim()
    if (!token) return { ok: false, error: 'Empty Pushbullet access token', permanent: true }
    const message = await loadAlertInput(ctx, input)
    return deliverHttp(
      ctx,
      {
        url: `${ctx.config.integrations.pushbulletApiUrl}/v2/pushes`,
        userUrl: false,
        headers: { 'Access-Token': token },
        json: renderPushbulletNote(message),
      },
      (status) => (status === 401 ? goneFailure(status) : undefined),
    )
  },
}
