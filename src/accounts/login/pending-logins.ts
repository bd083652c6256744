/**
 * The second log-in step (spec LG-3): after the first factor, a user with 2FA gets a short-lived
 * `pending_logins` row (5 minutes, keyed by the SHA-256 of a cookie token) instead of a session;
 * only a second factor turns it into a session, with a new id. Healthchecks keeps the same state
 * in the Django session (`2fa_user`); here every web process sees it.
 */
import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import { err, ok, type Result } from '../../result.js'
import { newToken, sha256Hex } from '../../tokens.js'
import { type RequestMeta, recordFailedProof } from '../audit/security-events.js'
import { loadFactors } from '../factors/factors.js'
import { webauthnCapability } from '../factors/security-keys/webauthn-capability.js'
import { type VerifyError, verifyFactor } from '../factors/verify-factor.js'
import type { Session } from '../sessions/sessions.js'
import {
  needsSecondStep,
  type ReauthMethod,
  SECOND_FACTOR_METHODS,
} from '../sudo/reauth-methods.js'
import { startLoginSession } from './login-session.js'

export const PENDING_COOKIE = 'vigil_pending'
export const PENDING_LOGIN_TTL_MS = 300_000
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/

async function startPendingLogin(
  ctx: Ctx,
  user: User,
  firstFactor: string,
  now: number,
): Promise<{ token: string; expires: number }> {
  const token = newToken()
  const expires = now + PENDING_LOGIN_TTL_MS
  await ctx.db.kysely.deleteFrom('pending_logins').where('expires', '<=', now).execute()
  await ctx.db.kysely
    .insertInto('pending_logins')
    .values({
      id: sha256Hex(token),
      user_id: user.id,
      email_snapshot: user.email,
      first_factor: firstFactor,
      created: now,
      expires,
    })
    .execute()
  return { token, expires }
}

/**
 * LG-3 after any first factor: a pending log-in when the user has a second factor to give, else
 * null and the caller starts the session.
 */
export async function startPendingLoginIfDue(
  ctx: Ctx,
  user: User,
  firstFactor: string,
  now: number,
): Promise<{ token: string; expires: number } | null> {
  if (!needsSecondStep(await loadFactors(ctx, user))) return null
  return startPendingLogin(ctx, user, firstFactor, now)
}

export type PendingLoginError = { kind: 'pending-expired' }

/** The user a pending-login token belongs to, while it lasts and the address is unchanged. */
export async function loadPendingLogin(
  ctx: Ctx,
  token: string,
  now: number,
): Promise<Result<{ id: string; user: User }, PendingLoginError>> {
  if (!TOKEN_RE.test(token)) return err({ kind: 'pending-expired' })
  const id = sha256Hex(token)
  const row = await ctx.db.kysely
    .selectFrom('pending_logins')
    .innerJoin('users', 'users.id', 'pending_logins.user_id')
    .selectAll('users')
    .select(['pending_logins.expires as pending_expires', 'pending_logins.email_snapshot'])
    .where('pending_logins.id', '=', id)
    .executeTakeFirst()
  if (!row || row.pending_expires <= now || row.email_snapshot !== row.email)
    return err({ kind: 'pending-expired' })
  const { pending_expires: _e, email_snapshot: _s, ...user } = row
  return ok({ id, user })
}

/** The second factors this user can use to finish logging in here (LG-3, WA-5). */
export async function secondStepMethods(ctx: Ctx, user: User): Promise<ReauthMethod[]> {
  const f = await loadFactors(ctx, user)
  const methods: ReauthMethod[] = []
  if (f.webauthnKeys > 0 && webauthnCapability(ctx.config).enabled) methods.push('webauthn')
  if (f.totp) methods.push('totp')
  if (f.recoveryCodes > 0) methods.push('recovery_code')
  return methods
}

export type SecondStepError = PendingLoginError | VerifyError | { kind: 'method-unavailable' }

export interface LoggedInFully {
  user: User
  session: Session
  token: string
  recoveryCodesLeft?: number
  /** After a recovery code: false when its security notice could not be mailed (NT-2). */
  notified?: boolean
}

/** Checks the second factor and, once, turns the pending log-in into a session. */
export async function completeSecondStep(
  ctx: Ctx,
  input: {
    pendingToken: string
    method: Exclude<ReauthMethod, 'webauthn' | 'email_code' | 'password' | 'oidc'>
    value: string
    meta: RequestMeta
  },
): Promise<Result<LoggedInFully, SecondStepError>> {
  const now = ctx.clock.now()
  const pending = await loadPendingLogin(ctx, input.pendingToken, now)
  if (!pending.ok) return pending
  const { user } = pending.value
  if (!(await secondStepMethods(ctx, user)).includes(input.method))
    return err({ kind: 'method-unavailable' })
  const verified = await verifyFactor(
    ctx,
    user,
    { method: input.method, value: input.value, meta: input.meta },
    now,
  )
  if (!verified.ok) {
    await recordFailedProof(
      ctx,
      user.id,
      {
        type: 'login.2fa_failure',
        method: input.method,
        reason: verified.error.kind,
        meta: input.meta,
      },
      now,
    )
    return verified
  }
  const done = await finishPendingLogin(
    ctx,
    pending.value.id,
    user,
    input.method,
    input.meta,
    now,
    verified.value.recoveryCodesLeft,
  )
  if (!done.ok || verified.value.notified === undefined) return done
  return ok({ ...done.value, notified: verified.value.notified })
}

/** Deletes the pending row (only one request can) and starts the session (SE-4: a new id). */
export async function finishPendingLogin(
  ctx: Ctx,
  pendingId: string,
  user: User,
  method: ReauthMethod,
  meta: RequestMeta,
  now: number,
  recoveryCodesLeft?: number,
): Promise<Result<LoggedInFully, PendingLoginError>> {
  const row = await ctx.db.kysely
    .deleteFrom('pending_logins')
    .where('id', '=', pendingId)
    .returning('first_factor')
    .executeTakeFirst()
  if (!row) return err({ kind: 'pending-expired' })
  if (!SECOND_FACTOR_METHODS.includes(method)) throw new Error(`not a second factor: ${method}`)
  const s = await startLoginSession(
    ctx,
    user,
    { amr: [row.first_factor, method], meta, event: 'login.2fa_success', details: { method } },
    now,
  )
  return ok({ user, ...s, recoveryCodesLeft })
}
