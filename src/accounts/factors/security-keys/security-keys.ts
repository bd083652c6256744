/**
 * Use cases for security keys (spec WA-2…WA-6): registration options and verification, naming,
 * listing and removal (class D, checked by the route), and checking an assertion for the second
 * log-in step or a sudo grant, with the sign-counter clone check (WA-4) and RL-W1 throttling.
 * A key may be registered as a passkey (WA-7: discoverable, user verification required); signing
 * in with one alone is passkey-login.ts. Ceremonies are @simplewebauthn/server's; Healthchecks
 * does the same with python-fido2.
 */

import { randomBytes } from 'node:crypto'
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server'
import type { Ctx } from '../../../context.js'
import type { User, WebauthnCredential } from '../../../db/index.js'
import { withTransaction } from '../../../db/index.js'
import { err, ok, type Result } from '../../../result.js'
import { type RequestMeta, recordSecurityEvent } from '../../audit/security-events.js'
import { notifySecurityChange } from '../../audit/security-notifications.js'
import { deleteUserSessions, type Session } from '../../sessions/sessions.js'
import { hasSecondFactor } from '../../sudo/reauth-methods.js'
import { loadFactors } from '../factors.js'
import { deleteRecoveryCodes } from '../recovery-codes/recovery-codes.js'
import { issueFirstRecoveryCodes } from '../recovery-codes/regenerate-recovery-codes.js'
import { type Throttled, throttledCheck } from '../second-factor-throttle.js'
import { passkeyLoginCapability, webauthnCapability } from './webauthn-capability.js'
import { issueChallenge, takeChallenge } from './webauthn-challenges.js'

/** ES256, EdDSA, RS256 (WA-2). */
const ALGORITHMS = [-7, -8, -257]
export const KEY_NAME_MAX = 100

function trx<T>(ctx: Ctx, work: (t: Ctx) => Promise<T>): Promise<T> {
  return withTransaction(ctx, (t) => work(t))
}

/** The user's keys, oldest first. */
export function listSecurityKeys(ctx: Ctx, userId: number): Promise<WebauthnCredential[]> {
  return ctx.db.kysely
    .selectFrom('webauthn_credentials')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created')
    .orderBy('id')
    .execute()
}

/** A trimmed key name of 1–100 characters, or null. */
export function cleanKeyName(raw: string): string | null {
  const name = raw.replace(/\s+/g, ' ').trim()
  return name.length >= 1 && name.length <= KEY_NAME_MAX ? name : null
}

/** The stable random user handle of WA-2, made on first use (no PII in it). */
async function webauthnUserId(ctx: Ctx, user: User): Promise<string> {
  if (user.webauthn_user_id) return user.webauthn_user_id
  const id = randomBytes(32).toString('base64url')
  await ctx.db.kysely
    .updateTable('users')
    .set({ webauthn_user_id: id })
    .where('id', '=', user.id)
    .where('webauthn_user_id', 'is', null)
    .execute()
  const row = await ctx.db.kysely
    .selectFrom('users')
    .select('webauthn_user_id')
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow()
  return row.webauthn_user_id ?? id
}

const transportsOf = (c: WebauthnCredential) =>
  c.transports ? (c.transports.split(',') as AuthenticatorTransportFuture[]) : undefined
type AuthenticatorTransportFuture =
  | 'ble'
  | 'cable'
  | 'hybrid'
  | 'internal'
  | 'nfc'
  | 'smart-card'
  | 'usb'

export type KeyCeremonyError = { kind: 'webauthn-disabled'; reason: string }

/**
 * What is being registered: a security key (second factor, WA-2) or a passkey (WA-7: a
 * discoverable credential with user verification, which may also sign in on its own).
 */
export type KeyKind = 'key' | 'passkey'

/** The capability a kind of key needs: passkeys also need PASSKEY_LOGIN. */
function kindCapability(ctx: Ctx, kind: KeyKind) {
  return kind === 'passkey' ? passkeyLoginCapability(ctx.config) : webauthnCapability(ctx.config)
}

/** One challenge per kind, so options for a security key cannot finish a passkey registration. */
const registerChallengeKey = (session: Pick<Session, 'id'>, kind: KeyKind) =>
  `${kind === 'passkey' ? 'register-passkey' : 'register'}:session:${session.id}`

/** Options for `navigator.credentials.create`, with a fresh challenge bound to the session. */
export async function startKeyRegistration(
  ctx: Ctx,
  user: User,
  session: Session,
  kind: KeyKind = 'key',
): Promise<Result<PublicKeyCredentialCreationOptionsJSON, KeyCeremonyError>> {
  const capability = kindCapability(ctx, kind)
  if (!capability.enabled) return err({ kind: 'webauthn-disabled', reason: capability.reason })
  const now = ctx.clock.now()
  const handle = await webauthnUserId(ctx, user)
  // A passkey may live on an authenticator already registered as a plain second factor, so only
  // existing passkeys are excluded then (the authenticator would refuse the others).
  const existing = (await listSecurityKeys(ctx, user.id)).filter(
    (c) => kind === 'key' || c.passkey === 1,
  )
  const challenge = await issueChallenge(ctx, registerChallengeKey(session, kind), now)
  const options = await generateRegistrationOptions({
    rpName: ctx.config.siteName,
    rpID: ctx.config.accounts.webauthnRpId,
    userName: user.email,
    userID: Buffer.from(handle, 'base64url'),
    challenge: Buffer.from(challenge, 'base64url'),
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credential_id, transports: transportsOf(c) })),
    authenticatorSelection:
      kind === 'passkey'
        ? { residentKey: 'required', userVerification: 'required' }
        : { residentKey: 'discouraged', userVerification: 'preferred' },
    supportedAlgorithmIDs: ALGORITHMS,
    timeout: 300_000,
  })
  return ok(options)
}

export type RegisterKeyError =
  | KeyCeremonyError
  | { kind: 'bad-name' }
  | { kind: 'challenge-expired' }
  | { kind: 'key-failed' }
  | { kind: 'already-registered' }
  | { kind: 'not-a-passkey' }

export interface KeyAdded {
  credential: WebauthnCredential
  /** New recovery codes to show once, when this was the user's first second factor (RC-1). */
  recoveryCodes: string[] | null
  notified: boolean
}

function parseJson<T>(raw: string): T | null {
  try {
    const v = JSON.parse(raw)
    return v && typeof v === 'object' ? (v as T) : null
  } catch {
    return null
  }
}

export async function finishKeyRegistration(
  ctx: Ctx,
  input: {
    user: User
    session: Session
    name: string
    response: string
    meta: RequestMeta
    /** Default 'key'. */
    kind?: KeyKind
  },
): Promise<Result<KeyAdded, RegisterKeyError>> {
  const kind = input.kind ?? 'key'
  const capability = kindCapability(ctx, kind)
  if (!capability.enabled) return err({ kind: 'webauthn-disabled', reason: capability.reason })
  const now = ctx.clock.now()
  const { user } = input
  const name = cleanKeyName(input.name)
  if (name === null) return err({ kind: 'bad-name' })
  const challenge = await takeChallenge(ctx, registerChallengeKey(input.session, kind), now)
  if (challenge === null) return err({ kind: 'challenge-expired' })
  const response = parseJson<RegistrationResponseJSON>(input.response)
  if (!response) return err({ kind: 'key-failed' })
  let info: Awaited<ReturnType<typeof verifyRegistrationResponse>>['registrationInfo']
  try {
    const verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: ctx.config.accounts.webauthnOrigins,
      expectedRPID: ctx.config.accounts.webauthnRpId,
      requireUserVerification: false,
      supportedAlgorithmIDs: ALGORITHMS,
    })
    if (!verified.verified) return err({ kind: 'key-failed' })
    info = verified.registrationInfo
  } catch (e) {
    ctx.log.info({ err: e }, 'webauthn registration rejected')
    return err({ kind: 'key-failed' })
  }
  // A passkey must have checked the user (PIN or biometric) and, by the browser's account, be
  // discoverable: residentKey "required" makes browsers refuse otherwise, credProps says so.
  if (
    kind === 'passkey' &&
    (!info.userVerified || response.clientExtensionResults?.credProps?.rk === false)
  )
    return err({ kind: 'not-a-passkey' })
  const credentialId = info.credential.id
  const taken = await ctx.db.kysely
    .selectFrom('webauthn_credentials')
    .select('id')
    .where('credential_id', '=', credentialId)
    .executeTakeFirst()
  if (taken) return err({ kind: 'already-registered' })

  const added = await trx(ctx, async (t) => {
    const credential = await t.db.kysely
      .insertInto('webauthn_credentials')
      .values({
        user_id: user.id,
        credential_id: credentialId,
        public_key: Buffer.from(info.credential.publicKey).toString('base64url'),
        sign_count: info.credential.counter,
        transports: (info.credential.transports ?? []).join(','),
        aaguid: info.aaguid,
        backup_eligible: info.credentialDeviceType === 'multiDevice' ? 1 : 0,
        backup_state: info.credentialBackedUp ? 1 : 0,
        rp_id: ctx.config.accounts.webauthnRpId,
        name,
        created: now,
        last_used_at: null,
        passkey: kind === 'passkey' ? 1 : 0,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordSecurityEvent(
      t,
      {
        type: 'webauthn.added',
        actorUserId: user.id,
        subjectUserId: user.id,
        meta: input.meta,
        details: kind === 'passkey' ? { name, passkey: true } : { name },
      },
      now,
    )
    const recoveryCodes = await issueFirstRecoveryCodes(t, user.id, input.meta, now)
    return { credential, recoveryCodes }
  })
  const notified = await notifySecurityChange(
    ctx,
    user.email,
    kind === 'passkey'
      ? `A passkey ("${name}") was added to your account.`
      : `A security key ("${name}") was added to your account.`,
    now,
  )
  return ok({ ...added, notified })
}

/** Renames one of the user's keys; false when it is not theirs or the name is not 1–100 chars. */
export async function renameSecurityKey(
  ctx: Ctx,
  user: Pick<User, 'id'>,
  keyId: number,
  rawName: string,
): Promise<boolean> {
  const name = cleanKeyName(rawName)
  if (name === null) return false
  const r = await ctx.db.kysely
    .updateTable('webauthn_credentials')
    .set({ name })
    .where('id', '=', keyId)
    .where('user_id', '=', user.id)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export interface KeyRemoved {
  /** No second factor is left: two-factor authentication is off (recovery codes went too). */
  twoFactorOff: boolean
  notified: boolean
}

/** Removes a key (WA-6; the route demands a class D grant). Other sessions end (SE-6). */
export async function removeSecurityKey(
  ctx: Ctx,
  input: { user: User; session: Session; keyId: number; meta: RequestMeta },
): Promise<Result<KeyRemoved, { kind: 'key-not-found' }>> {
  const now = ctx.clock.now()
  const { user } = input
  const removed = await trx(ctx, async (t) => {
    const row = await t.db.kysely
      .deleteFrom('webauthn_credentials')
      .where('id', '=', input.keyId)
      .where('user_id', '=', user.id)
      .returning('name')
      .executeTakeFirst()
    if (!row) return null
    const f = await loadFactors(t, user)
    const off = !hasSecondFactor(f) && f.otherRpKeys === 0
    if (off) await deleteRecoveryCodes(t, user.id)
    await deleteUserSessions(t, user.id, input.session.id)
    await recordSecurityEvent(
      t,
      {
        type: 'webauthn.removed',
        actorUserId: user.id,
        subjectUserId: user.id,
        meta: input.meta,
        details: { name: row.name },
      },
      now,
    )
    return { off, name: row.name }
  })
  if (removed === null) return err({ kind: 'key-not-found' })
  const notified = await notifySecurityChange(
    ctx,
    user.email,
    `The security key "${removed.name}" was removed from your account.`,
    now,
  )
  return ok({ twoFactorOff: removed.off, notified })
}

/** Options for `navigator.credentials.get`: the user's keys for this RP ID, a fresh challenge. */
export async function startKeyAssertion(
  ctx: Ctx,
  user: Pick<User, 'id'>,
  challengeKey: string,
): Promise<Result<PublicKeyCredentialRequestOptionsJSON, KeyCeremonyError | { kind: 'no-keys' }>> {
  const capability = webauthnCapability(ctx.config)
  if (!capability.enabled) return err({ kind: 'webauthn-disabled', reason: capability.reason })
  const rpId = ctx.config.accounts.webauthnRpId
  const keys = (await listSecurityKeys(ctx, user.id)).filter((c) => c.rp_id === rpId)
  if (keys.length === 0) return err({ kind: 'no-keys' })
  const challenge = await issueChallenge(ctx, challengeKey, ctx.clock.now())
  return ok(
    await generateAuthenticationOptions({
      rpID: rpId,
      allowCredentials: keys.map((c) => ({ id: c.credential_id, transports: transportsOf(c) })),
      challenge: Buffer.from(challenge, 'base64url'),
      userVerification: 'preferred',
      timeout: 300_000,
    }),
  )
}

export type KeyAssertionError =
  | { kind: 'key-failed' }
  | { kind: 'counter-regression' }
  | { kind: 'challenge-expired' }
  | Throttled

/** What checking one assertion against one stored key found (no throttling here). */
export type AssertionCheck =
  | { ok: true; credentialId: number }
  | { ok: false; kind: 'key-failed' | 'counter-regression' | 'user-not-verified' }

/**
 * Checks `response` against `challenge` and the stored `key`: signature, origin, RP ID, and, when
 * `requireUserVerification`, the UV flag (WA-7). A stored counter above zero that does not grow
 * means a cloned key (WA-4): refused and audited. A pass moves the counter and `last_used_at`.
 */
export async function checkAssertion(
  ctx: Ctx,
  input: {
    key: WebauthnCredential
    challenge: string
    response: AuthenticationResponseJSON
    requireUserVerification: boolean
    meta: RequestMeta
  },
  now: number,
): Promise<AssertionCheck> {
  const { key } = input
  let newCounter: number
  try {
    const verified = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: input.challenge,
      expectedOrigin: ctx.config.accounts.webauthnOrigins,
      expectedRPID: ctx.config.accounts.webauthnRpId,
      requireUserVerification: false,
      // The counter is judged below, after the signature, so only a genuine key can
      // produce a counter_regression event.
      credential: {
        id: key.credential_id,
        publicKey: Buffer.from(key.public_key, 'base64url'),
        counter: 0,
      },
    })
    if (!verified.verified) return { ok: false, kind: 'key-failed' }
    // Judged here rather than by the library, so the user hears what was missing.
    if (input.requireUserVerification && !verified.authenticationInfo.userVerified)
      return { ok: false, kind: 'user-not-verified' }
    newCounter = verified.authenticationInfo.newCounter
  } catch (e) {
    ctx.log.info({ err: e }, 'webauthn assertion rejected')
    return { ok: false, kind: 'key-failed' }
  }
  // Conditional update: a stored counter > 0 must grow; two racing uses cannot both pass.
  const r = await ctx.db.kysely
    .updateTable('webauthn_credentials')
    .set({ sign_count: newCounter, last_used_at: now })
    .where('id', '=', key.id)
    .where((eb) => eb.or([eb('sign_count', '=', 0), eb('sign_count', '<', newCounter)]))
    .executeTakeFirst()
  if (Number(r.numUpdatedRows) !== 1) {
    await recordSecurityEvent(
      ctx,
      {
        type: 'webauthn.counter_regression',
        actorUserId: key.user_id,
        subjectUserId: key.user_id,
        meta: input.meta,
        details: { name: key.name, stored: key.sign_count, received: newCounter },
      },
      now,
    )
    return { ok: false, kind: 'counter-regression' }
  }
  return { ok: true, credentialId: key.id }
}

/** The browser's JSON answer, or null when it lacks a string id or a `response` object. */
export function parseAssertion(raw: string): AuthenticationResponseJSON | null {
  const answer = parseJson<AuthenticationResponseJSON>(raw)
  if (!answer || typeof answer.id !== 'string') return null
  const inner: unknown = answer.response
  return inner && typeof inner === 'object' ? answer : null
}

/**
 * Checks an assertion against the challenge under `challengeKey` and the user's key (WA-4).
 * Failures count into the second-factor throttle (RL-W1).
 */
export async function verifyKeyAssertion(
  ctx: Ctx,
  input: { user: User; challengeKey: string; response: string; meta: RequestMeta },
  now: number,
): Promise<Result<{ credentialId: number }, KeyAssertionError>> {
  const { user } = input
  const outcome = await throttledCheck(ctx, user.id, now, async () => {
    const challenge = await takeChallenge(ctx, input.challengeKey, now)
    if (challenge === null) return { ok: false as const, kind: 'challenge-expired' as const }
    const response = parseAssertion(input.response)
    if (!response) return { ok: false as const, kind: 'key-failed' as const }
    const key = await ctx.db.kysely
      .selectFrom('webauthn_credentials')
      .selectAll()
      .where('user_id', '=', user.id)
      .where('credential_id', '=', response.id)
      .where('rp_id', '=', ctx.config.accounts.webauthnRpId)
      .executeTakeFirst()
    if (!key) return { ok: false as const, kind: 'key-failed' as const }
    const checked = await checkAssertion(
      ctx,
      { key, challenge, response, requireUserVerification: false, meta: input.meta },
      now,
    )
    // Without UV required, 'user-not-verified' cannot come back; keep the error set unchanged.
    return checked.ok || checked.kind !== 'user-not-verified'
      ? checked
      : { ok: false as const, kind: 'key-failed' as const }
  })
  if ('kind' in outcome && outcome.kind === 'throttled') return err(outcome)
  if (!outcome.ok) return err({ kind: (outcome as { kind: 'key-failed' }).kind })
  return ok({ credentialId: (outcome as { credentialId: number }).credentialId })
}

/** The message of a failed key use (WA-4: never a bare 400). */
export const KEY_FAILED_TEXT = "That security key didn't work. Try again or use another method."
