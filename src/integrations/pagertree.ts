/**
 * The PagerTree channel: a trigger/resolve event keyed by the check's unique_key POSTed to the
 * integration URL, as Healthchecks' PagerTree. Value: the URL. Gated by PAGERTREE_ENABLED.
 */
import { renderPagerTreeEvent } from './incident-message.js'
import { urlChannel } from './url-channel.js'

export const pagertreeIntegration = urlChannel({
  kind: 'pagertree',
  label: 'PagerTree',
  unavailableReason: (c) =>
    c.integrations.pagertreeEnabled ? null : 'PagerTree notifications are not enabled.',
  render: renderPagerTreeEvent,
  opensIncidents: true,
})
