/**
 * The ntfy channel: a JSON publish (`topic`, `priority`, title, Markdown message, a red/green
 * circle tag and a "View on <site>" action) POSTed to the server's root URL, with the channel's
 * token as Bearer (or NTFY_SH_TOKEN for https://ntfy.sh). Priority 0 for a status means "do not
 * notify". At most 6 messages a minute per server and topic (token bucket), as Healthchecks' Ntfy.
 * Value: JSON `{"topic", "url", "priority", "priority_up", "token"}`. Gated by NTFY_ENABLED.
 */
import { createHash } from 'node:crypto'
import type { Config } from '../config/index.js'
import { authorizeBucket } from '../ratelimit/index.js'
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
import { type GroupMessageInput, groupMarkdown, groupStatus, groupTitle } from './group-message.js'
import { deliverHttp } from './http-delivery.js'
import type { Integration } from './integration.js'
import { detailsUrl } from './message-facts.js'
import { pushMarkdown, pushTitle } from './push-message.js'
import {
  type PushPriorities,
  priorityFor,
  readPriorities,
  storedPriorities,
  tokenPushParts,
} from './push-priority.js'

export const NTFY_PRIORITIES = [0, 1, 2, 3, 4, 5] as const
/** 6 messages per 60 s per server and topic (spec 1.6). */
export const NTFY_RATE = { capacity: 6, refillMs: 60_000 }

export interface NtfyValue extends PushPriorities {
  topic: string
  url: string
  token: string
}

export function parseNtfyValue(value: string): NtfyValue {
  const doc = jsonObject(value)
  return {
    topic: str(doc, 'topic'),
    url: str(doc, 'url') || 'https://ntfy.sh',
    ...storedPriorities(doc, 3),
    token: str(doc, 'token'),
  }
}

/** Healthchecks' bucket key: `ntfy-` + SHA-1 of server, topic and the secret key. */
export function ntfyBucket(v: NtfyValue, secretKey: string): string {
  return `ntfy-${createHash('sha1').update(`${v.url}-${v.topic}-${secretKey}`).digest('hex')}`
}

const unavailable = (c: Config) =>
  c.integrations.ntfyEnabled ? null : 'ntfy notifications are not enabled.'

export const ntfyIntegration: Integration = {
  kind: 'ntfy',
  label: 'ntfy',
  formFields: [
    {
      name: 'topic',
      label: 'Topic',
      type: 'text',
      required: true,
      help: 'Letters, digits, - and _.',
    },
    { name: 'url', label: 'Server URL', type: 'url', help: 'Leave blank for https://ntfy.sh.' },
    ...priorityFormFields([
      { value: '0', label: 'Off (send nothing)' },
      { value: '1', label: '1 (min)' },
      { value: '2', label: '2 (low)' },
      { value: '3', label: '3 (default)' },
      { value: '4', label: '4 (high)' },
      { value: '5', label: '5 (max)' },
    ]),
    { name: 'token', label: 'Access token', type: 'password', help: 'Only for protected topics.' },
  ],
  unavailableReason: unavailable,
  parseConfig(input) {
    const f = fieldsOf(input, 'topic')
    if (!f.ok) return f
    const topic = readString(f.value, 'topic', {
      max: 64,
      pattern: [/^[-_A-Za-z0-9]+$/, 'may contain only letters, digits, - and _'],
    })
    if (!topic.ok) return topic
    const url = readUrl(f.value, 'url', { required: false })
    if (!url.ok) return url
    const token = readString(f.value, 'token', { max: 100, required: false })
    if (!token.ok) return token
    const priorities = readPriorities(f.value, NTFY_PRIORITIES, 3)
    if (!priorities.ok) return priorities
    return ok(
      sortedJson({
        topic: topic.value,
        url: (url.value || 'https://ntfy.sh').replace(/\/+$/, ''),
        ...priorities.value,
        token: token.value,
      }),
    )
  },
  ...tokenPushParts(parseNtfyValue),
  rendersGroups: true,
  async deliver(ctx, input) {
    const off = unavailable(ctx.config)
    if (off) return { ok: false, error: off, permanent: true }
    const v = parseNtfyValue(input.channel.value)
    if (!v.topic) return { ok: false, error: 'Empty ntfy topic', permanent: true }
    const now = ctx.clock.now()
    if (!(await authorizeBucket(ctx.db, ntfyBucket(v, ctx.config.secretKey), NTFY_RATE, now))) {
      // Not permanent: the worker tries again after its backoff, when the bucket has refilled.
      return { ok: false, error: 'Rate limit exceeded', permanent: false }
    }
    const json = input.group
      ? renderNtfyGroup(v, input.group)
      : renderNtfyPayload(v, await loadAlertInput(ctx, input, { downChecks: true }))
    const headers: Record<string, string> = {}
    const token =
      v.token || (v.url === 'https://ntfy.sh' ? ctx.config.integrations.ntfyShToken : '')
    if (token) headers.Authorization = `Bearer ${token}`
    return deliverHttp(ctx, {
      url: v.url,
      userUrl: true,
      headers,
      json,
    })
  },
}

/** The publish body (pure). */
export function renderNtfyPayload(
  v: NtfyValue,
  input: Parameters<typeof pushMarkdown>[0],
): Record<string, unknown> {
  return {
    topic: v.topic,
    priority: priorityFor(v, input.status),
    title: pushTitle(input),
    message: pushMarkdown(input),
    markdown: true,
    tags: [input.warning ? 'warning' : input.status === 'down' ? 'red_circle' : 'green_circle'],
    actions: [
      {
        action: 'view',
        label: `View on ${input.siteName}`,
        url: detailsUrl(input.siteRoot, input.check.code),
      },
    ],
  }
}

/** The publish body of a grouped message (pure): the higher priority of the statuses in it. */
export function renderNtfyGroup(v: NtfyValue, g: GroupMessageInput): Record<string, unknown> {
  const status = groupStatus(g)
  return {
    topic: v.topic,
    priority: priorityFor(v, status) || priorityFor(v, status === 'down' ? 'up' : 'down'),
    title: groupTitle(g),
    message: groupMarkdown(g),
    markdown: true,
    tags: [status === 'down' ? 'red_circle' : 'green_circle'],
  }
}
