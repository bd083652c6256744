/**
 * The Microsoft Teams channel (kind `msteamsw`, Power Automate "workflows" webhooks, which
 * replaced the retired Office 365 connectors): msteamsw-message.ts POSTed to the workflow URL.
 * Value: the URL. Gated by MSTEAMS_ENABLED, as Healthchecks' MsTeamsWorkflow.
 */

import { renderTeamsGroup } from './group-message.js'
import { renderTeamsPayload } from './msteamsw-message.js'
import { urlChannel } from './url-channel.js'

export const msteamswIntegration = urlChannel({
  kind: 'msteamsw',
  label: 'Microsoft Teams',
  unavailableReason: (c) =>
    c.integrations.msteamsEnabled ? null : 'MS Teams notifications are not enabled.',
  render: renderTeamsPayload,
  renderGroup: renderTeamsGroup,
})
