/**
 * The Zulip channel: a form POST `{type, to, topic, content}` to `<site>/api/v1/messages` with
 * HTTP Basic bot e-mail : API key, as Healthchecks' Zulip; Zulip's `msg` is quoted in errors.
 * Value: JSON `{"bot_email", "api_key", "site", "mtype": "stream"|"private", "to", "topic"}`;
 * values without `site` use `https://` + the bot e-mail's domain (Healthchecks' fallback).
 * Gated by ZULIP_ENABLED.
 */
import type { Config } from '../config/index.js'
import { ok } from '../result.js'
import { loadAlertInput } from './alert-input.js'
import {
  fieldsOf,
  jsonObject,
  maskSecret,
  problem,
  readString,
  readUrl,
  sortedJson,
  str,
} from './channel-input.js'
import { deliverHttp, parseAnswer, statusFailure } from './http-delivery.js'
import type { Integration } from './integration.js'
import { zulipContent, zulipTopic } from './zulip-message.js'

export interface ZulipValue {
  botEmail: string
  apiKey: string
  site: string
  mtype: 'stream' | 'private'
  to: string
  topic: string
}

export function parseZulipValue(value: string): ZulipValue {
  const doc = jsonObject(value)
  const botEmail = str(doc, 'bot_email')
  const site = str(doc, 'site') || `https://${botEmail.split('@')[1] ?? ''}`
  return {
    botEmail,
    apiKey: str(doc, 'api_key'),
    site: site.replace(/\/+$/, ''),
    mtype: str(doc, 'mtype') === 'private' ? 'private' : 'stream',
    to: str(doc, 'to'),
    topic: str(doc, 'topic'),
  }
}

export function zulipAnswer(status: number, body: string) {
  const msg = parseAnswer(body)?.msg
  return typeof msg === 'string' ? statusFailure(status, ` with a message: "${msg}"`) : undefined
}

const unavailable = (c: Config) =>
  c.integrations.zulipEnabled ? null : 'Zulip notifications are not enabled.'

export const zulipIntegration: Integration = {
  kind: 'zulip',
  label: 'Zulip',
  formFields: [
    { name: 'bot_email', label: 'Bot email', type: 'text', required: true },
    { name: 'api_key', label: 'Bot API key', type: 'password', required: true },
    { name: 'site', label: 'Zulip site URL', type: 'url', required: true },
    {
      name: 'mtype',
      label: 'Post to',
      type: 'select',
      options: [
        { value: 'stream', label: 'A stream' },
        { value: 'private', label: 'A private message' },
      ],
    },
    { name: 'to', label: 'Stream name or recipient email', type: 'text', required: true },
    { name: 'topic', label: 'Topic', type: 'text', help: 'Optional, streams only.' },
  ],
  unavailableReason: unavailable,
  parseConfig(input) {
    const f = fieldsOf(input, 'bot_email')
    if (!f.ok) return f
    const email = readString(f.value, 'bot_email', {
      max: 254,
      pattern: [/^[^@\s]+@[^@\s]+$/, 'must be an email address'],
    })
    if (!email.ok) return email
    const key = readString(f.value, 'api_key', { max: 50 })
    if (!key.ok) return key
    const site = readUrl(f.value, 'site')
    if (!site.ok) return site
    const mtype = f.value.mtype ?? 'stream'
    if (mtype !== 'stream' && mtype !== 'private')
      return problem('mtype', 'must be "stream" or "private"')
    const to = readString(f.value, 'to', { max: 200 })
    if (!to.ok) return to
    const topic = readString(f.value, 'topic', { max: 100, required: false })
    if (!topic.ok) return topic
    return ok(
      sortedJson({
        bot_email: email.value,
        api_key: key.value,
        site: site.value.replace(/\/+$/, ''),
        mtype,
        to: to.value,
        topic: topic.value,
      }),
    )
  },
  maskedConfig(value) {
    const v = parseZulipValue(value)
    return {
      bot_email: v.botEmail,
      api_key: maskSecret(v.apiKey),
      site: v.site,
      mtype: v.mtype,
      to: v.to,
      topic: v.topic,
    }
  },
  isNoop: () => false,
  async deliver(ctx, input) {
    const off = unavailable(ctx.config)
    if (off) return { ok: false, error: off, permanent: true }
    const v = parseZulipValue(input.channel.value)
    if (!v.botEmail || !v.apiKey || !v.to)
      return { ok: false, error: 'Incomplete Zulip settings', permanent: true }
    const message = await loadAlertInput(ctx, input)
    return deliverHttp(
      ctx,
      {
        url: `${v.site}/api/v1/messages`,
        userUrl: true,
        auth: { user: v.botEmail, password: v.apiKey },
        form: {
          type: v.mtype,
          to: v.to,
          topic: zulipTopic(message, v.topic),
          content: zulipContent(message),
        },
      },
      zulipAnswer,
    )
  },
}
