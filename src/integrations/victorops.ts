/**
 * The Splunk On-Call (VictorOps) channel: a CRITICAL/RECOVERY alert keyed by the check's
 * unique_key POSTed to the REST endpoint URL; 404 (endpoint removed) is permanent and disables
 * the channel, as Healthchecks' VictorOps. Value: the URL. Gated by VICTOROPS_ENABLED.
 */
import { goneFailure } from './http-delivery.js'
import { renderVictorOpsAlert } from './incident-message.js'
import { urlChannel } from './url-channel.js'

export const victoropsIntegration = urlChannel({
  kind: 'victorops',
  label: 'Splunk On-Call',
  unavailableReason: (c) =>
    c.integrations.victoropsEnabled ? null : 'Splunk On-Call notifications are not enabled.',
  render: renderVictorOpsAlert,
  opensIncidents: true,
  classify: (status) => (status === 404 ? goneFailure(status) : undefined),
})
