/**
 * Use cases of OIDC log-in and OIDC re-authentication (spec LG-9, RA-2…RA-5): start a flow (a
 * single-use `oidc_flows` row, 10 minutes, bound to the browser by the `vigil_oidc` cookie) and
 * finish it at the redirect URI. The identity is (iss, sub); an email joins an existing account
 * only when the provider verified it and OIDC_LINK_BY_EMAIL is on, and creates one only for
 * OIDC_ALLOWED_DOMAINS. Vigil's own second step still applies unless the provider's amr/acr
 * matches OIDC_MFA_AMR. Healthchecks has no OIDC; its header mode skips 2FA altogether (3.2).
 */

import type { OidcConfig } from '../../config/index.js'
import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import { withTransaction } from '../../db/index.js'
import { err, ok, type Result } from '../../result.js'
import { safeEqual, sha256Hex } from '../../tokens.js'
import { type RequestMeta, recordSecurityEvent } from '../audit/security-events.js'
import { openSecret, sealSecret, secretBoxKey } from '../factors/secret-box.js'
import { startLoginSession } from '../login/login-session.js'
import { startPendingLoginIfDue } from '../login/pending-logins.js'
import { takeSignInStart } from '../login/sign-in-start-limit.js'
import type { Session } from '../sessions/sessions.js'
import { checkReauthMethod, grantSudo } from '../sudo/enter-sudo-mode.js'
import { createUser, findUserByEmail, normalizeEmail } from '../users/create-user.js'
import {
  buildAuthorisationRequest,
  exchangeCode,
  type OidcClaims,
  type ProviderError,
  providerDidMfa,
} from './oidc-client.js'
import {
  findUserByIdentity,
  hasIdentityAt,
  linkIdentity,
  touchIdentity,
} from './oidc-identities.js'

/** The browser's half of a flow: the `state` value, HttpOnly, on the /login/oidc path. */
export const OIDC_COOKIE = 'vigil_oidc'
/** How long the user has at the provider before the flow is forgotten. */
export const OIDC_FLOW_TTL_MS = 600_000
/**
 * The session amr entry for a log-in whose provider did MFA (OIDC_MFA_AMR matched): it counts for
 * team 2FA policies (TEAM-3) but is not a Vigil second factor, so it never confirms a class D
 * action (RA-5).
 */
export const OIDC_MFA_AMR_ENTRY = 'oidc_mfa'
/**
 * Re-authentication: `auth_time` may lie this much before the moment we asked (clock skew
 * between us and the provider). Anything older is a session the provider reused (ASVS 6.8.4).
 */
export const AUTH_TIME_SKEW_MS = 30_000

export type Purpose = 'login' | 'reauth'

export type OidcStartError =
  | { kind: 'oidc-off' }
  | { kind: 'throttled'; retryAfterSeconds: number }
  | { kind: 'provider-unreachable' }
  | { kind: 'method-unavailable' }
  | { kind: 'downgrade-blocked' }

function oidcOf(ctx: Ctx): OidcConfig | null {
  return ctx.config.accounts.oidc
}

async function startFlow(
  ctx: Ctx,
  oidc: OidcConfig,
  flow: {
    purpose: Purpose
    next: string | null
    user?: User
    session?: Session
    downgrade?: boolean
  },
): Promise<Result<{ url: string; state: string }, OidcStartError>> {
  const now = ctx.clock.now()
  const request = await buildAuthorisationRequest(oidc, now, {
    reauth: flow.purpose === 'reauth',
    loginHint: flow.user?.email,
  })
  if (!request.ok) {
    ctx.log.warn({ issuer: oidc.issuer, problem: request.error }, 'OIDC provider not usable')
    return err({ kind: 'provider-unreachable' })
  }
  const k = ctx.db.kysely
  await k.deleteFrom('oidc_flows').where('expires', '<=', now).execute()
  await k
    .insertInto('oidc_flows')
    .values({
      id: sha256Hex(request.value.state),
      purpose: flow.purpose,
      user_id: flow.user?.id ?? null,
      session_id: flow.session?.id ?? null,
      downgrade: flow.downgrade ? 1 : 0,
      nonce: request.value.nonce,
      code_verifier: sealSecret(secretBoxKey(ctx.config), request.value.codeVerifier),
      next: flow.next ?? '',
      created: now,
      expires: now + OIDC_FLOW_TTL_MS,
    })
    .execute()
  return ok({ url: request.value.url, state: request.value.state })
}

/** Starts "Log in with {provider}": where to send the browser, and the state for its cookie. */
export async function startOidcLogin(
  ctx: Ctx,
  input: { next: string | null; ip: string },
): Promise<Result<{ url: string; state: string }, OidcStartError>> {
  const oidc = oidcOf(ctx)
  if (!oidc) return err({ kind: 'oidc-off' })
  const started = await takeSignInStart(ctx, 'oidc', input.ip)
  if (!started.ok) return started
  return startFlow(ctx, oidc, { purpose: 'login', next: input.next })
}

/**
 * Starts re-authentication at the provider (`prompt=login`, `max_age=0`), for a user who has an
 * identity there. Like a password, it cannot confirm a class D action while the user has a
 * Vigil second factor (RA-5).
 */
export async function startOidcReauth(
  ctx: Ctx,
  input: { user: User; session: Session; next: string; downgrade: boolean; meta: RequestMeta },
): Promise<Result<{ url: string; state: string }, OidcStartError>> {
  const oidc = oidcOf(ctx)
  if (!oidc) return err({ kind: 'oidc-off' })
  const allowed = await checkReauthMethod(
    ctx,
    input.user,
    'oidc',
    input.downgrade,
    input.meta,
    ctx.clock.now(),
  )
  if (!allowed.ok) return allowed
  return startFlow(ctx, oidc, {
    purpose: 'reauth',
    next: input.next,
    user: input.user,
    session: input.session,
    downgrade: input.downgrade,
  })
}

export type OidcCallbackError =
  | { kind: 'oidc-off' }
  /** No flow for this state in this browser (forged, replayed, expired, other session). */
  | { kind: 'bad-state' }
  | ProviderError
  /** The provider gave no email, or did not verify it: nothing to link or create. */
  | { kind: 'no-verified-email' }
  /** An account has this address but may not be joined to this identity. */
  | { kind: 'not-linked'; email: string }
  /** No account, and the address is outside OIDC_ALLOWED_DOMAINS. */
  | { kind: 'domain-not-allowed'; email: string }
  /** Re-authentication came back as another identity than the user's. */
  | { kind: 'wrong-identity' }
  /** Re-authentication came back without a fresh `auth_time`. */
  | { kind: 'stale-auth' }
  | { kind: 'method-unavailable' }
  | { kind: 'downgrade-blocked' }

export type OidcCallbackOutcome =
  | { purpose: 'login'; step: 'done'; user: User; session: Session; token: string }
  | { purpose: 'login'; step: 'second-factor'; user: User; pendingToken: string; expires: number }
  | { purpose: 'reauth'; user: User; session: Session; token: string }

/** What the edge needs to answer either way: the flow's purpose and `next`, when known. */
export interface OidcCallback {
  purpose: Purpose | null
  next: string | null
  result: Result<OidcCallbackOutcome, OidcCallbackError>
}

/**
 * Finishes a flow at the redirect URI. `query` is the raw query string the provider sent;
 * `cookieState` the browser's `vigil_oidc` cookie; `current` who is logged in (reauth only).
 */
export async function finishOidc(
  ctx: Ctx,
  input: {
    query: string
    cookieState: string
    current: { user: User; session: Session } | null
    meta: RequestMeta
  },
): Promise<OidcCallback> {
  const oidc = oidcOf(ctx)
  if (!oidc) return { purpose: null, next: null, result: err({ kind: 'oidc-off' }) }
  const now = ctx.clock.now()
  const state = new URLSearchParams(input.query).get('state') ?? ''
  // The state must be the one this browser was given: else anyone could make a victim's browser
  // finish the attacker's log-in (login CSRF).
  if (state === '' || input.cookieState === '' || !safeEqual(state, input.cookieState))
    return { purpose: null, next: null, result: err({ kind: 'bad-state' }) }
  // Single use: whoever deletes the row finishes the flow.
  const flow = await ctx.db.kysely
    .deleteFrom('oidc_flows')
    .where('id', '=', sha256Hex(state))
    .returningAll()
    .executeTakeFirst()
  if (!flow || flow.expires <= now)
    return { purpose: null, next: null, result: err({ kind: 'bad-state' }) }
  const next = flow.next === '' ? null : flow.next
  const codeVerifier = openSecret(secretBoxKey(ctx.config), flow.code_verifier)
  const current = input.current
  if (
    codeVerifier === null ||
    (flow.purpose === 'reauth' &&
      (current === null ||
        current.session.id !== flow.session_id ||
        current.user.id !== flow.user_id))
  )
    return { purpose: flow.purpose, next, result: err({ kind: 'bad-state' }) }

  const claims = await exchangeCode(oidc, now, input.query, {
    state,
    nonce: flow.nonce,
    codeVerifier,
  })
  if (flow.purpose === 'reauth' && current) {
    const result = claims.ok
      ? await finishReauth(ctx, current, claims.value, flow, input.meta, now)
      : claims
    if (!result.ok)
      await auditFailure(ctx, 'reauth.failure', current.user.id, result.error, input.meta, now)
    return { purpose: 'reauth', next, result }
  }
  if (!claims.ok) {
    await auditFailure(ctx, 'login.failure', null, claims.error, input.meta, now)
    return { purpose: 'login', next, result: claims }
  }
  return {
    purpose: 'login',
    next,
    result: await finishLogin(ctx, oidc, claims.value, input.meta, now),
  }
}

async function auditFailure(
  ctx: Ctx,
  type: 'login.failure' | 'reauth.failure',
  userId: number | null,
  e: OidcCallbackError,
  meta: RequestMeta,
  now: number,
): Promise<void> {
  const details: Record<string, string> = { method: 'oidc', reason: e.kind }
  if (e.kind === 'provider-error') details.code = e.code
  if (e.kind === 'invalid-response') details.detail = e.detail.slice(0, 200)
  await recordSecurityEvent(
    ctx,
    { type, actorUserId: userId, subjectUserId: userId, meta, details },
    now,
  )
}

async function finishLogin(
  ctx: Ctx,
  oidc: OidcConfig,
  claims: OidcClaims,
  meta: RequestMeta,
  now: number,
): Promise<Result<OidcCallbackOutcome, OidcCallbackError>> {
  const found = await resolveUser(ctx, oidc, claims, meta, now)
  if (!found.ok) {
    const e: OidcCallbackError =
      found.error.kind === 'not-linked'
        ? { kind: 'not-linked', email: found.error.email }
        : found.error
    const subject = found.error.kind === 'not-linked' ? found.error.userId : null
    await auditFailure(ctx, 'login.failure', subject, e, meta, now)
    return err(e)
  }
  const user = found.value
  const mfa = providerDidMfa(claims, oidc.mfaAmr)
  // LG-3 after OIDC: the provider is the first factor. Vigil's own second factor still applies,
  // unless the operator declared the provider's MFA good enough (OIDC_MFA_AMR) and it was used.
  const pending = mfa ? null : await startPendingLoginIfDue(ctx, user, 'oidc', now)
  if (pending)
    return ok({
      purpose: 'login',
      step: 'second-factor',
      user,
      pendingToken: pending.token,
      expires: pending.expires,
    })
  const s = await startLoginSession(
    ctx,
    user,
    {
      amr: mfa ? ['oidc', OIDC_MFA_AMR_ENTRY] : ['oidc'],
      meta,
      details: { method: 'oidc', provider_mfa: mfa },
    },
    now,
  )
  return ok({ purpose: 'login', step: 'done', user, ...s })
}

type ResolveError =
  | { kind: 'no-verified-email' }
  | { kind: 'not-linked'; email: string; userId: number | null }
  | { kind: 'domain-not-allowed'; email: string }

/** The user for these claims: by identity, else by verified email (linking), else a new one. */
async function resolveUser(
  ctx: Ctx,
  oidc: OidcConfig,
  claims: OidcClaims,
  meta: RequestMeta,
  now: number,
): Promise<Result<User, ResolveError>> {
  const known = await findUserByIdentity(ctx, claims.iss, claims.sub)
  if (known) {
    await touchIdentity(ctx, known.identity.id, now)
    return ok(known.user)
  }
  if (!claims.email || !claims.emailVerified) return err({ kind: 'no-verified-email' })
  const email = normalizeEmail(claims.email)
  const existing = await findUserByEmail(ctx, email)
  if (existing) {
    // Joining by address only when the operator allows it, the provider verified the address,
    // Vigil did too (an unverified account could be someone's pre-registration), and the
    // account has no other identity at this provider.
    if (
      !oidc.linkByEmail ||
      existing.email_verified !== 1 ||
      (await hasIdentityAt(ctx, existing.id, claims.iss))
    )
      return err({ kind: 'not-linked', email, userId: existing.id })
    const linked = await linkIdentity(
      ctx,
      { userId: existing.id, issuer: claims.iss, subject: claims.sub, email },
      now,
    )
    if (!linked) return retryKnown(ctx, claims, email, existing.id)
    await recordSecurityEvent(
      ctx,
      {
        type: 'oidc.linked',
        actorUserId: existing.id,
        subjectUserId: existing.id,
        meta,
        details: { issuer: claims.iss, via: 'email' },
      },
      now,
    )
    return ok(existing)
  }
  const domain = email.slice(email.lastIndexOf('@') + 1)
  if (!oidc.allowedDomains.includes(domain)) return err({ kind: 'domain-not-allowed', email })
  // Just-in-time provisioning: the user, the identity and the audit row together (INV-5).
  const created = await withTransaction(ctx, async (tctx) => {
    const user = await createUser(tctx, { email, password: null })
    if (!user.ok) return null
    if (
      !(await linkIdentity(
        tctx,
        { userId: user.value.id, issuer: claims.iss, subject: claims.sub, email },
        now,
      ))
    )
      throw new Error('OIDC identity taken while its user was being created')
    await recordSecurityEvent(
      tctx,
      {
        type: 'account.created',
        actorUserId: user.value.id,
        subjectUserId: user.value.id,
        meta,
        details: { method: 'oidc', issuer: claims.iss },
      },
      now,
    )
    return user.value
  })
  // Another request created the address meanwhile (or it is not one createUser accepts).
  if (!created) {
    const other = await findUserByEmail(ctx, email)
    return err({ kind: 'not-linked', email, userId: other?.id ?? null })
  }
  return ok(created)
}

/** A concurrent request linked the identity first: use its result. */
async function retryKnown(
  ctx: Ctx,
  claims: OidcClaims,
  email: string,
  userId: number | null,
): Promise<Result<User, ResolveError>> {
  const known = await findUserByIdentity(ctx, claims.iss, claims.sub)
  return known ? ok(known.user) : err({ kind: 'not-linked', email, userId })
}

async function finishReauth(
  ctx: Ctx,
  current: { user: User; session: Session },
  claims: OidcClaims,
  flow: { created: number; downgrade: number },
  meta: RequestMeta,
  now: number,
): Promise<Result<OidcCallbackOutcome, OidcCallbackError>> {
  const known = await findUserByIdentity(ctx, claims.iss, claims.sub)
  if (!known || known.user.id !== current.user.id) return err({ kind: 'wrong-identity' })
  // max_age=0 asked the provider to authenticate anew; auth_time shows whether it did. A
  // provider that ignores it and reuses its session gives an auth_time before our request.
  if (claims.authTime === null || claims.authTime * 1000 < flow.created - AUTH_TIME_SKEW_MS)
    return err({ kind: 'stale-auth' })
  const allowed = await checkReauthMethod(
    ctx,
    current.user,
    'oidc',
    flow.downgrade === 1,
    meta,
    now,
  )
  if (!allowed.ok) return allowed
  await touchIdentity(ctx, known.identity.id, now)
  const granted = await grantSudo(ctx, current.user, current.session, 'oidc', meta, now)
  return ok({ purpose: 'reauth', user: current.user, ...granted })
}
