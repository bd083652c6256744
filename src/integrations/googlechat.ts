/**
 * The Google Chat channel: googlechat-message.ts POSTed to the space's webhook URL, as
 * Healthchecks' GoogleChat transport. Value: the URL. Gated by GOOGLECHAT_ENABLED (Vigil's).
 */
import { renderGoogleChatPayload } from './googlechat-message.js'
import { urlChannel } from './url-channel.js'

export const googlechatIntegration = urlChannel({
  kind: 'googlechat',
  label: 'Google Chat',
  unavailableReason: (c) =>
    c.integrations.googlechatEnabled ? null : 'Google Chat notifications are not enabled.',
  render: renderGoogleChatPayload,
})
