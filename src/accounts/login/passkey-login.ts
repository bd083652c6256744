/**
 * Use case: sign in with a passkey alone (spec WA-7, behind PASSKEY_LOGIN): no address typed, the
 * browser offers the discoverable credentials it holds for this RP ID, and one with the UV flag
 * (PIN or biometric) starts a full session. Healthchecks has no equivalent (#869); second-factor
 * keys are security-keys.ts, whose assertion check (signature, counter clone guard) this shares.
 *
 * The challenge is bound to the browser that asked: a random token in the `vigil_passkey` cookie,
 * stored only as part of the challenge key (SHA-256). It is single-use and lives 300 s.
 */
import {
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server'
import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import { err, ok, type Result } from '../../result.js'
import { newToken, safeEqual, sha256Hex } from '../../tokens.js'
import { type RequestMeta, recordSecurityEvent } from '../audit/security-events.js'
import { type Throttled, throttledCheck } from '../factors/second-factor-throttle.js'
import {
  checkAssertion,
  type KeyCeremonyError,
  parseAssertion,
} from '../factors/security-keys/security-keys.js'
import { passkeyLoginCapability } from '../factors/security-keys/webauthn-capability.js'
import {
  CHALLENGE_TTL_MS,
  issueChallenge,
  takeChallenge,
} from '../factors/security-keys/webauthn-challenges.js'
import type { Session } from '../sessions/sessions.js'
import { ipLogInRule } from './log-in.js'
import { startLoginSession } from './login-session.js'
import { consumeAttempt, refundAttempt } from './login-throttle.js'
import { takeSignInStart } from './sign-in-start-limit.js'

/** The cookie holding this browser's passkey sign-in token (path /login, HttpOnly, 300 s). */
export const PASSKEY_COOKIE = 'vigil_passkey'
export const PASSKEY_COOKIE_TTL_MS = CHALLENGE_TTL_MS
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/

/**
 * A session that began with a passkey: the user-verifying passkey (something you have, unlocked
 * by something you know or are) and the WebAuthn credential as the second factor. The second
 * entry is what TEAM-3 and the class D grant (RA-5) look for, as after a key at the second step.
 */
export const PASSKEY_AMR = ['passkey', 'webauthn'] as const

const challengeKey = (browserToken: string) => `passkey-login:browser:${sha256Hex(browserToken)}`

/** Options for `navigator.credentials.get` with no allowCredentials, and the browser's token. */
export async function startPasskeyLogin(
  ctx: Ctx,
  input: { ip: string },
): Promise<
  Result<
    { browserToken: string; options: PublicKeyCredentialRequestOptionsJSON },
    KeyCeremonyError | { kind: 'throttled'; retryAfterSeconds: number }
  >
> {
  const capability = passkeyLoginCapability(ctx.config)
  if (!capability.enabled) return err({ kind: 'webauthn-disabled', reason: capability.reason })
  const started = await takeSignInStart(ctx, 'passkey', input.ip)
  if (!started.ok) return started
  const browserToken = newToken()
  const challenge = await issueChallenge(ctx, challengeKey(browserToken), ctx.clock.now())
  const options = await generateAuthenticationOptions({
    rpID: ctx.config.accounts.webauthnRpId,
    allowCredentials: [],
    challenge: Buffer.from(challenge, 'base64url'),
    userVerification: 'required',
    timeout: CHALLENGE_TTL_MS,
  })
  return ok({ browserToken, options })
}

export type PasskeyLoginError =
  | KeyCeremonyError
  /** No challenge for this browser: expired, already used, or never asked for. */
  | { kind: 'challenge-expired' }
  /** No credential with this id here (removed, or never registered). */
  | { kind: 'unknown-credential' }
  /** Registered under another RP ID: unusable since the WebAuthn settings changed (WA-5). */
  | { kind: 'other-rp' }
  /** A key registered as a second factor only, not as a passkey. */
  | { kind: 'not-a-passkey' }
  /** The authenticator did not verify the user (no UV flag). */
  | { kind: 'user-not-verified' }
  | { kind: 'key-failed' }
  | { kind: 'counter-regression' }
  | Throttled

export interface PasskeyLoggedIn {
  user: User
  session: Session
  /** The session token for the cookie; stored nowhere. */
  token: string
}

/**
 * Checks the assertion and starts a full session (RA-2: reauth_at = now). Failures count into
 * RL-P2 (per client address, before the user is known) and, once the credential names a user,
 * into RL-F1/RL-F2 like any WebAuthn failure (RL-W1). The challenge is spent whatever happens.
 */
export async function logInWithPasskey(
  ctx: Ctx,
  input: { browserToken: string; response: string; meta: RequestMeta },
): Promise<Result<PasskeyLoggedIn, PasskeyLoginError>> {
  const capability = passkeyLoginCapability(ctx.config)
  if (!capability.enabled) return err({ kind: 'webauthn-disabled', reason: capability.reason })
  const now = ctx.clock.now()
  const { meta } = input
  const ipRule = ipLogInRule(meta.ip)
  const verdict = await consumeAttempt(ctx, ipRule, now)
  if (!verdict.allowed)
    return err({ kind: 'throttled', retryAfterSeconds: verdict.retryAfterSeconds })

  const challenge = TOKEN_RE.test(input.browserToken)
    ? await takeChallenge(ctx, challengeKey(input.browserToken), now)
    : null
  if (challenge === null) return err({ kind: 'challenge-expired' })
  const response = parseAssertion(input.response)
  if (!response) return err({ kind: 'key-failed' })
  const key = await ctx.db.kysely
    .selectFrom('webauthn_credentials')
    .selectAll()
    .where('credential_id', '=', response.id)
    .executeTakeFirst()
  if (!key) return err({ kind: 'unknown-credential' })
  if (key.rp_id !== ctx.config.accounts.webauthnRpId) return err({ kind: 'other-rp' })
  if (key.passkey !== 1) return err({ kind: 'not-a-passkey' })
  const user = await ctx.db.kysely
    .selectFrom('users')
    .selectAll()
    .where('id', '=', key.user_id)
    .executeTakeFirstOrThrow()

  const outcome = await throttledCheck(ctx, user.id, now, async () => {
    // A discoverable credential names its user (WebAuthn §7.2 step 6): it must be this one's.
    const handle = response.response.userHandle
    if (
      typeof handle !== 'string' ||
      !user.webauthn_user_id ||
      !safeEqual(handle, user.webauthn_user_id)
    )
      return { ok: false as const, kind: 'key-failed' as const }
    return checkAssertion(
      ctx,
      { key, challenge, response, requireUserVerification: true, meta },
      now,
    )
  })
  if (!('ok' in outcome) || !outcome.ok) {
    const error = 'ok' in outcome ? { kind: outcome.kind } : outcome
    await recordSecurityEvent(
      ctx,
      {
        type: 'login.failure',
        actorUserId: null,
        subjectUserId: user.id,
        meta,
        details: { method: 'passkey', reason: error.kind },
      },
      now,
    )
    return err(error)
  }
  await refundAttempt(ctx, ipRule.key)
  const s = await startLoginSession(
    ctx,
    user,
    { amr: [...PASSKEY_AMR], meta, details: { method: 'passkey', key: key.name } },
    now,
  )
  return ok({ user, ...s })
}
