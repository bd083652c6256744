/**
 * Use case: log in with email and password and start a session. Unknown addresses and wrong
 * passwords give the same error after the same work (a dummy hash is verified), so answers do not
 * reveal who has an account (spec LG-1). Attempts are throttled per email+IP (10 per 15 minutes)
 * and per email (50 per day, against clients that vary their IP) before the password is checked.
 */
import type { Ctx } from '../context.js'
import type { User } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { newToken } from '../tokens.js'
import { findUserByEmail, normalizeEmail } from './create-user.js'
import {
  consumeAttempt,
  refundAttempt,
  resetAttempts,
  type ThrottleRule,
} from './login-throttle.js'
import { hashPassword, verifyPassword } from './passwords.js'
import { createSession, type Session } from './sessions.js'

export interface LogInInput {
  email: string
  password: string
  /** The client's address, part of the throttle key. */
  ip: string
}

export interface LoggedIn {
  user: User
  session: Session
  /** The session token for the cookie; stored nowhere. */
  token: string
}

export type LogInError =
  | { kind: 'invalid-credentials' }
  | { kind: 'throttled'; retryAfterSeconds: number }

const MINUTE_MS = 60_000

/** The throttle rules for one attempt, the narrow one first. */
export function logInRules(email: string, ip: string): [ThrottleRule, ThrottleRule] {
  return [
    { key: `email-ip:${email}|${ip}`, limit: 10, windowMs: 15 * MINUTE_MS },
    { key: `email:${email}`, limit: 50, windowMs: 24 * 60 * MINUTE_MS },
  ]
}

let dummyHash: Promise<string> | null = null

export async function logIn(ctx: Ctx, input: LogInInput): Promise<Result<LoggedIn, LogInError>> {
  const email = normalizeEmail(input.email)
  if (!email || !input.password) return err({ kind: 'invalid-credentials' })
  const now = ctx.clock.now()
  const [narrow, wide] = logInRules(email, input.ip)
  for (const rule of [narrow, wide]) {
    const verdict = await consumeAttempt(ctx, rule, now)
    if (!verdict.allowed)
      return err({ kind: 'throttled', retryAfterSeconds: verdict.retryAfterSeconds })
  }

  const user = await findUserByEmail(ctx, email)
  const stored = user?.password_hash ?? null
  // Without a stored hash, verify a random one anyway: the answer takes as long either way.
  dummyHash ??= hashPassword(newToken())
  const matches = await verifyPassword(stored ?? (await dummyHash), input.password)
  if (!user || stored === null || !matches) return err({ kind: 'invalid-credentials' })

  await resetAttempts(ctx, narrow.key)
  await refundAttempt(ctx, wide.key)
  const { session, token } = await createSession(ctx, user.id)
  return ok({ user, session, token })
}
