/**
 * The Mattermost channel: Mattermost accepts Slack's incoming-webhook payload, so it gets exactly
 * what Slack gets (slack-message.ts), as Healthchecks' Mattermost(Slackalike). Value: the webhook
 * URL. Gated by MATTERMOST_ENABLED.
 */

import { renderSlackGroup } from './group-message.js'
import { slackWebhookUrl } from './slack.js'
import { renderSlackPayload } from './slack-message.js'
import { urlChannel } from './url-channel.js'

export const mattermostIntegration = urlChannel({
  kind: 'mattermost',
  label: 'Mattermost',
  unavailableReason: (c) =>
    c.integrations.mattermostEnabled ? null : 'Mattermost notifications are not enabled.',
  render: renderSlackPayload,
  renderGroup: renderSlackGroup,
  targetUrl: slackWebhookUrl,
})
