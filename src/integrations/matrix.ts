/**
 * The Matrix channel: PUT an `m.room.message` to
 * `MATRIX_HOMESERVER/_matrix/client/v3/rooms/<room>/send/m.room.message/<txn id>` with
 * `Authorization: Bearer MATRIX_ACCESS_TOKEN`, as Healthchecks' Matrix. The transaction id is the
 * notification's code, so a retry after a lost answer is de-duplicated by the homeserver instead
 * of posting twice. Value: the room id (`!abc:example.org`). Gated by MATRIX_HOMESERVER and
 * MATRIX_ACCESS_TOKEN.
 */
import type { Config } from '../config/index.js'
import { ok } from '../result.js'
import { loadAlertInput } from './alert-input.js'
import { fieldsOf, readString } from './channel-input.js'
import { deliverHttp, parseAnswer, statusFailure } from './http-delivery.js'
import type { Integration } from './integration.js'
import { renderMatrixEvent } from './matrix-message.js'

/** Percent-encodes a path segment as Python's quote(…, safe='') does (`!` included). */
export function quoteSegment(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

const unavailable = (c: Config) =>
  c.integrations.matrixHomeserver && c.integrations.matrixAccessToken
    ? null
    : 'Matrix notifications are not enabled.'

export function matrixAnswer(status: number, body: string) {
  const error = parseAnswer(body)?.error
  return typeof error === 'string'
    ? statusFailure(status, ` with a message: "${error}"`)
    : undefined
}

export const matrixIntegration: Integration = {
  kind: 'matrix',
  label: 'Matrix',
  formFields: [
    {
      name: 'room_id',
      label: 'Room id',
      type: 'text',
      required: true,
      help: 'Such as !abc:example.org; invite the bot user to the room first.',
    },
  ],
  unavailableReason: unavailable,
  /** `{"room_id": "!id:server"}` or the bare id; joining a room by alias is the UI's job. */
  parseConfig(input) {
    const f = fieldsOf(input, 'room_id')
    if (!f.ok) return f
    const room = readString(f.value, 'room_id', {
      max: 255,
      pattern: [/^![^:\s]+:\S+$/, 'must be a Matrix room id such as !abc:example.org'],
    })
    return room.ok ? ok(room.value) : room
  },
  maskedConfig: (value) => ({ room_id: value }),
  isNoop: () => false,
  async deliver(ctx, input) {
    const off = unavailable(ctx.config)
    if (off) return { ok: false, error: off, permanent: true }
    const room = input.channel.value.trim()
    if (!room) return { ok: false, error: 'Empty Matrix room id', permanent: true }
    const t = ctx.config.integrations
    const message = await loadAlertInput(ctx, input, { downChecks: true })
    return deliverHttp(
      ctx,
      {
        method: 'PUT',
        url: `${t.matrixHomeserver}/_matrix/client/v3/rooms/${quoteSegment(room)}/send/m.room.message/${quoteSegment(input.notification.code)}`,
        userUrl: false,
        headers: { Authorization: `Bearer ${t.matrixAccessToken}` },
        json: renderMatrixEvent(message),
      },
      matrixAnswer,
    )
  },
}
