/**
 * The Discord channel: Discord webhooks accept Slack's payload at `<webhook url>/slack`, so it
 * gets what Slack gets (slack-message.ts); discordapp.com URLs are rewritten to discord.com, and
 * a 404 (webhook deleted) is permanent and disables the channel, as Healthchecks' Discord.
 * Value: Healthchecks' OAuth JSON `{"webhook": {"url": …}}`. Gated by DISCORD_ENABLED (Vigil's).
 */
import { jsonObject } from './channel-input.js'
import { renderSlackGroup } from './group-message.js'
import { goneFailure } from './http-delivery.js'
import { renderSlackPayload } from './slack-message.js'
import { urlChannel } from './url-channel.js'

/** The stored webhook URL (discordapp.com rewritten), without the `/slack` suffix. */
export function discordWebhookUrl(value: string): string {
  const hook = jsonObject(value).webhook
  const url = hook && typeof hook === 'object' ? (hook as Record<string, unknown>).url : undefined
  if (typeof url !== 'string') return ''
  return url.replace('https://discordapp.com/', 'https://discord.com/').replace(/\/+$/, '')
}

export const discordIntegration = urlChannel({
  kind: 'discord',
  label: 'Discord',
  unavailableReason: (c) =>
    c.integrations.discordEnabled ? null : 'Discord notifications are not enabled.',
  render: renderSlackPayload,
  renderGroup: renderSlackGroup,
  targetUrl: (value) => {
    const url = discordWebhookUrl(value)
    return url ? `${url}/slack` : ''
  },
  displayUrl: discordWebhookUrl,
  store: (url) => JSON.stringify({ webhook: { url } }),
  classify: (status) => (status === 404 ? goneFailure(status) : undefined),
})
