/**
 * Use cases: change the account's e-mail address (spec LG-5; sudo, class D with 2FA, at the
 * route). When mail can go, a link (32 random bytes, stored as SHA-256, 30 minutes, single use)
 * goes to the new address and a notice to the old one; only the link applies the change. Without
 * mail the change applies at once, marked unverified, and the page says so. Healthchecks always
 * e-mails the link, and without SMTP answers 500.
 */

import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import { withTransaction } from '../../db/index.js'
import { enqueueMail, mailStatus } from '../../mail/index.js'
import { err, ok, type Result } from '../../result.js'
import { newToken, sha256Hex } from '../../tokens.js'
import { type RequestMeta, recordSecurityEvent } from '../audit/security-events.js'
import { notifySecurityChange } from '../audit/security-notifications.js'
import { deleteUserSessions } from '../sessions/sessions.js'
import { findUserByEmail, normalizeEmail } from './create-user.js'

export const EMAIL_CHANGE_TTL_MS = 1_800_000
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/

export type EmailChangeError =
  | { kind: 'invalid-email' }
  | { kind: 'email-taken' }
  | { kind: 'same-email' }
  | { kind: 'mail-degraded' }

export type EmailChangeOutcome =
  | { applied: true; verified: false }
  | { applied: false; sentTo: string }

export async function requestEmailChange(
  ctx: Ctx,
  input: { user: User; newEmail: string; keepSessionId: string; meta: RequestMeta },
): Promise<Result<EmailChangeOutcome, EmailChangeError>> {
  const now = ctx.clock.now()
  const email = normalizeEmail(input.newEmail)
  const { user } = input
  if (!EMAIL_RE.test(email) || email.length > 254) return err({ kind: 'invalid-email' })
  if (email === user.email) return err({ kind: 'same-email' })
  if (await findUserByEmail(ctx, email)) return err({ kind: 'email-taken' })

  const mail = await mailStatus(ctx)
  // LG-5: a verification mail that will not arrive must not strand the change (T-27).
  if (mail === 'degraded') return err({ kind: 'mail-degraded' })
  if (mail === 'unconfigured') {
    await applyEmailChange(ctx, user, email, false, input.keepSessionId, input.meta, now)
    return ok({ applied: true, verified: false })
  }
  const token = newToken()
  await withTransaction(ctx, async (t, trx) => {
    // Only the newest request counts.
    await trx.deleteFrom('email_changes').where('user_id', '=', user.id).execute()
    await trx
      .insertInto('email_changes')
      .values({
        id: sha256Hex(token),
        user_id: user.id,
        new_email: email,
        created: now,
        expires: now + EMAIL_CHANGE_TTL_MS,
      })
      .execute()
    await enqueueMail(
      t.db,
      {
        to: email,
        unverifiedRecipient: true,
        subject: `Confirm your new ${ctx.config.siteName} email address`,
        text: [
          `Someone asked to use this address for the ${ctx.config.siteName} account ${user.email}.`,
          'To confirm, open this link within 30 minutes while logged in:',
          '',
          `${ctx.config.siteRoot}/account/email/confirm?token=${token}`,
          '',
          'If you did not ask for this, ignore this message.',
        ].join('\n'),
      },
      now,
    )
    await recordSecurityEvent(
      t,
      {
        type: 'email.change_requested',
        actorUserId: user.id,
        subjectUserId: user.id,
        meta: input.meta,
        details: { new_email: email },
      },
      now,
    )
  })
  await notifySecurityChange(
    ctx,
    user.email,
    `A change of your email address to ${email} was requested.`,
    now,
  )
  return ok({ applied: false, sentTo: email })
}

export type ConfirmEmailError = { kind: 'link-invalid' } | { kind: 'email-taken' }

/** Applies the change a mailed link names, for the logged-in user it was made for. */
export async function confirmEmailChange(
  ctx: Ctx,
  input: { user: User; token: string; keepSessionId: string; meta: RequestMeta },
): Promise<Result<{ email: string }, ConfirmEmailError>> {
  const now = ctx.clock.now()
  const row = await ctx.db.kysely
    .deleteFrom('email_changes')
    .where('id', '=', sha256Hex(input.token))
    .where('user_id', '=', input.user.id)
    .returningAll()
    .executeTakeFirst()
  if (!row || row.expires <= now) return err({ kind: 'link-invalid' })
  if (await findUserByEmail(ctx, row.new_email)) return err({ kind: 'email-taken' })
  const old = input.user.email
  await applyEmailChange(ctx, input.user, row.new_email, true, input.keepSessionId, input.meta, now)
  await notifySecurityChange(
    ctx,
    old,
    `Your account's email address was changed to ${row.new_email}.`,
    now,
  )
  return ok({ email: row.new_email })
}

async function applyEmailChange(
  ctx: Ctx,
  user: User,
  email: string,
  verified: boolean,
  keepSessionId: string,
  meta: RequestMeta,
  now: number,
): Promise<void> {
  await withTransaction(ctx, async (t, trx) => {
    await trx
      .updateTable('users')
      .set({ email, email_verified: verified ? 1 : 0 })
      .where('id', '=', user.id)
      .execute()
    // SE-6: other sessions end; pending log-ins die with the old address (LG-3).
    await deleteUserSessions(t, user.id, keepSessionId)
    await trx.deleteFrom('pending_logins').where('user_id', '=', user.id).execute()
    await recordSecurityEvent(
      t,
      {
        type: 'email.changed',
        actorUserId: user.id,
        subjectUserId: user.id,
        meta,
        details: { old_email: user.email, new_email: email, verified },
      },
      now,
    )
  })
  user.email = email
  user.email_verified = verified ? 1 : 0
}
