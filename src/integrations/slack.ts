/**
 * The Slack channel: the Slack-style payload (slack-message.ts) POSTed to an incoming-webhook URL.
 * Value: the bare URL, or the JSON of Healthchecks' "Add to Slack" OAuth flow
 * (`incoming_webhook.url`). 404 and 400 `invalid_token` are permanent and disable the channel,
 * as Healthchecks' Slack.raise_for_response. Gated by SLACK_ENABLED.
 */
import { jsonObject } from './channel-input.js'
import { renderSlackGroup } from './group-message.js'
import { goneFailure } from './http-delivery.js'
import type { DeliveryResult } from './integration.js'
import { renderSlackPayload } from './slack-message.js'
import { urlChannel } from './url-channel.js'

/** The webhook URL of a Slack or Mattermost value (bare URL or OAuth JSON). */
export function slackWebhookUrl(value: string): string {
  const v = value.trim()
  if (!v.startsWith('{')) return v
  const hook = jsonObject(v).incoming_webhook
  const url = hook && typeof hook === 'object' ? (hook as Record<string, unknown>).url : undefined
  return typeof url === 'string' ? url : ''
}

/** Slack's answers that mean "this webhook will never work again". */
export function slackAnswer(status: number, body: string): DeliveryResult | undefined {
  if (status === 404 || (status === 400 && body.trim() === 'invalid_token')) {
    return goneFailure(status)
  }
  return undefined
}

export const slackIntegration = urlChannel({
  kind: 'slack',
  label: 'Slack',
  unavailableReason: (c) =>
    c.integrations.slackEnabled ? null : 'Slack notifications are not enabled.',
  render: renderSlackPayload,
  renderGroup: renderSlackGroup,
  classify: slackAnswer,
  targetUrl: slackWebhookUrl,
})
