/**
 * Builds the Integration of a kind whose whole configuration is one user-typed URL that receives
 * a JSON POST (Slack, Mattermost, Rocket.Chat, Teams, Google Chat, PagerTree, Spike, Splunk
 * On-Call): input `"https://…"` or `{"url": "https://…"}`, stored as the bare URL as Healthchecks
 * stores it, shown masked (these URLs carry their secret), sent through the private-address guard.
 */
import type { Config } from '../config/index.js'
import { ok } from '../result.js'
import { loadAlertInput } from './alert-input.js'
import { fieldsOf, maskUrl, readUrl } from './channel-input.js'
import type { GroupMessageInput } from './group-message.js'
import { type AnswerClassifier, deliverHttp } from './http-delivery.js'
import type { Integration } from './integration.js'
import type { AlertMessageInput } from './message-facts.js'

export interface UrlChannelSpec {
  kind: string
  label: string
  unavailableReason(config: Config): string | null
  /** The payload for one notification (pure). */
  render(input: AlertMessageInput): unknown
  /** The payload for a grouped message (group-message.ts); without it the kind gets a stand-in. */
  renderGroup?(group: GroupMessageInput): unknown
  classify?: AnswerClassifier
  /** The stored value → the URL to post to; default: the value itself. */
  targetUrl?(value: string): string
  /** The stored value → the URL shown (masked); default: targetUrl. */
  displayUrl?(value: string): string
  /** The URL the user typed → the stored value; default: the URL itself. */
  store?(url: string): string
  /** Help under the URL input (where to find it). */
  urlHelp?: string
  /** Extra headers (PagerTree and Spike send an explicit Content-Type). */
  headers?: Record<string, string>
  /** An incident service (Integration.opensIncidents): no warnings. */
  opensIncidents?: boolean
}

export function urlChannel(spec: UrlChannelSpec): Integration {
  const target = spec.targetUrl ?? ((v: string) => v.trim())
  return {
    kind: spec.kind,
    label: spec.label,
    unavailableReason: spec.unavailableReason,
    // The URL is the channel's secret: not shown back on the edit form.
    formFields: [
      {
        name: 'url',
        label: `${spec.label} webhook URL`,
        type: 'url',
        required: true,
        secret: true,
        help: spec.urlHelp,
      },
    ],
    formValues: (value) => ({ url: (spec.displayUrl ?? target)(value) }),
    parseConfig(input) {
      const f = fieldsOf(input, 'url')
      if (!f.ok) return f
      const url = readUrl(f.value, 'url')
      if (!url.ok) return url
      return ok(spec.store ? spec.store(url.value) : url.value)
    },
    maskedConfig: (value) => ({ url: maskUrl((spec.displayUrl ?? target)(value)) }),
    isNoop: () => false,
    rendersGroups: spec.renderGroup !== undefined,
    opensIncidents: spec.opensIncidents === true,
    async deliver(ctx, input) {
      const off = spec.unavailableReason(ctx.config)
      if (off) return { ok: false, error: off, permanent: true }
      const url = target(input.channel.value)
      if (!url) return { ok: false, error: 'Empty URL', permanent: true }
      const json =
        input.group && spec.renderGroup
          ? spec.renderGroup(input.group)
          : spec.render(await loadAlertInput(ctx, input))
      return deliverHttp(ctx, { url, userUrl: true, json, headers: spec.headers }, spec.classify)
    },
  }
}
