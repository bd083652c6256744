/**
 * The Signal channel: JSON-RPC `send` `{recipient: [number]}` (or `{username: [name]}`) to
 * signal-cli over SIGNAL_CLI_SOCKET, as Healthchecks' Signal. An unregistered recipient is
 * permanent and disables the channel; a rate-limit challenge ("CAPTCHA proof required") is retried
 * later, and the admins and the owner are told once (signal-captcha.ts). 6 messages a minute per
 * recipient. Value: JSON `{"value", "label", "up", "down"}`, a username stored as `u:name.01`.
 */
import { createHash } from 'node:crypto'
import type { Config } from '../config/index.js'
import { authorizeBucket } from '../ratelimit/index.js'
import { loadAlertInput } from './alert-input.js'
import type { DeliveryResult, Integration } from './integration.js'
import { parsePhoneValue, togglePhoneParts } from './phone-value.js'
import { alertAdminsOfCaptcha, mailRateLimitedAlert, signalChallenge } from './signal-captcha.js'
import { signalText } from './signal-message.js'
import { callSignalCli } from './signal-rpc.js'

export const SIGNAL_RATE = { capacity: 6, refillMs: 60_000 }
const TOGGLES = { up: true, down: true }

export function signalBucket(recipient: string, secretKey: string): string {
  return `signal-${createHash('sha1').update(`${recipient}${secretKey}`).digest('hex')}`
}

/** Maps signal-cli's answer (Healthchecks' Signal.send error handling). */
export function signalReplyResult(reply: Record<string, unknown>): DeliveryResult {
  const error = reply.error as Record<string, unknown> | undefined
  if (!error) return { ok: true }
  const data = error.data as
    | { response?: { results?: { type?: string; token?: unknown }[] } }
    | undefined
  for (const result of data?.response?.results ?? []) {
    if (result.type === 'UNREGISTERED_FAILURE')
      return { ok: false, error: 'Recipient not found', permanent: true, disableChannel: true }
    // Without a challenge token there is nothing to solve: a plain failure, as Healthchecks.
    if (result.type === 'RATE_LIMIT_FAILURE' && result.token)
      return { ok: false, error: 'CAPTCHA proof required', permanent: false }
  }
  return { ok: false, error: `signal-cli call failed (${String(error.code)})`, permanent: false }
}

const unavailable = (c: Config) =>
  c.integrations.signalCliSocket ? null : 'Signal notifications are not enabled.'

export const signalIntegration: Integration = {
  kind: 'signal',
  label: 'Signal',
  unavailableReason: unavailable,
  ...togglePhoneParts(TOGGLES, { usernames: true }),
  async deliver(ctx, input) {
    const off = unavailable(ctx.config)
    if (off) return { ok: false, error: off, permanent: true }
    const recipient = parsePhoneValue(input.channel.value, TOGGLES).value
    if (!recipient) return { ok: false, error: 'Empty Signal recipient', permanent: true }
    const bucket = signalBucket(recipient, ctx.config.secretKey)
    if (!(await authorizeBucket(ctx.db, bucket, SIGNAL_RATE, ctx.clock.now())))
      return { ok: false, error: 'Rate limit exceeded', permanent: false }
    const message = signalText(await loadAlertInput(ctx, input, { downChecks: true }))
    const params: Record<string, unknown> = recipient.startsWith('u:')
      ? { username: [recipient.slice(2)], message }
      : { recipient: [recipient], message }
    const r = await callSignalCli(
      ctx.config.integrations.signalCliSocket ?? '',
      'send',
      params,
      ctx.config.webhookTimeoutMs,
    )
    if (!r.ok) return { ok: false, error: r.error, permanent: false }
    const challenge = signalChallenge(r.reply)
    if (challenge) {
      const now = ctx.clock.now()
      await alertAdminsOfCaptcha(ctx, challenge, JSON.stringify(r.reply), now)
      await mailRateLimitedAlert(
        ctx,
        {
          projectId: input.channel.project_id,
          notificationCode: input.notification.code,
          recipient,
          plaintext: message,
        },
        now,
      )
    }
    return signalReplyResult(r.reply)
  },
}
