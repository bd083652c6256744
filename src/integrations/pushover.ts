/**
 * The Pushover channel: a form POST to `PUSHOVER_API_URL/1/messages.json` (`html=1`, `tags` =
 * the check's unique_key, a link), as Healthchecks' Pushover. Priority -2..2 per status, -3 =
 * off; emergency (2) adds `retry`/`expire` from the settings, and an up after an emergency down
 * first cancels the repeating alert (`/1/receipts/cancel_by_tag/<unique_key>.json`). A 400
 * `user: invalid` is permanent and disables the channel. 6 messages a minute per user key.
 * Value: `user_key|priority|priority_up` (Healthchecks' format). Gated by PUSHOVER_API_TOKEN.
 */
import { createHash } from 'node:crypto'
import { uniqueKey } from '../checks/index.js'
import type { Config } from '../config/index.js'
import { authorizeBucket } from '../ratelimit/index.js'
import { ok } from '../result.js'
import { loadAlertInput } from './alert-input.js'
import { fieldsOf, maskSecret, priorityFormFields, readString } from './channel-input.js'
import { deliverHttp, parseAnswer } from './http-delivery.js'
import type { AlertStatus, DeliveryResult, Integration } from './integration.js'
import { readPriorities } from './push-priority.js'
import { pushoverLink, pushoverMessage, pushoverTitle } from './pushover-message.js'

/** -3 = do not notify, -2 lowest … 2 emergency. */
export const PUSHOVER_PRIORITIES = [-3, -2, -1, 0, 1, 2] as const
export const PUSHOVER_RATE = { capacity: 6, refillMs: 60_000 }

export interface PushoverValue {
  userKey: string
  priority: number
  priorityUp: number
}

/** `key|prio` or `key|prio|prio_up`; without the third part up uses the down priority. */
export function parsePushoverValue(value: string): PushoverValue {
  const [userKey = '', down = '0', up] = value.trim().split('|')
  const priority = Number.parseInt(down, 10)
  const p = Number.isFinite(priority) ? priority : 0
  const pu = up === undefined ? p : Number.parseInt(up, 10)
  return { userKey, priority: p, priorityUp: Number.isFinite(pu) ? pu : p }
}

function priorityFor(v: PushoverValue, status: AlertStatus): number {
  return status === 'up' ? v.priorityUp : v.priority
}

/** Healthchecks' bucket key: `po-` + SHA-1 of the user key and the secret key. */
export function pushoverBucket(userKey: string, secretKey: string): string {
  return `po-${createHash('sha1').update(`${userKey}${secretKey}`).digest('hex')}`
}

export function pushoverAnswer(status: number, body: string): DeliveryResult | undefined {
  if (status === 400 && parseAnswer(body)?.user === 'invalid')
    return { ok: false, error: 'Invalid Pushover user key', permanent: true, disableChannel: true }
  return undefined
}

const unavailable = (c: Config) =>
  c.integrations.pushoverApiToken ? null : 'Pushover notifications are not enabled.'

export const pushoverIntegration: Integration = {
  kind: 'po',
  label: 'Pushover',
  formFields: [
    { name: 'user_key', label: 'User or group key', type: 'password', required: true },
    ...priorityFormFields([
      { value: '-3', label: 'Off (send nothing)' },
      { value: '-2', label: 'Lowest' },
      { value: '-1', label: 'Low' },
      { value: '0', label: 'Normal' },
      { value: '1', label: 'High' },
      { value: '2', label: 'Emergency' },
    ]),
  ],
  unavailableReason: unavailable,
  formValues(value) {
    const [user_key = '', priority = '0', priority_up = priority] = value.split('|')
    return { user_key, priority, priority_up }
  },
  parseConfig(input) {
    const f = fieldsOf(input, 'user_key')
    if (!f.ok) return f
    const key = readString(f.value, 'user_key', {
      max: 50,
      pattern: [/^[A-Za-z0-9]+$/, 'must be a Pushover user or group key'],
    })
    if (!key.ok) return key
    const prio = readPriorities(f.value, PUSHOVER_PRIORITIES, 0)
    if (!prio.ok) return prio
    return ok(`${key.value}|${prio.value.priority}|${prio.value.priority_up}`)
  },
  maskedConfig(value) {
    const v = parsePushoverValue(value)
    return { user_key: maskSecret(v.userKey), priority: v.priority, priority_up: v.priorityUp }
  },
  isNoop: (value, status) => priorityFor(parsePushoverValue(value), status) === -3,
  async deliver(ctx, input) {
    const off = unavailable(ctx.config)
    if (off) return { ok: false, error: off, permanent: true }
    const t = ctx.config.integrations
    const v = parsePushoverValue(input.channel.value)
    if (!v.userKey) return { ok: false, error: 'Empty Pushover user key', permanent: true }
    const bucket = pushoverBucket(v.userKey, ctx.config.secretKey)
    if (!(await authorizeBucket(ctx.db, bucket, PUSHOVER_RATE, ctx.clock.now())))
      return { ok: false, error: 'Rate limit exceeded', permanent: false }
    const message = await loadAlertInput(ctx, input, { downChecks: true })
    const tag = uniqueKey(input.check.code)
    const token = t.pushoverApiToken ?? ''
    if (message.status === 'up' && v.priority === 2) {
      // Stop the emergency alert from repeating; if this fails, the retry repeats both steps.
      const cancel = await deliverHttp(ctx, {
        url: `${t.pushoverApiUrl}/1/receipts/cancel_by_tag/${tag}.json`,
        userUrl: false,
        form: { token },
      })
      if (!cancel.ok) return cancel
    }
    const priority = priorityFor(v, message.status)
    const form: Record<string, string | number> = {
      token,
      user: v.userKey,
      message: pushoverMessage(message),
      title: pushoverTitle(message),
      html: 1,
      priority,
      tags: tag,
      ...pushoverLink(message),
    }
    if (priority === 2) {
      form.retry = t.pushoverEmergencyRetryDelay
      form.expire = t.pushoverEmergencyExpiration
    }
    return deliverHttp(
      ctx,
      { url: `${t.pushoverApiUrl}/1/messages.json`, userUrl: false, form },
      pushoverAnswer,
    )
  },
}
