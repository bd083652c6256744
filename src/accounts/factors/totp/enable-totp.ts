/**
 * Use case: enrolling an authenticator app (spec TOTP-5). The new secret waits on the session row,
 * encrypted, for at most 15 minutes; a valid code confirms it, records its step as used (so the
 * same code cannot log in, TOTP-4) and issues recovery codes when the user has none (RC-1).
 * Sudo is checked by the route. Healthchecks keeps the pending secret in the Django session.
 */

import type { Ctx } from '../../../context.js'
import type { User } from '../../../db/index.js'
import { withTransaction } from '../../../db/index.js'
import { err, ok, type Result } from '../../../result.js'
import { type RequestMeta, recordSecurityEvent } from '../../audit/security-events.js'
import { notifySecurityChange } from '../../audit/security-notifications.js'
import type { Session } from '../../sessions/sessions.js'
import { issueFirstRecoveryCodes } from '../recovery-codes/regenerate-recovery-codes.js'
import { type Throttled, throttledCheck } from '../second-factor-throttle.js'
import { openSecret, sealSecret, secretBoxKey } from '../secret-box.js'
import { matchTotpStep, newTotpSecret, totpUri } from './totp.js'
import { saveTotp } from './totp-devices.js'

export const TOTP_ENROLMENT_TTL_MS = 900_000

export interface PendingTotp {
  secret: string
  uri: string
}

/** The secret being enrolled on this session: the one already pending, or a new one. */
export async function startTotpEnrolment(
  ctx: Ctx,
  user: User,
  session: Session,
): Promise<PendingTotp> {
  const now = ctx.clock.now()
  const key = secretBoxKey(ctx.config)
  let secret: string | null = null
  if (session.totp_pending && session.totp_pending_at !== null) {
    if (now - session.totp_pending_at <= TOTP_ENROLMENT_TTL_MS)
      secret = openSecret(key, session.totp_pending)
  }
  if (secret === null) {
    secret = newTotpSecret()
    await ctx.db.kysely
      .updateTable('sessions')
      .set({ totp_pending: sealSecret(key, secret), totp_pending_at: now })
      .where('id', '=', session.id)
      .execute()
  }
  return { secret, uri: totpUri(secret, user.email, ctx.config.siteName) }
}

export type ConfirmTotpError = { kind: 'no-pending' } | { kind: 'wrong-code' } | Throttled

export interface TotpEnabled {
  /** New recovery codes to show once, or null when the user already had some. */
  recoveryCodes: string[] | null
  /** A notice was queued (false: this server cannot send mail). */
  notified: boolean
}

export async function confirmTotpEnrolment(
  ctx: Ctx,
  input: { user: User; session: Session; code: string; meta: RequestMeta },
): Promise<Result<TotpEnabled, ConfirmTotpError>> {
  const now = ctx.clock.now()
  const { user, session } = input
  const row = await ctx.db.kysely
    .selectFrom('sessions')
    .select(['totp_pending', 'totp_pending_at'])
    .where('id', '=', session.id)
    .executeTakeFirst()
  const fresh =
    row?.totp_pending &&
    row.totp_pending_at !== null &&
    now - row.totp_pending_at <= TOTP_ENROLMENT_TTL_MS
  const secret = fresh ? openSecret(secretBoxKey(ctx.config), row.totp_pending as string) : null
  if (secret === null) return err({ kind: 'no-pending' })

  let step: number | null = null
  const checked = await throttledCheck(ctx, user.id, now, async () => {
    step = matchTotpStep(secret, input.code, now, ctx.config.accounts.totpDriftSteps)
    return { ok: step !== null }
  })
  if ('kind' in checked) return err(checked)
  if (step === null) return err({ kind: 'wrong-code' })
  const confirmedStep: number = step

  const recoveryCodes = await withTransaction(ctx, async (t, trx) => {
    await saveTotp(t, user.id, secret, confirmedStep, now)
    await trx
      .updateTable('sessions')
      .set({ totp_pending: null, totp_pending_at: null })
      .where('id', '=', session.id)
      .execute()
    await recordSecurityEvent(
      t,
      { type: 'totp.enabled', actorUserId: user.id, subjectUserId: user.id, meta: input.meta },
      now,
    )
    return issueFirstRecoveryCodes(t, user.id, input.meta, now)
  })
  const notified = await notifySecurityChange(
    ctx,
    user.email,
    'Two-factor authentication with an authenticator app was turned on.',
    now,
  )
  return ok({ recoveryCodes, notified })
}
