/**
 * The Telegram channel: `sendMessage` (JSON, `parse_mode: html`) to
 * `TELEGRAM_API_URL/bot<TELEGRAM_TOKEN>/sendMessage`, as Healthchecks' Telegram. A group that
 * became a supergroup answers `migrate_to_chat_id`: the new id is saved and the message sent again
 * once. Telegram's "the chat is gone" errors are permanent and disable the channel; other errors
 * quote Telegram's description. 6 messages a minute per chat. Value: JSON
 * `{"id", "type", "name", "thread_id"}`. Gated by TELEGRAM_TOKEN.
 */
import type { Config } from '../config/index.js'
import type { Ctx } from '../context.js'
import { authorizeBucket } from '../ratelimit/index.js'
import { ok } from '../result.js'
import { loadAlertInput } from './alert-input.js'
import { fieldsOf, jsonObject, problem, readString } from './channel-input.js'
import { telegramGroupText } from './group-message.js'
import { networkFailure, parseAnswer, statusFailure } from './http-delivery.js'
import type { DeliveryResult, Integration } from './integration.js'
import { sendOutbound } from './outbound-http.js'
import { telegramText } from './telegram-message.js'

export const TELEGRAM_RATE = { capacity: 6, refillMs: 60_000 }

/** Descriptions after which the chat will never accept the bot's messages again. */
export const TELEGRAM_PERMANENT_ERRORS = new Set([
  'Forbidden: the group chat was deleted',
  'Forbidden: bot was blocked by the user',
  'Forbidden: bot was kicked from the group chat',
  'Forbidden: bot was kicked from the supergroup chat',
  'Forbidden: bot was kicked from the channel chat',
  'Forbidden: bot is not a member of the channel chat',
  'Forbidden: bot is not a member of the supergroup chat',
  'Forbidden: user is deactivated',
  "Forbidden: bot can't initiate conversation with a user",
  'Bad Request: chat not found',
  'Bad Request: group chat was upgraded to a supergroup chat',
  'Bad Request: message thread not found',
])

export interface TelegramValue {
  id: number | string
  type: string
  name: string
  thread_id: number | null
}

export function parseTelegramValue(value: string): TelegramValue {
  const doc = jsonObject(value)
  const id = typeof doc.id === 'number' || typeof doc.id === 'string' ? doc.id : ''
  return {
    id,
    type: typeof doc.type === 'string' ? doc.type : '',
    name: typeof doc.name === 'string' ? doc.name : '',
    thread_id: typeof doc.thread_id === 'number' ? doc.thread_id : null,
  }
}

type SendOutcome = DeliveryResult | { migrateTo: number | string }

/** One sendMessage call. */
async function sendMessage(ctx: Ctx, v: TelegramValue, text: string): Promise<SendOutcome> {
  const t = ctx.config.integrations
  const payload: Record<string, unknown> = { chat_id: v.id, text, parse_mode: 'html' }
  if (v.thread_id !== null) payload.message_thread_id = v.thread_id
  const r = await sendOutbound({
    method: 'POST',
    url: `${t.telegramApiUrl}/bot${t.telegramToken}/sendMessage`,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(payload),
    timeoutMs: ctx.config.webhookTimeoutMs,
    allowPrivateIps: true,
  })
  if (!r.ok) return networkFailure(r.error)
  const status = r.response.status
  if (status === 200) return { ok: true }
  const doc = parseAnswer(r.response.body)
  const params = doc?.parameters as Record<string, unknown> | undefined
  const migrateTo = params?.migrate_to_chat_id
  if (typeof migrateTo === 'number' || typeof migrateTo === 'string') return { migrateTo }
  const description = typeof doc?.description === 'string' ? doc.description : null
  if (description === null) return statusFailure(status)
  if (TELEGRAM_PERMANENT_ERRORS.has(description))
    return { ok: false, error: description, permanent: true, disableChannel: true }
  return { ...statusFailure(status), error: description }
}

const unavailable = (c: Config) =>
  c.integrations.telegramToken ? null : 'Telegram notifications are not enabled.'

export const telegramIntegration: Integration = {
  kind: 'telegram',
  label: 'Telegram',
  formFields: [
    {
      name: 'id',
      label: 'Chat id',
      type: 'number',
      required: true,
      help: 'The numeric id of the chat or group (groups are negative).',
    },
    { name: 'name', label: 'Chat name', type: 'text' },
    {
      name: 'type',
      label: 'Chat type',
      type: 'select',
      options: [
        { value: 'private', label: 'Private chat' },
        { value: 'group', label: 'Group' },
        { value: 'supergroup', label: 'Supergroup' },
        { value: 'channel', label: 'Channel' },
      ],
    },
    { name: 'thread_id', label: 'Topic (thread) id', type: 'number', help: 'Optional.' },
  ],
  unavailableReason: unavailable,
  /** `{"id": chat id, "type", "name", "thread_id"}` as the bot's invite flow records it. */
  parseConfig(input) {
    const f = fieldsOf(input, 'id')
    if (!f.ok) return f
    const rawId = f.value.id
    const id = typeof rawId === 'string' && /^-?\d+$/.test(rawId) ? Number(rawId) : rawId
    if (typeof id !== 'number' || !Number.isSafeInteger(id))
      return problem('id', 'must be a Telegram chat id (an integer)')
    const type = readString(f.value, 'type', { max: 20, required: false })
    if (!type.ok) return type
    const name = readString(f.value, 'name', { max: 100, required: false })
    if (!name.ok) return name
    const thread = f.value.thread_id ?? null
    if (thread !== null && !Number.isSafeInteger(thread))
      return problem('thread_id', 'must be an integer')
    return ok(
      JSON.stringify({
        id,
        type: type.value || 'private',
        name: name.value,
        thread_id: thread as number | null,
      }),
    )
  },
  maskedConfig: (value) => ({ ...parseTelegramValue(value) }),
  isNoop: () => false,
  rendersGroups: true,
  async deliver(ctx, input) {
    const off = unavailable(ctx.config)
    if (off) return { ok: false, error: off, permanent: true }
    const v = parseTelegramValue(input.channel.value)
    if (v.id === '') return { ok: false, error: 'Empty Telegram chat id', permanent: true }
    if (!(await authorizeBucket(ctx.db, `tg-${v.id}`, TELEGRAM_RATE, ctx.clock.now())))
      return { ok: false, error: 'Rate limit exceeded', permanent: false }
    const text = input.group
      ? telegramGroupText(input.group)
      : telegramText(await loadAlertInput(ctx, input, { downChecks: true }))
    const first = await sendMessage(ctx, v, text)
    if (!('migrateTo' in first)) return first
    // The group became a supergroup: remember its new id, then try once more (only once, so two
    // chats pointing at each other cannot loop).
    const moved = { ...v, id: first.migrateTo }
    await ctx.db.kysely
      .updateTable('channels')
      .set({ value: JSON.stringify(moved) })
      .where('id', '=', input.channel.id)
      .execute()
    const second = await sendMessage(ctx, moved, text)
    return 'migrateTo' in second
      ? { ok: false, error: 'Telegram asked to migrate the chat twice', permanent: false }
      : second
  },
}
