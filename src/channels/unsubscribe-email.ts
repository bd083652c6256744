/**
 * Use case behind an alert email's unsubscribe link (spec §5.2): a good signed token for the
 * channel uuid (mail/unsubscribe-links.ts) names the email channel; unsubscribing sets it
 * `disabled`, as a hard bounce does, so deliveries skip it until its form is saved again.
 * A bad token is refused before any query: a guess costs one HMAC and writes nothing.
 */
import type { Ctx } from '../context.js'
import { parseEmailValue } from '../integrations/index.js'
import { channelUnsubscribeSignedAt } from '../mail/index.js'
import { err, ok, type Result } from '../result.js'

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export type UnsubscribeEmailError = { kind: 'bad-link' }

/** What the confirmation page shows: the address, or null when the channel is gone. */
export interface EmailChannelTarget {
  channelId: number
  address: string
  disabled: boolean
  /** When the link was signed (ms): Healthchecks auto-submits the form of links over 5 min old. */
  signedAt: number
}

/** The channel a link names, after checking its signature; `null` = good link, channel deleted. */
export async function findUnsubscribeTarget(
  ctx: Ctx,
  code: string,
  signedToken: string,
): Promise<Result<EmailChannelTarget | null, UnsubscribeEmailError>> {
  const signedAt = UUID_RE.test(code)
    ? channelUnsubscribeSignedAt(code, signedToken, ctx.config.secretKey)
    : null
  if (signedAt === null) return err({ kind: 'bad-link' })
  const channel = await ctx.db.kysely
    .selectFrom('channels')
    .select(['id', 'value', 'disabled'])
    .where('code', '=', code)
    .where('kind', '=', 'email')
    .executeTakeFirst()
  if (!channel) return ok(null)
  return ok({
    channelId: channel.id,
    address: parseEmailValue(channel.value).address,
    disabled: channel.disabled !== 0,
    signedAt,
  })
}

/** Disables the channel a good link names; idempotent. */
export async function unsubscribeEmailChannel(
  ctx: Ctx,
  code: string,
  signedToken: string,
): Promise<Result<EmailChannelTarget | null, UnsubscribeEmailError>> {
  const target = await findUnsubscribeTarget(ctx, code, signedToken)
  if (!target.ok || target.value === null || target.value.disabled) return target
  await ctx.db.kysely
    .updateTable('channels')
    .set({ disabled: 1 })
    .where('id', '=', target.value.channelId)
    .execute()
  return ok({ ...target.value, disabled: true })
}
