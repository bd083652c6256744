/**
 * The Rocket.Chat channel: rocketchat-message.ts POSTed to the incoming-webhook URL, as
 * Healthchecks' RocketChat transport. Value: the URL. Gated by ROCKETCHAT_ENABLED.
 */
import { renderRocketChatPayload } from './rocketchat-message.js'
import { urlChannel } from './url-channel.js'

export const rocketchatIntegration = urlChannel({
  kind: 'rocketchat',
  label: 'Rocket.Chat',
  unavailableReason: (c) =>
    c.integrations.rocketchatEnabled ? null : 'Rocket.Chat notifications are not enabled.',
  render: renderRocketChatPayload,
})
