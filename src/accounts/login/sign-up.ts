/**
 * Use cases: sign-up (spec LG-4) and the e-mailed sign-in link (LG-2), as Healthchecks' signup
 * and login-link forms. A link is a login_links row (32 random bytes, SHA-256 stored, 30 minutes,
 * single use) sent interactively: the user learns at once whether it went. A sign-up whose mail
 * could not be handed over leaves no user behind (INV-2), and every answer reads the same for
 * known and unknown addresses, so nothing is enumerated (with SIGNUP_WITH_PASSWORD too: nobody is
 * logged in by the sign-up, and an existing address's owner gets a notice). Both are rate limited per address and per
 * IP (RL-L1/RL-L2, sign-in-mail-limits.ts) before any account is looked up.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { canSendMail } from '../../config/index.js'
import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import { enqueueMail, mailStatus } from '../../mail/index.js'
import { err, ok, type Result } from '../../result.js'
import { newToken, sha256Hex } from '../../tokens.js'
import { type RequestMeta, recordSecurityEvent } from '../audit/security-events.js'
import { sendInteractiveMail } from '../codes/interactive-mail.js'
import { hashPassword, type PasswordProblem } from '../passwords/passwords.js'
import { createUser, findUserByEmail, normalizeEmail } from '../users/create-user.js'
import { takeSignInMailRequest } from './sign-in-mail-limits.js'

export const SIGN_IN_LINK_TTL_MS = 30 * 60_000

export const SIGN_UP_TEXT = {
  noMail:
    "New accounts can't sign up by email on this server. Ask the administrator for an invitation.",
  sendFailed: "We couldn't send the sign-in email. Please try again later.",
  checkEmail: 'Check your email: we sent you a link to sign in.',
  linksOff:
    "Sign-in links aren't available on this server. Log in with your password or ask the administrator.",
  linksDegraded:
    "We can't send sign-in emails right now. Try again later or log in with your password.",
  /** SIGNUP_WITH_PASSWORD: the one answer for new and existing addresses (issue #11 F8). */
  passwordSignedUp:
    'Thanks. If this address was new, your account is ready: log in with it and your password.',
} as const

/** How this server lets people sign up: not at all, by mailed link, or with a password. */
export async function signUpMode(ctx: Ctx): Promise<'closed' | 'link' | 'password'> {
  if (!ctx.config.registrationOpen) return 'closed'
  if (ctx.config.accounts.signupWithPassword) return 'password'
  if (!ctx.config.accounts.emailLogin) return 'closed'
  return (await mailStatus(ctx)) === 'unconfigured' ? 'closed' : 'link'
}

async function issueSignInLink(ctx: Ctx, user: User, now: number): Promise<string> {
  const token = newToken()
  await ctx.db.kysely.deleteFrom('login_links').where('user_id', '=', user.id).execute()
  await ctx.db.kysely
    .insertInto('login_links')
    .values({
      id: sha256Hex(token),
      user_id: user.id,
      created: now,
      expires: now + SIGN_IN_LINK_TTL_MS,
    })
    .execute()
  return `${ctx.config.siteRoot}/login/link?token=${token}`
}

/** `user.email_verified === 1`: only then does the outcome speak for the mail status. */
function sendLink(ctx: Ctx, user: User, verified: boolean, url: string) {
  const site = ctx.config.siteName
  return sendInteractiveMail(ctx, {
    to: user.email,
    verifiedRecipient: verified && user.email_verified === 1,
    // MAIL-7: no code or link in the subject.
    subject: `${site} confirmation code`,
    text: [
      `Open this link to sign in to ${site}. It works once, within 30 minutes:`,
      '',
      url,
      '',
      "If you didn't request this, you can ignore this message.",
    ].join('\n'),
  })
}

/** RL-L1/RL-L2 refused the request; the same for every address. */
export interface MailRequestThrottled {
  kind: 'throttled'
  retryAfterSeconds: number
}

export type SignUpError =
  | { kind: 'closed' }
  | { kind: 'invalid-email' }
  | PasswordProblem
  | { kind: 'send-failed' }
  | MailRequestThrottled

/** Which answer to show; never whether the address was new (no enumeration, issue #11 F8). */
export type SignedUp = { mode: 'password' } | { mode: 'link' }

/**
 * SIGNUP_WITH_PASSWORD and the address has an account: the same work as a sign-up (a password
 * hash, so the timing matches) and a notice to the owner when mail is set up; the account is not
 * changed.
 */
async function answerTakenAddress(ctx: Ctx, email: string, password: string, now: number) {
  await hashPassword(password, ctx.config.accounts.passwordHashCost)
  const owner = await findUserByEmail(ctx, email)
  if (!owner || !canSendMail(ctx.config)) return
  const site = ctx.config.siteName
  await enqueueMail(
    ctx.db,
    {
      to: owner.email,
      unverifiedRecipient: owner.email_verified !== 1,
      subject: `Sign-up attempt with your ${site} address`,
      text: [
        `Someone tried to sign up to ${site} with this address, which already has an account.`,
        'Your account was not changed.',
        '',
        `If it was you, log in at ${ctx.config.siteRoot}/login instead.`,
        "If it wasn't, you can ignore this message.",
      ].join('\n'),
    },
    now,
  )
}

export async function signUp(
  ctx: Ctx,
  input: { email: string; password?: string; meta: RequestMeta },
): Promise<Result<SignedUp, SignUpError>> {
  const mode = await signUpMode(ctx)
  if (mode === 'closed') return err({ kind: 'closed' })
  const now = ctx.clock.now()
  const verdict = await takeSignInMailRequest(ctx, input.email, input.meta.ip, now)
  if (!verdict.allowed)
    return err({ kind: 'throttled', retryAfterSeconds: verdict.retryAfterSeconds })
  if (mode === 'password') {
    const r = await createUser(ctx, { email: input.email, password: input.password ?? '' })
    if (!r.ok) {
      // Issue #11 F8: an existing address gets the very answer a new one gets (the password was
      // already judged the same way for both); its owner is told by mail.
      if (r.error.kind === 'email-taken') {
        await answerTakenAddress(ctx, input.email, input.password ?? '', now)
        await recordSecurityEvent(
          ctx,
          {
            type: 'signup.existing_address',
            actorUserId: null,
            subjectUserId: null,
            meta: input.meta,
          },
          now,
        )
        return ok({ mode: 'password' })
      }
      return err(r.error)
    }
    await ctx.db.kysely
      .updateTable('users')
      .set({ email_verified: 0 })
      .where('id', '=', r.value.id)
      .execute()
    await recordSecurityEvent(
      ctx,
      {
        type: 'account.created',
        actorUserId: r.value.id,
        subjectUserId: r.value.id,
        meta: input.meta,
      },
      now,
    )
    return ok({ mode: 'password' })
  }
  const existing = await findUserByEmail(ctx, input.email)
  let user = existing ?? null
  if (!user) {
    const r = await createUser(ctx, { email: input.email, password: null })
    if (!r.ok) return err({ kind: 'invalid-email' })
    user = r.value
  }
  // A new address is one an anonymous visitor typed: its outcome must not move the mail status.
  const sent = await sendLink(
    ctx,
    user,
    existing !== undefined,
    await issueSignInLink(ctx, user, now),
  )
  if (!sent.ok) {
    // INV-2: no account is left behind when its only way in could not be mailed.
    if (!existing) await ctx.db.kysely.deleteFrom('users').where('id', '=', user.id).execute()
    return err({ kind: 'send-failed' })
  }
  if (!existing)
    await recordSecurityEvent(
      ctx,
      { type: 'account.created', actorUserId: user.id, subjectUserId: user.id, meta: input.meta },
      now,
    )
  return ok({ mode: 'link' })
}

export type SignInLinkAnswer = keyof typeof SIGN_UP_TEXT

/**
 * "Email me a sign-in link" (LG-2): the answer depends only on the mail status, never on
 * whether the address has an account.
 */
export async function requestSignInLink(
  ctx: Ctx,
  email: string,
  ip: string,
): Promise<SignInLinkAnswer | MailRequestThrottled> {
  if (!ctx.config.accounts.emailLogin) return 'linksOff'
  const status = await mailStatus(ctx)
  if (status === 'unconfigured') return 'linksOff'
  if (status === 'degraded') return 'linksDegraded'
  const now = ctx.clock.now()
  const verdict = await takeSignInMailRequest(ctx, email, ip, now)
  if (!verdict.allowed) return { kind: 'throttled', retryAfterSeconds: verdict.retryAfterSeconds }
  // Timing (LG-2, no enumeration): only a known address is mailed, and that send stays in the
  // request (MAIL-3: one synchronous attempt whose outcome feeds MAIL-1). So that a known address
  // does not answer measurably later than an unknown one, every answer here waits until at least
  // SIGN_IN_LINK_MIN_ANSWER_MS have passed since this point: a send that finishes within it is
  // invisible in the timing. Chosen over alternatives: a random delay for unknown addresses only
  // blurs the averages; an SMTP handshake without mail mimics only part of a send; answering
  // before the send would take the attempt out of the request. Left open: a send slower than the
  // floor (a slow or failing server) still shows; MAIL-2's caps bound it and MAIL-1 soon turns
  // such a server `degraded`, after which everyone gets the same immediate answer.
  // The default floor, 1.5 s, is above a typical SMTP hand-over (0.1–1 s), far below MAIL-2's
  // 15 s cap.
  const floor = sleep(ctx.config.accounts.signInLinkMinAnswerMs)
  const user = await findUserByEmail(ctx, normalizeEmail(email))
  if (user) {
    const sent = await sendLink(ctx, user, true, await issueSignInLink(ctx, user, now))
    // A per-recipient failure is logged by the sender; the answer stays the same.
    if (!sent.ok) ctx.log.warn({ userId: user.id }, 'sign-in link not sent')
  }
  await floor
  return 'checkEmail'
}
