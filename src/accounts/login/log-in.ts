/**
 * Use case: log in with email and password and start a session. Unknown addresses and wrong
 * passwords give the same error after the same work (a dummy hash is verified), so answers do not
 * reveal who has an account (spec LG-1). Attempts are throttled per email+IP (10 per 15 minutes),
 * per email (50 per day, against clients that vary their IP) and per client IP (RL-P2: 100 per
 * hour; the IP is trusted-proxy aware, see app.ts) before the password is checked. A hash imported
 * from Healthchecks is replaced by our argon2id on success (5.19). A user with a second factor gets
 * a pending log-in instead of a session (spec LG-3).
 */
import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import { err, ok, type Result } from '../../result.js'
import { newToken } from '../../tokens.js'
import { recordRateLimitBlock } from '../audit/rate-limit-audit.js'
import { recordSecurityEvent } from '../audit/security-events.js'
import {
  hashPassword,
  MAX_PASSWORD_LENGTH,
  needsRehash,
  verifyPassword,
} from '../passwords/passwords.js'
import type { Session } from '../sessions/sessions.js'
import { findUserByEmail, normalizeEmail } from '../users/create-user.js'
import { startLoginSession } from './login-session.js'
import {
  consumeAttempt,
  refundAttempt,
  resetAttempts,
  type ThrottleRule,
} from './login-throttle.js'
import { startPendingLoginIfDue } from './pending-logins.js'

export interface LogInInput {
  email: string
  password: string
  /** The client's address, part of the throttle key. */
  ip: string
  userAgent?: string
}

export interface LoggedIn {
  step: 'done'
  user: User
  session: Session
  /** The session token for the cookie; stored nowhere. */
  token: string
}

/** The password was right; a second factor is due (the token goes in the pending cookie). */
export interface SecondStepDue {
  step: 'second-factor'
  user: User
  pendingToken: string
  expires: number
}

export type LogInError =
  | { kind: 'invalid-credentials' }
  | { kind: 'throttled'; retryAfterSeconds: number }

const MINUTE_MS = 60_000

/**
 * RL-P2: failed log-ins per client address, 100 per hour: one address guessing across many
 * accounts. Passkey sign-in (WA-7) counts its failures here too.
 */
export function ipLogInRule(ip: string): ThrottleRule {
  return { key: `ip:${ip}`, limit: 100, windowMs: 60 * MINUTE_MS }
}

/** The throttle rules for one attempt, the narrow one first; failures consume, successes refund. */
export function logInRules(email: string, ip: string): [ThrottleRule, ThrottleRule, ThrottleRule] {
  return [
    { key: `email-ip:${email}|${ip}`, limit: 10, windowMs: 15 * MINUTE_MS },
    { key: `email:${email}`, limit: 50, windowMs: 24 * 60 * MINUTE_MS },
    ipLogInRule(ip),
  ]
}

let dummyHash: Promise<string> | null = null

export async function logIn(
  ctx: Ctx,
  input: LogInInput,
): Promise<Result<LoggedIn | SecondStepDue, LogInError>> {
  const email = normalizeEmail(input.email)
  // Nothing longer can have been set (LG-1), so it cannot match: no lookup, no hashing.
  if (!email || !input.password || input.password.length > MAX_PASSWORD_LENGTH * 2)
    return err({ kind: 'invalid-credentials' })
  const now = ctx.clock.now()
  const [narrow, wide, perIp] = logInRules(email, input.ip)
  for (const rule of [narrow, wide, perIp]) {
    const verdict = await consumeAttempt(ctx, rule, now)
    if (!verdict.allowed) {
      await recordRateLimitBlock(
        ctx,
        {
          rule: rule === perIp ? 'RL-P2' : 'RL-P1',
          key: rule.key,
          windowMs: rule.windowMs,
          ip: input.ip,
          retryAfterSeconds: verdict.retryAfterSeconds,
        },
        now,
      )
      return err({ kind: 'throttled', retryAfterSeconds: verdict.retryAfterSeconds })
    }
  }

  const user = await findUserByEmail(ctx, email)
  const stored = user?.password_hash ?? null
  // Without a stored hash, verify a random one anyway: the answer takes as long either way.
  dummyHash ??= hashPassword(newToken(), ctx.config.accounts.passwordHashCost)
  const matches = await verifyPassword(stored ?? (await dummyHash), input.password)
  const meta = { ip: input.ip, userAgent: input.userAgent ?? '' }
  if (!user || stored === null || !matches) {
    if (user)
      await recordSecurityEvent(
        ctx,
        { type: 'login.failure', actorUserId: null, subjectUserId: user.id, meta },
        now,
      )
    return err({ kind: 'invalid-credentials' })
  }

  await resetAttempts(ctx, narrow.key)
  await refundAttempt(ctx, wide.key)
  await refundAttempt(ctx, perIp.key)
  if (needsRehash(stored)) {
    // An imported Django hash (PBKDF2 or Django's argon2 string) becomes our argon2id (5.19).
    await ctx.db.kysely
      .updateTable('users')
      .set({
        password_hash: await hashPassword(input.password, ctx.config.accounts.passwordHashCost),
      })
      .where('id', '=', user.id)
      .where('password_hash', '=', stored)
      .execute()
  }
  const pending = await startPendingLoginIfDue(ctx, user, 'password', now)
  if (pending)
    return ok({
      step: 'second-factor',
      user,
      pendingToken: pending.token,
      expires: pending.expires,
    })
  const s = await startLoginSession(ctx, user, { amr: ['password'], meta }, now)
  return ok({ step: 'done', user, ...s })
}
