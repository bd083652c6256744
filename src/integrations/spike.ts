/**
 * The Spike.sh channel: `{check_id, title, message, status}` POSTed to the webhook URL, as
 * Healthchecks' Spike. Value: the URL. Gated by SPIKE_ENABLED.
 */
import { renderSpikeEvent } from './incident-message.js'
import { urlChannel } from './url-channel.js'

export const spikeIntegration = urlChannel({
  kind: 'spike',
  label: 'Spike.sh',
  unavailableReason: (c) =>
    c.integrations.spikeEnabled ? null : 'Spike notifications are not enabled.',
  render: renderSpikeEvent,
  opensIncidents: true,
})
