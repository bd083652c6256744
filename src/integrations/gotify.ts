/**
 * The Gotify channel: `{title, message (Markdown), extras, priority}` POSTed to
 * `<server>/message?token=<app token>`, as Healthchecks' Gotify; priority 0 for a status means
 * "do not notify". Value: JSON `{"url", "token", "priority", "priority_up"}`. Gated by
 * GOTIFY_ENABLED (Vigil's).
 */
import type { Config } from '../config/index.js'
import { ok } from '../result.js'
import { loadAlertInput } from './alert-input.js'
import {
  fieldsOf,
  jsonObject,
  priorityFormFields,
  readString,
  readUrl,
  sortedJson,
  str,
} from './channel-input.js'
import { deliverHttp } from './http-delivery.js'
import type { Integration } from './integration.js'
import type { AlertMessageInput } from './message-facts.js'
import { pushMarkdown, pushTitle } from './push-message.js'
import {
  type PushPriorities,
  priorityFor,
  readPriorities,
  storedPriorities,
  tokenPushParts,
} from './push-priority.js'

export const GOTIFY_PRIORITIES = [0, 2, 5, 9] as const

export interface GotifyValue extends PushPriorities {
  url: string
  token: string
}

export function parseGotifyValue(value: string): GotifyValue {
  const doc = jsonObject(value)
  return { url: str(doc, 'url'), token: str(doc, 'token'), ...storedPriorities(doc, 5) }
}

/** `<server>/message?token=…`, the server URL keeping any path prefix. */
export function gotifyMessageUrl(v: GotifyValue): string {
  const base = v.url.endsWith('/') ? v.url : `${v.url}/`
  return `${new URL('message', base).href}?${new URLSearchParams({ token: v.token })}`
}

export function renderGotifyPayload(
  v: GotifyValue,
  input: AlertMessageInput,
): Record<string, unknown> {
  return {
    title: pushTitle(input),
    message: pushMarkdown(input),
    extras: { 'client::display': { contentType: 'text/markdown' } },
    priority: priorityFor(v, input.status),
  }
}

const unavailable = (c: Config) =>
  c.integrations.gotifyEnabled ? null : 'Gotify notifications are not enabled.'

export const gotifyIntegration: Integration = {
  kind: 'gotify',
  label: 'Gotify',
  formFields: [
    { name: 'url', label: 'Server URL', type: 'url', required: true },
    { name: 'token', label: 'Application token', type: 'password', required: true },
    ...priorityFormFields([
      { value: '0', label: 'Off (send nothing)' },
      { value: '2', label: '2 (low)' },
      { value: '5', label: '5 (normal)' },
      { value: '9', label: '9 (high)' },
    ]),
  ],
  unavailableReason: unavailable,
  parseConfig(input) {
    const f = fieldsOf(input, 'url')
    if (!f.ok) return f
    const url = readUrl(f.value, 'url')
    if (!url.ok) return url
    const token = readString(f.value, 'token', { max: 50 })
    if (!token.ok) return token
    const priorities = readPriorities(f.value, GOTIFY_PRIORITIES, 5)
    if (!priorities.ok) return priorities
    return ok(sortedJson({ url: url.value, token: token.value, ...priorities.value }))
  },
  ...tokenPushParts(parseGotifyValue),
  async deliver(ctx, input) {
    const off = unavailable(ctx.config)
    if (off) return { ok: false, error: off, permanent: true }
    const v = parseGotifyValue(input.channel.value)
    if (!v.url || !v.token)
      return { ok: false, error: 'Empty Gotify URL or token', permanent: true }
    let url: string
    try {
      url = gotifyMessageUrl(v)
    } catch {
      return { ok: false, error: 'Invalid URL', permanent: true }
    }
    const message = await loadAlertInput(ctx, input, { downChecks: true })
    return deliverHttp(ctx, { url, userUrl: true, json: renderGotifyPayload(v, message) })
  },
}
